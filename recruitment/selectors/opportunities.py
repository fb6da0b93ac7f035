"""Reads for opportunities and applications: who may see which."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from coprod.enums import Role
from coprod.models import User
from coprod.selectors import visible_to
from recruitment.enums import OpportunityStatus, RoleSought
from recruitment.models import Application, Opportunity

# Which opportunities each role is offered. An LEE keeps the PWLE role, so sees both.
ROLES_OFFERED = {
    Role.PWLE: (RoleSought.PWLE,),
    Role.LEE: (RoleSought.PWLE, RoleSought.LEE),
}


def open_opportunities() -> QuerySet[Opportunity]:
    """Open and not past their closing time, soonest closing first."""
    return Opportunity.objects.filter(status=OpportunityStatus.OPEN, closes_at__gt=timezone.now())


def opportunities_for_user(user: User, *, roles: frozenset[str]) -> QuerySet[Opportunity]:
    """What `user` may see: every opportunity, drafts included, for staff with the permission;
    open ones whose role matches a participant's current `roles` (PWLE: PWLE ones; LEE: both);
    every open one for a practitioner (to refer someone). `roles` is passed in (from
    coprod.doors.current_roles in a view) so that this adds no query."""
    if not user.is_authenticated or not user.is_active:
        return Opportunity.objects.none()
    if user.is_staff and user.has_perm("recruitment.view_opportunity"):
        return Opportunity.objects.all()
    if Role.PRACTITIONER in roles:
        return open_opportunities()
    sought = {kind for role in roles for kind in ROLES_OFFERED.get(role, ())}
    if not sought:
        return Opportunity.objects.none()
    return open_opportunities().filter(role_sought__in=sought)


def applications_for_user(user: User) -> QuerySet[Application]:
    """Applications `user` may see: all of them for staff with the permission; a person their
    own; a practitioner the referrals they made (and nobody else's)."""
    if user.is_authenticated and user.is_active and not user.is_staff:
        mine = Q(person_id=user.person_id) | Q(referred_by_id=user.person_id)
        return Application.objects.filter(mine).select_related("opportunity")
    return visible_to(
        user,
        Application.objects.select_related("opportunity"),
        staff_permission="recruitment.view_application",
        owner="person",
    )
