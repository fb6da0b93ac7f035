"""May this user do X (to this object)? Predicates, and the one mixin views use.

Policy: what a user may not see does not exist for them (404, via a `_for_user` selector); what
they may see but not change is forbidden (403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models

from coprod.models import User


def has_object_permission(user: User, perm: str, obj: models.Model) -> bool:
    """Model-wide permission (staff groups) or an explicit per-object grant (django-guardian).

    Django's ModelBackend answers False whenever an object is given, so both are asked."""
    if not user.is_active:
        return False
    return user.has_perm(perm) or user.has_perm(perm, obj)


def require_object_permission(user: User, perm: str, obj: models.Model) -> None:
    if not has_object_permission(user, perm, obj):
        raise PermissionDenied


def is_staff_with(user: User, *perms: str) -> bool:
    return user.is_authenticated and user.is_staff and user.has_perms(perms)


def may_see_legal_name(user: User) -> bool:
    return is_staff_with(user, "coprod.view_legal_name")


def may_see_contact_details(user: User) -> bool:
    return is_staff_with(user, "coprod.view_contact_details")


def may_invite(user: User) -> bool:
    return is_staff_with(user, "coprod.add_invitation")


def may_manage_held_messages(user: User) -> bool:
    return is_staff_with(user, "coprod.view_notification", "coprod.change_notification")


class StaffPermissionMixin:
    """For staff class-based views: `permission_required` (model-wide) is checked before anything
    else; `object_permission` is checked on the object the selector returned."""

    permission_required: tuple[str, ...] = ()
    object_permission: str | None = None

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not is_staff_with(request.user, *self.permission_required):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_object(self, queryset=None):  # type: ignore[no-untyped-def]
        obj = super().get_object(queryset)  # type: ignore[misc]
        if self.object_permission:
            require_object_permission(self.request.user, self.object_permission, obj)  # type: ignore[attr-defined]
        return obj
