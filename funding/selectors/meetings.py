"""Reads for panel meeting polls: who may see which poll (staff with the meeting permission; a
member, the polls of their own panel), each slot's answers counted in the database, who has not
answered, and dates and times in words in a person's time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import formats
from django.utils.translation import gettext as _

from coprod.models import Person, User
from coprod.selectors import visible_to
from funding.enums import Availability, PanelRole
from funding.models import (
    MeetingAttendance,
    MeetingPoll,
    MeetingSlot,
    Panel,
    PanelMember,
    SlotAnswer,
)

MANAGE_MEETINGS = "funding.change_meetingpoll"
# An answer that means the member can come.
ATTENDING = (Availability.YES, Availability.IF_NEED_BE)


def meeting_polls_for_user(user: User) -> QuerySet[MeetingPoll]:
    """Every poll, for staff whose group gives the meeting permission; nothing for anyone else
    (members see their polls through `member_polls_for_user`)."""
    return visible_to(
        user,
        MeetingPoll.objects.select_related("panel__call"),
        staff_permission=MANAGE_MEETINGS,
    )


def meeting_panels_for_user(user: User) -> QuerySet[Panel]:
    """The panels staff may create a poll for."""
    return visible_to(
        user, Panel.objects.select_related("call").order_by("-pk"), staff_permission=MANAGE_MEETINGS
    )


def member_polls_for_user(user: User) -> QuerySet[MeetingPoll]:
    """The polls of the panels the visitor sits on (as any member, the chair too). Staff see no
    poll here unless they sit on its panel: they use the staff pages."""
    if not user.is_authenticated or not user.is_active or user.person_id is None:
        return MeetingPoll.objects.none()
    seat = PanelMember.objects.filter(panel_id=OuterRef("panel_id"), person_id=user.person_id)
    return MeetingPoll.objects.filter(Exists(seat)).select_related("panel__call", "chosen_slot")


def seat_on_poll(user: User, poll: MeetingPoll) -> PanelMember:
    """The visitor's seat on the poll's panel (the caller has found the poll through
    `member_polls_for_user`, so there is one)."""
    return PanelMember.objects.get(panel_id=poll.panel_id, person_id=user.person_id)


@dataclass(frozen=True)
class SlotTally:
    """One slot's answers: how many said yes / if need be / no, whether the chair and how many
    LEEs can come (yes or if need be)."""

    slot: MeetingSlot
    yes: int
    if_need_be: int
    no: int
    chair: int
    lees: int

    @property
    def attending(self) -> int:
        return self.yes + self.if_need_be


def slot_tallies(poll: MeetingPoll) -> list[SlotTally]:
    """Each slot of `poll` with its counts, earliest first: one query, counted by the database."""
    attending = Q(answers__answer__in=ATTENDING, answers__member__person__isnull=False)
    slots = (
        MeetingSlot.objects.filter(poll=poll)
        .annotate(
            n_yes=Count(
                "answers",
                filter=Q(answers__answer=Availability.YES, answers__member__person__isnull=False),
            ),
            n_maybe=Count(
                "answers",
                filter=Q(
                    answers__answer=Availability.IF_NEED_BE, answers__member__person__isnull=False
                ),
            ),
            n_no=Count(
                "answers",
                filter=Q(answers__answer=Availability.NO, answers__member__person__isnull=False),
            ),
            n_chair=Count("answers", filter=attending & Q(answers__member__is_chair=True)),
            n_lees=Count("answers", filter=attending & Q(answers__member__role=PanelRole.LEE)),
        )
        .order_by("starts_at", "pk")
    )
    return [
        SlotTally(
            slot=slot,
            yes=slot.n_yes,
            if_need_be=slot.n_maybe,
            no=slot.n_no,
            chair=slot.n_chair,
            lees=slot.n_lees,
        )
        for slot in slots
    ]


def voting_members(panel_id: int) -> QuerySet[PanelMember]:
    """The panel's members who can answer and come (a seat whose person was erased cannot)."""
    return PanelMember.objects.filter(panel_id=panel_id, person__isnull=False)


def quorum_of(panel: Panel, members: int) -> int:
    """The panel's quorum, or, if it has none, more than half of its members."""
    return panel.quorum if panel.quorum else members // 2 + 1


def not_answered(poll: MeetingPoll) -> QuerySet[PanelMember]:
    """Members who have answered for none of the poll's slots, with their person (display names
    only are shown)."""
    answered = SlotAnswer.objects.filter(slot__poll=poll, member_id=OuterRef("pk"))
    return (
        voting_members(poll.panel_id)
        .exclude(Exists(answered))
        .select_related("person")
        .order_by("-is_chair", "pk")
    )


def answers_of(member: PanelMember, poll: MeetingPoll) -> dict[int, str]:
    """The member's answers for the poll, by slot id."""
    return dict(
        SlotAnswer.objects.filter(slot__poll=poll, member=member).values_list("slot_id", "answer")
    )


def attendance_of(poll: MeetingPoll) -> dict[int, bool]:
    """Attendance recorded so far, by member id."""
    return dict(MeetingAttendance.objects.filter(poll=poll).values_list("member_id", "attended"))


# Dates and times in words -----------------------------------------------------------------------


def time_zone_of(person: Person | None) -> ZoneInfo:
    """The person's own time zone if their profile has one, else the site's (Europe/London)."""
    name = getattr(person, "time_zone", "") if person is not None else ""
    try:
        return ZoneInfo(name or settings.TIME_ZONE)
    except (ValueError, KeyError):
        return ZoneInfo(settings.TIME_ZONE)


def when_in_words(starts_at: datetime, minutes: int, zone: ZoneInfo) -> str:
    """ "Tuesday 8 December 2026, 10:00 to 12:00 (Europe/London time)", in the active language."""
    start = starts_at.astimezone(zone)
    end = (starts_at + timedelta(minutes=minutes)).astimezone(zone)
    return _("%(day)s, %(start)s to %(end)s (%(zone)s time)") % {
        "day": formats.date_format(start, "l j F Y"),
        "start": formats.time_format(start, "H:i"),
        "end": formats.time_format(end, "H:i"),
        "zone": zone.key,
    }


def moment_in_words(moment: datetime, zone: ZoneInfo) -> str:
    """ "Tuesday 8 December 2026 at 10:00 (Europe/London time)", in the active language."""
    local = moment.astimezone(zone)
    return _("%(day)s at %(time)s (%(zone)s time)") % {
        "day": formats.date_format(local, "l j F Y"),
        "time": formats.time_format(local, "H:i"),
        "zone": zone.key,
    }
