"""Server-side drafts of form input."""

from __future__ import annotations

from django.http import QueryDict

from coprod.models import FormDraft, User

# Never kept in a draft: secrets and the CSRF token.
_SKIPPED = ("csrfmiddlewaretoken", "password", "token", "code", "otp")


def save_draft(
    user: User, *, path: str, data: QueryDict | dict[str, list[str]]
) -> FormDraft | None:
    """Keep what `user` typed on the form at `path` (encrypted), replacing an older draft.

    Side effects: saves a FormDraft, unless nothing worth keeping was typed."""
    items = data.lists() if isinstance(data, QueryDict) else data.items()
    kept = {
        key: list(values)
        for key, values in items
        if not any(part in key.lower() for part in _SKIPPED)
    }
    if not kept:
        return None
    draft, _created = FormDraft.objects.update_or_create(
        user=user, path=path, defaults={"data": kept}
    )
    return draft


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
