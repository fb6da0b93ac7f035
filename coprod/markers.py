"""Change markers in the shared cache: a session keeps something it read (a login's draft paths,
a person's roles) with the marker it saw, and reads it again once the marker has changed.

A marker is a random token set whenever the thing changes; a missing one (expired, or the cache
emptied) simply makes the next page read again."""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import transaction


def _key(kind: str, owner_id: int) -> str:
    return f"coprod.changed:{kind}:{owner_id}"


def marker(kind: str, owner_id: int) -> str | None:
    """The current marker of `kind` for `owner_id`, or None."""
    return cache.get(_key(kind, owner_id))


def mark_changed(kind: str, owner_id: int, *, lasts: float) -> None:
    """Set a new marker (kept `lasts` seconds), now and again once the current transaction
    commits: a page that read in between, the change not yet visible to it, keeps the first new
    marker and reads once more."""

    def set_marker() -> None:
        cache.set(_key(kind, owner_id), secrets.token_hex(8), lasts)

    set_marker()
    transaction.on_commit(set_marker)
