"""Reads for agreements and meetings, built on the one access rule (partnerships.permissions).

A sub-object (an agreement, a meeting) is seen through its partnership: staff see those of the
partnerships they manage; a member sees the meetings of the partnerships they are a current
member of that they were invited to. An id from another partnership is simply not there."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from coprod.enums import MessageDetail
from coprod.models import SafeContactPreferences, User
from partnerships.enums import MeetingStatus
from partnerships.models import Agreement, Meeting, MeetingInvitation
from partnerships.permissions import (
    current_memberships,
    managed_partnerships_for_user,
    member_partnerships_for_user,
)


def agreements_for_user(user: User) -> QuerySet[Agreement]:
    """Agreements of the partnerships `user` manages on the staff pages."""
    return Agreement.objects.filter(partnership__in=managed_partnerships_for_user(user))


def staff_meetings_for_user(user: User) -> QuerySet[Meeting]:
    """Meetings of the partnerships `user` manages on the staff pages."""
    return Meeting.objects.filter(partnership__in=managed_partnerships_for_user(user))


def _invited(user: User) -> Exists:
    return Exists(
        MeetingInvitation.objects.filter(
            meeting=OuterRef("pk"),
            member__in=current_memberships().filter(person_id=user.person_id),
        )
    )


def member_meetings_for_user(user: User) -> QuerySet[Meeting]:
    """Meetings `user` was invited to, of partnerships they are a current member of."""
    if getattr(user, "person_id", None) is None:
        return Meeting.objects.none()
    return Meeting.objects.filter(partnership__in=member_partnerships_for_user(user)).filter(
        _invited(user)
    )


def upcoming_meetings_for_member(user: User) -> QuerySet[Meeting]:
    """The portal's list: `user`'s meetings not yet over (planned or cancelled), soonest first,
    with their partnership."""
    return (
        member_meetings_for_user(user)
        .filter(
            starts_at__gte=timezone.now() - timedelta(hours=12),
            status__in=[MeetingStatus.PLANNED, MeetingStatus.CANCELLED],
        )
        .select_related("partnership")
        .order_by("starts_at", "pk")
    )


def calendar_meetings_for_user(user: User) -> QuerySet[Meeting]:
    """Meetings whose calendar file `user` may download: planned ones they were invited to."""
    return member_meetings_for_user(user).filter(status=MeetingStatus.PLANNED)


def wants_full_detail(user: User) -> bool:
    """Whether the person asked for messages in full detail (else neutral ones)."""
    return SafeContactPreferences.objects.filter(
        person_id=user.person_id, message_detail=MessageDetail.FULL
    ).exists()


def partnership_meetings(partnership_id: int) -> QuerySet[Meeting]:
    """A partnership's meetings for the staff list, latest first, with how many were invited and
    how many came."""
    return (
        Meeting.objects.filter(partnership_id=partnership_id)
        .annotate(
            n_invited=Count("invitations", distinct=True),
            n_attended=Count("invitations", filter=Q(invitations__attended=True), distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )


def meeting_invitations(meeting: Meeting) -> QuerySet[MeetingInvitation]:
    """Who was invited to `meeting`, with their person (for display names), in the order they
    joined the partnership."""
    return (
        MeetingInvitation.objects.filter(meeting=meeting)
        .select_related("member__person")
        .order_by("member__joined_on", "member__pk")
    )
