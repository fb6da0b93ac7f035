"""What each user may see of funding calls and proposals (404 for the rest through
coprod.permissions.get_object_for_user)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.db.models.functions import Now

from coprod.enums import Role
from coprod.models import User
from coprod.selectors import visible_to
from funding.enums import CallStatus, ProposalStatus
from funding.models import Call, Proposal

APPLYING_ROLES = frozenset({Role.RESEARCHER})


def open_calls() -> QuerySet[Call]:
    """Calls open now: published, opened and not yet closed (by the database's clock)."""
    return Call.objects.filter(status=CallStatus.OPEN, opens_at__lte=Now(), closes_at__gt=Now())


def calls_for_user(user: User, *, roles: frozenset[str]) -> QuerySet[Call]:
    """Every call, drafts included, for funding staff; open calls for researchers (`roles` from
    coprod.doors.current_roles, so this adds no query), and the calls they have proposals to (so
    that a draft still shows, with why it can no longer be sent, once the call closes); nothing
    for anyone else."""
    if not user.is_authenticated or not user.is_active:
        return Call.objects.none()
    if user.is_staff and user.has_perm("funding.view_call"):
        return Call.objects.all()
    if APPLYING_ROLES & roles:
        now_open = Q(status=CallStatus.OPEN, opens_at__lte=Now(), closes_at__gt=Now())
        theirs = Q(pk__in=Proposal.objects.filter(applicant_id=user.person_id).values("call_id"))
        return Call.objects.filter(now_open | theirs)
    return Call.objects.none()


def proposals_for_user(user: User) -> QuerySet[Proposal]:
    """A person's own proposals, drafts included; for staff with the permission, every proposal
    that has been sent (a draft is the applicant's own until they send it)."""
    visible = visible_to(
        user,
        Proposal.objects.select_related("call"),
        staff_permission="funding.view_proposal",
        owner="applicant",
    )
    if not user.is_authenticated:
        return visible
    return visible.filter(~Q(status=ProposalStatus.DRAFT) | Q(applicant_id=user.person_id))


__all__ = ["calls_for_user", "open_calls", "proposals_for_user"]
