"""Authentication backends: Django's and allauth's, with the signed-in login fetched for each
request together with its person, in one query.

Every page of the portal needs the person; fetched lazily it was a second query on every request
before any view ran. (Asking in the same query whether the login has an authenticator app doubled
the query's cost for everyone; only staff need that, and the MFA middleware asks it of them.)"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from coprod.models import User


def signed_in_user(user_id: object) -> User | None:
    """The login with this id and its person."""
    try:
        return User.objects.select_related("person").get(pk=user_id)
    except User.DoesNotExist:
        return None


class SignedInUserMixin:
    def get_user(self, user_id: object) -> User | None:
        user = signed_in_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(SignedInUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(SignedInUserMixin, AllauthBackend):
    pass
