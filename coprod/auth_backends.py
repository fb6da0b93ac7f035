"""Authentication backends: Django's and allauth's, with the signed-in login fetched for each
request together with its person, in one query, and a staff member's permissions in one more.

Every page of the portal needs the person; fetched lazily it was a second query on every request
before any view ran. (Asking in the same query whether the login has an authenticator app doubled
the query's cost for everyone; only staff need that, and the MFA middleware asks it of them.)"""

from __future__ import annotations

from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q

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

    def get_all_permissions(self, user_obj: Any, obj: object = None) -> set[str]:
        """Django's answer, in one query instead of two (the login's own permissions and its
        groups'), cached on the login for the request as Django caches it."""
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(
                    Q(user=user_obj) | Q(group__user=user_obj)
                ).distinct()
            user_obj._perm_cache = {
                f"{app_label}.{codename}"
                for app_label, codename in permissions.values_list(
                    "content_type__app_label", "codename"
                ).order_by()
            }
        return user_obj._perm_cache


class ModelBackend(SignedInUserMixin, DjangoModelBackend):
    pass


class AuthenticationBackend(SignedInUserMixin, AllauthBackend):
    pass
