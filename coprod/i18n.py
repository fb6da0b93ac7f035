"""Translation lookups without walking empty catalogues.

For British English, gettext finds each installed app's `en` catalogue beside its `en_GB` one,
and Django chains every one of them behind the project's translation as a fallback. Most are
empty (only their header), yet every message not translated walks the whole chain: six levels
of Python calls for each of the hundreds of labels a list page shows (a choice's display value
translates every choice). Dropping the empty ones changes no translation."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import trans_real


def _is_empty(catalogue: object) -> bool:
    """A plain gettext catalogue holding nothing but its header (the "" entry)."""
    if isinstance(catalogue, trans_real.DjangoTranslation):
        return False
    messages = getattr(catalogue, "_catalog", None)
    return isinstance(messages, dict) and set(messages) <= {""}


def prune(translation: object) -> int:
    """Remove the empty catalogues from `translation`'s fallback chain; how many were removed."""
    removed = 0
    previous = translation
    fallback = getattr(previous, "_fallback", None)
    while fallback is not None:
        if _is_empty(fallback):
            previous._fallback = getattr(fallback, "_fallback", None)  # type: ignore[attr-defined]
            removed += 1
        else:
            previous = fallback
        fallback = getattr(previous, "_fallback", None)
    return removed


def drop_empty_fallbacks() -> int:
    """For each language in LANGUAGES, prune its translation (cached by Django for the process).
    Returns how many catalogues were removed."""
    return sum(prune(trans_real.translation(code)) for code, _name in settings.LANGUAGES)
