"""May this user do X (to this object)? Predicates, and the access door every view uses.

Policy, for every kind of visitor: what a user may not see does not exist for them (404: the view
fetches its object through a `<things>_for_user` selector, see `coprod.selectors.visible_to`);
what they may see but not do is forbidden (403). Function views call `get_object_for_user` (and
`require` for a page without an object); class-based views use `ObjectAccessMixin`. Both log the
refusal as a security event (user id and view name only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from coprod.enums import ErasureStatus
from coprod.models import User
from coprod.security import log_security_event

M = TypeVar("M", bound=models.Model)
# A selector: the objects this user may see.
Selector = Callable[[User], "models.QuerySet[Any]"]
# What the visitor wants to do with the object: a permission name (model-wide through staff
# groups, or granted on this object through django-guardian), or a predicate.
Action = str | Callable[[User, Any], bool]


def has_object_permission(user: User, perm: str, obj: models.Model) -> bool:
    """Model-wide permission (staff groups) or an explicit per-object grant (django-guardian).

    Django's ModelBackend answers False whenever an object is given, so both are asked."""
    if not user.is_active:
        return False
    return user.has_perm(perm) or user.has_perm(perm, obj)


def may(user: User, action: Action, obj: models.Model) -> bool:
    if isinstance(action, str):
        return has_object_permission(user, action, obj)
    return action(user, obj)


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


def may_change_invitation(user: User, invitation: Any) -> bool:
    return may_invite(user)


def may_handle_message(user: User, notification: Any) -> bool:
    return may_manage_held_messages(user)


def may_erase(user: User, erasure: Any) -> bool:
    """Carry out a request to delete a person's information: engagement staff with the right,
    while it waits (coprod.services.rights.erasure_refusal adds who may not)."""
    return (
        is_staff_with(user, "coprod.erase_person", "coprod.change_erasurerequest")
        and erasure.status == ErasureStatus.PENDING
    )


def _view_name(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match is not None else "-"


def _refuse(request: HttpRequest, outcome: str) -> None:
    user_id = request.user.pk if request.user.is_authenticated else None
    log_security_event("access", outcome=outcome, user_id=user_id, view=_view_name(request))


def require(request: HttpRequest, allowed: bool) -> None:
    """For a page without an object (a list, a form to create one): 403 unless `allowed`."""
    if not allowed:
        _refuse(request, "refused")
        raise PermissionDenied


def get_object_for_user(
    request: HttpRequest, selector: Selector, *, action: Action | None = None, **lookup: Any
) -> Any:
    """The object `lookup` names among `selector(request.user)`: 404 if the visitor may not see
    it, 403 if they may see it but `action` is not theirs to do."""
    try:
        obj = get_object_or_404(selector(request.user), **lookup)
    except Http404:
        _refuse(request, "not_found")
        raise
    if action is not None and not may(request.user, action, obj):
        _refuse(request, "refused")
        raise PermissionDenied
    return obj


class ObjectAccessMixin:
    """The same door for class-based views (DetailView, UpdateView, ...).

    - `page_allowed(user)`: checked before anything else (403), for pages only some kinds of
      visitor may open at all;
    - `selector(user)`: the objects this visitor may see; anything else is a 404;
    - `action`: what this view does with the object (a permission or a predicate); 403 if the
      visitor may see the object but not do this."""

    page_allowed: Callable[[User], bool] | None = None
    selector: Selector
    action: Action | None = None

    def dispatch(self, request, *args, **kwargs):  # type: ignore[no-untyped-def]
        page_allowed = type(self).page_allowed
        if page_allowed is not None:
            require(request, page_allowed(request.user))
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return type(self).selector(self.request.user)  # type: ignore[attr-defined]

    def get_object(self, queryset=None):  # type: ignore[no-untyped-def]
        try:
            obj = super().get_object(queryset)  # type: ignore[misc]
        except Http404:
            _refuse(self.request, "not_found")  # type: ignore[attr-defined]
            raise
        action = type(self).action
        if action is not None and not may(self.request.user, action, obj):  # type: ignore[attr-defined]
            _refuse(self.request, "refused")  # type: ignore[attr-defined]
            raise PermissionDenied
        return obj
