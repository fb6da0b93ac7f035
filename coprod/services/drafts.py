"""Server-side drafts of form input."""

from __future__ import annotations

from datetime import timedelta

from django.http import QueryDict
from django.utils import timezone

from coprod.markers import mark_changed, marker
from coprod.models import FormDraft, User

DRAFTS = "drafts"

# Never kept in a draft: secrets and the CSRF token (matched as whole words of the field name, so
# a "postcode" field is kept and a "password1" or "otp_code" field is not).
_SECRET_WORDS = frozenset({"csrfmiddlewaretoken", "password", "token", "code", "otp", "secret"})
# A draft nobody came back for is deleted after this long.
DRAFT_LIFETIME = timedelta(days=30)


def _is_secret(key: str) -> bool:
    words = key.lower().replace("-", "_").split("_")
    return any(word.rstrip("0123456789") in _SECRET_WORDS for word in words)


def save_draft(
    user: User, *, path: str, data: QueryDict | dict[str, list[str]]
) -> FormDraft | None:
    """Keep what `user` typed on the form at `path` (encrypted), replacing an older draft.

    Side effects: saves a FormDraft, unless nothing worth keeping was typed."""
    items = data.lists() if isinstance(data, QueryDict) else data.items()
    kept = {key: list(values) for key, values in items if not _is_secret(key)}
    if not kept:
        return None
    draft, _created = FormDraft.objects.update_or_create(
        user=user, path=path, defaults={"data": kept}
    )
    # Tell the login's other sessions (another device still signed in) to look again.
    mark_changed(DRAFTS, user.pk, lasts=DRAFT_LIFETIME.total_seconds())
    return draft


def drafts_marker(user_id: int) -> str | None:
    """Changes each time a draft is saved for the login (coprod.markers): a session that
    remembers its login's draft paths (coprod.doors) reads them again when it changes."""
    return marker(DRAFTS, user_id)


def draft_paths_for(user: User) -> list[str]:
    """The paths of the forms on which `user` has a draft waiting."""
    return list(FormDraft.objects.filter(user=user).values_list("path", flat=True))


def take_draft(user: User, *, path: str) -> QueryDict | None:
    """Return and delete the draft for `path`, as form data.

    Side effects: deletes the FormDraft."""
    draft = FormDraft.objects.filter(user=user, path=path).first()
    if draft is None:
        return None
    data = QueryDict(mutable=True)
    for key, values in draft.data.items():
        data.setlist(key, values)
    draft.delete()
    return data


def delete_stale_drafts() -> int:
    """Delete drafts older than DRAFT_LIFETIME (run daily): nobody keeps form input for ever.

    Side effects: deletes FormDrafts. Returns how many."""
    deleted, _by_model = FormDraft.objects.filter(
        saved_at__lt=timezone.now() - DRAFT_LIFETIME
    ).delete()
    return deleted
