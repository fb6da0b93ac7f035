"""Sessions that know whose they are, so that every session of one login can be ended.

Django's session table holds only an opaque blob: ending one login's sessions meant decoding every
session there is. This table carries the login's id beside the blob (indexed), as Django's docs
show for a custom session model; `coprod.sessions.SessionStore` fills it in."""

from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models


class LoginSession(AbstractBaseSession):
    # An id, not a foreign key: a session may outlive nothing (logins are never deleted), and
    # the session middleware must not join or lock the login's row when it saves.
    user_id = models.BigIntegerField(null=True, db_index=True)

    class Meta:
        verbose_name = "session"
        verbose_name_plural = "sessions"

    @classmethod
    def get_session_store_class(cls):
        from coprod.sessions import SessionStore

        return SessionStore
