"""The session engine: sessions are read from the shared Redis cache and written through to the
database (Django's cached_db), in a table that records whose session each one is.

Reading a signed-in person's session is a cache hit on almost every request; the database copy
survives a cache flush, and `end_sessions_of` ends every session of a login with one indexed
query instead of decoding every session there is. Without Redis (a newcomer's machine) the cache
is per process: correct for one process (runserver), not for several, which would not see each
other's sign-outs; the deploy checks refuse that cache in production."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.core.cache import caches
from django.db import transaction

from coprod.models.sessions import LoginSession


class SessionStore(CachedDBStore):
    cache_key_prefix = "coprod.session"

    @classmethod
    def get_model_class(cls) -> type[LoginSession]:
        return LoginSession

    def create_model_instance(self, data: dict[str, Any]) -> LoginSession:
        return _with_user_id(super().create_model_instance(data), data)

    # Django's async save (`asave`, for async code) builds the row here instead.
    async def acreate_model_instance(self, data: dict[str, Any]) -> LoginSession:
        return _with_user_id(await super().acreate_model_instance(data), data)


def _with_user_id(session: LoginSession, data: dict[str, Any]) -> LoginSession:
    user_id = data.get(SESSION_KEY)
    session.user_id = int(user_id) if user_id is not None else None
    return session


def end_sessions_of(user_id: int) -> int:
    """Sign a login out everywhere: delete each of its sessions from the database and the cache.
    Returns how many sessions were ended.

    Called inside a transaction (erasure), the cached copies are deleted again once it commits: a
    request arriving before then misses the cache, reads the row the transaction has not yet
    deleted for others, and would put the session back in the cache for its whole age."""
    keys = list(LoginSession.objects.filter(user_id=user_id).values_list("session_key", flat=True))
    for key in keys:
        SessionStore(session_key=key).delete()
    cache_keys = [SessionStore.cache_key_prefix + key for key in keys]
    transaction.on_commit(lambda: caches[settings.SESSION_CACHE_ALIAS].delete_many(cache_keys))
    return len(keys)
