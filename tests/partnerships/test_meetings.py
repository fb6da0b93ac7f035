"""Partnership meetings (partnerships.services.meetings): arranging one invites the current
members (all, or those chosen) with a calendar file (neutral for discreet messages); changing
its time sends the invitation again; cancelling tells those invited; attendance of a paid member
records their engagement once, with the costs as allowances, and "did not attend" cancels it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coprod.enums import ConsentPurpose, StaffGroup
from coprod.models import Notification, SafeContactPreferences
from partnerships.enums import MeetingStatus, PartnershipRole
from partnerships.models import Meeting, MeetingInvitation
from partnerships.services.meetings import (
    Attended,
    cancel_meeting,
    change_meeting,
    invite_members,
    meeting_calendar,
    meeting_source_key,
    record_attendance,
    schedule_meeting,
)
from partnerships.services.partnerships import end_membership
from recruitment.enums import EngagementKind, EngagementStatus
from recruitment.models import Engagement
from recruitment.services.honoraria import complete_engagement
from tests.factories.core import TEST_ACTOR, UserFactory, make_person, make_staff
from tests.factories.partnerships import (
    CORE_ROLES,
    MeetingFactory,
    PartnershipFactory,
    add_member,
    invite,
)

pytestmark = pytest.mark.django_db

STARTS = (timezone.now() + timedelta(days=14)).replace(
    hour=10, minute=0, second=0, microsecond=0, tzinfo=UTC
)
FIELDS = {
    "title": "Steering group: draft guidance",
    "starts_at": STARTS,
    "duration_minutes": 90,
    "place": "Community centre, room 2",
    "link": "",
    "agenda": "1. Welcome\n2. Draft guidance",
    "interpreter": True,
    "interpreter_languages": "Tigrinya",
    "travel_paid": True,
    "childcare_paid": True,
    "breaks": True,
    "access_notes": "Step-free entrance.",
    "preparation_hours": Decimal("1.5"),
}


def reachable_member(partnership, role=PartnershipRole.LEE, *, email, detail="neutral", **fields):
    """A member the outbox can email, with a login."""
    person = make_person(
        roles=CORE_ROLES[PartnershipRole(role)],
        consents=[ConsentPurpose.CONTACT],
        contact_email=email,
    )
    SafeContactPreferences.objects.filter(person=person).update(message_detail=detail)
    UserFactory(person=person, email=f"login.{email}")
    return add_member(partnership, person, role, **fields)


def past_meeting(partnership, *members, **fields):
    meeting = MeetingFactory(
        partnership=partnership,
        starts_at=timezone.now() - timedelta(hours=3),
        duration_minutes=fields.pop("duration_minutes", 150),
        preparation_hours=fields.pop("preparation_hours", Decimal("2")),
        **fields,
    )
    return meeting, [invite(meeting, member) for member in members]


# Arranging ---------------------------------------------------------------------------------------


def test_schedule_invites_every_current_member_with_a_calendar_file(
    django_capture_on_commit_callbacks, mailoutbox
):
    partnership = PartnershipFactory()
    ayo = reachable_member(partnership, email="ayo@example.org", detail="full")
    noor = reachable_member(partnership, PartnershipRole.RESEARCHER, email="noor@example.org")
    reachable_member(
        partnership,
        email="left@example.org",
        joined_on=partnership.starts_on,
        left_on=timezone.localdate() - timedelta(days=1),
    )

    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule_meeting(partnership, by=partnership.lead, **FIELDS)

    assert sorted(meeting.invitations.values_list("member_id", flat=True)) == sorted(
        [ayo.pk, noor.pk]
    )
    assert sorted((m.to[0], m.subject) for m in mailoutbox) == [
        ("ayo@example.org", "Partnership meeting: Steering group: draft guidance"),
        ("noor@example.org", "A meeting has been arranged"),
    ]
    full = next(m for m in mailoutbox if m.to == ["ayo@example.org"])
    (name, text, kind) = full.attachments[0]
    assert (name, kind.split(";")[0]) == ("meeting.ics", "text/calendar")
    assert "SUMMARY:Steering group: draft guidance" in text


def test_schedule_invites_only_the_members_chosen(django_capture_on_commit_callbacks):
    partnership = PartnershipFactory()
    chosen = add_member(partnership)
    add_member(partnership)

    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule_meeting(partnership, by=partnership.lead, invite=[chosen.pk], **FIELDS)

    assert list(meeting.invitations.values_list("member_id", flat=True)) == [chosen.pk]
    assert Notification.objects.filter(person=chosen.person).count() == 1


def test_schedule_refuses_a_member_of_another_partnership():
    partnership = PartnershipFactory()
    add_member(partnership)
    stranger = add_member(PartnershipFactory())

    with pytest.raises(ValidationError) as refused:
        schedule_meeting(partnership, by=partnership.lead, invite=[stranger.pk], **FIELDS)

    assert list(refused.value.message_dict) == ["invited"]
    assert (Meeting.objects.count(), Notification.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"place": "", "link": ""}, "place"),
        ({"interpreter": True, "interpreter_languages": ""}, "interpreter_languages"),
        ({"starts_at": timezone.now() - timedelta(minutes=5)}, "starts_at"),
        ({"preparation_hours": Decimal("41")}, "preparation_hours"),
        ({"duration_minutes": 5}, "duration_minutes"),
    ],
)
def test_schedule_refuses_bad_input_on_its_field(change, field):
    partnership = PartnershipFactory()
    add_member(partnership)

    with pytest.raises(ValidationError) as refused:
        schedule_meeting(partnership, by=partnership.lead, **{**FIELDS, **change})

    assert field in refused.value.message_dict
    assert Meeting.objects.count() == 0


def test_staff_who_neither_lead_nor_are_in_the_team_cannot_schedule():
    partnership = PartnershipFactory()
    add_member(partnership)

    with pytest.raises(ValidationError):
        schedule_meeting(partnership, by=make_staff(StaffGroup.FUNDING), **FIELDS)

    assert Meeting.objects.count() == 0


# The calendar file -------------------------------------------------------------------------------


def _event(text):
    return next(iter(icalendar.Calendar.from_ical(text).walk("VEVENT")))


def test_calendar_has_a_stable_opaque_uid_times_in_utc_and_the_details():
    meeting = MeetingFactory(
        starts_at=STARTS, duration_minutes=90, link="https://meet.example.org/abc", place=""
    )

    first, again = (
        meeting_calendar(meeting, neutral=False),
        meeting_calendar(meeting, neutral=False),
    )
    event = _event(first)

    assert _event(again)["UID"] == event["UID"]
    assert len(str(event["UID"]).split("@")[0]) == 32
    assert "partnership" not in str(event["UID"]).lower()
    assert event.decoded("DTSTART") == STARTS
    assert event.decoded("DTEND") == STARTS + timedelta(minutes=90)
    assert str(event["SUMMARY"]) == meeting.title
    assert str(event["LOCATION"]) == "https://meet.example.org/abc"


def test_neutral_calendar_names_nothing():
    meeting = MeetingFactory(
        title="Survivor voices steering group",
        place="Haven Support Trust, 4 High St",
        link="https://meet.example.org/abc",
        agenda="Guidance on modern slavery",
    )

    text = meeting_calendar(meeting, neutral=True)

    event = _event(text)
    assert str(event["SUMMARY"]) == "Meeting"
    assert "LOCATION" not in event
    assert "URL" not in event
    for word in ("Survivor", "Haven", "High St", "meet.example.org", "slavery", "coprod"):
        assert word not in text
    assert "partnership" not in text.lower()


# Changing, inviting more, cancelling -------------------------------------------------------------


def test_a_new_time_sends_the_invitation_again_with_the_same_uid(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    partnership = PartnershipFactory()
    reachable_member(partnership, email="ayo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule_meeting(partnership, by=partnership.lead, **FIELDS)
    first_uid = _event(mailoutbox[0].attachments[0][1])["UID"]

    time_machine.move_to(timezone.now() + timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(meeting, by=partnership.lead, starts_at=STARTS + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(meeting, by=partnership.lead, agenda="A new agenda")

    assert len(mailoutbox) == 2
    second = _event(mailoutbox[1].attachments[0][1])
    assert second["UID"] == first_uid
    assert second.decoded("DTSTART") == STARTS + timedelta(days=1)
    assert int(second["SEQUENCE"]) > 0


def test_a_second_change_within_the_same_second_is_sent_too(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    time_machine.move_to(timezone.now().replace(microsecond=0), tick=False)
    partnership = PartnershipFactory()
    reachable_member(partnership, email="ayo@example.org", detail="full")
    meeting = schedule_meeting(partnership, by=partnership.lead, **FIELDS)

    time_machine.move_to(timezone.now() + timedelta(milliseconds=200), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(meeting, by=partnership.lead, place="Room 5, upstairs")
    time_machine.move_to(timezone.now() + timedelta(milliseconds=200), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(meeting, by=partnership.lead, place="Room 6, downstairs")

    assert [str(_event(m.attachments[0][1])["LOCATION"]) for m in mailoutbox] == [
        "Room 5, upstairs",
        "Room 6, downstairs",
    ]


def test_a_new_place_is_not_sent_to_a_member_who_has_left(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    partnership = PartnershipFactory()
    reachable_member(partnership, email="stays@example.org", detail="full")
    leaver = reachable_member(partnership, email="left@example.org", detail="full")
    meeting = schedule_meeting(partnership, by=partnership.lead, **FIELDS)
    end_membership(leaver, by=partnership.lead, left_on=timezone.localdate() - timedelta(days=1))
    time_machine.move_to(timezone.now() + timedelta(minutes=5))

    with django_capture_on_commit_callbacks(execute=True):
        change_meeting(meeting, by=partnership.lead, place="The new venue, 9 Mill Lane")

    assert [(m.to, "9 Mill Lane" in m.body) for m in mailoutbox] == [(["stays@example.org"], True)]
    assert Notification.objects.filter(person=leaver.person).count() == 1  # the first invitation


def test_invite_more_members_invites_only_the_new_ones(django_capture_on_commit_callbacks):
    partnership = PartnershipFactory()
    first = add_member(partnership)
    meeting = schedule_meeting(partnership, by=partnership.lead, **FIELDS)
    later = add_member(partnership)

    count = invite_members(meeting, by=partnership.lead, member_ids=[first.pk, later.pk])

    assert count == 1
    assert sorted(meeting.invitations.values_list("member_id", flat=True)) == sorted(
        [first.pk, later.pk]
    )
    assert Notification.objects.filter(person=later.person).count() == 1


def test_cancel_tells_everyone_invited_and_refuses_twice(
    django_capture_on_commit_callbacks, mailoutbox
):
    partnership = PartnershipFactory()
    reachable_member(partnership, email="ayo@example.org")
    meeting = schedule_meeting(partnership, by=partnership.lead, **FIELDS)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_meeting(meeting, by=partnership.lead)

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert [m.subject for m in mailoutbox] == ["A meeting has been cancelled"]
    with pytest.raises(ValidationError):
        cancel_meeting(meeting, by=partnership.lead)
    with pytest.raises(ValidationError):
        change_meeting(meeting, by=partnership.lead, title="Back on")


def test_a_meeting_that_has_started_cannot_be_cancelled_nor_get_more_people():
    partnership = PartnershipFactory()
    member, later = add_member(partnership), add_member(partnership)
    meeting, _rows = past_meeting(partnership, member)

    with pytest.raises(ValidationError):
        cancel_meeting(meeting, by=partnership.lead)
    with pytest.raises(ValidationError):
        invite_members(meeting, by=partnership.lead, member_ids=[later.pk])

    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
    assert list(meeting.invitations.values_list("member_id", flat=True)) == [member.pk]
    assert Notification.objects.count() == 0


# Attendance --------------------------------------------------------------------------------------


def test_attendance_of_an_lee_records_their_engagement_once_with_allowances():
    partnership = PartnershipFactory()
    lee = add_member(partnership, role=PartnershipRole.LEE)
    meeting, (invitation,) = past_meeting(partnership, lee, place="Room 2", link="")
    row = Attended(
        attended=True,
        travel=Decimal("12.40"),
        childcare=Decimal("30"),
        interpreter=Decimal("0"),
    )

    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: row})
    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: row})

    engagement = Engagement.objects.get(person=lee.person)
    assert (
        engagement.kind,
        engagement.source_key,
        engagement.hours,
        engagement.preparation_hours,
        engagement.travel,
        engagement.childcare,
        engagement.online,
        engagement.belongs_to,
        engagement.date,
    ) == (
        EngagementKind.MEETING,
        meeting_source_key(meeting),
        Decimal("2.50"),
        Decimal("2.0"),
        Decimal("12.40"),
        Decimal("30.00"),
        False,
        meeting,
        timezone.localtime(meeting.starts_at).date(),
    )
    invitation.refresh_from_db()
    assert (invitation.attended, invitation.travel_cost, invitation.recorded_by) == (
        True,
        Decimal("12.40"),
        partnership.lead,
    )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_an_online_meeting_is_an_online_engagement():
    partnership = PartnershipFactory()
    pwle = add_member(partnership, role=PartnershipRole.PWLE)
    meeting, (invitation,) = past_meeting(
        partnership, pwle, place="", link="https://meet.example.org/x"
    )

    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(True)})

    assert Engagement.objects.get(person=pwle.person).online is True


def test_other_roles_attendance_is_recorded_without_an_engagement():
    partnership = PartnershipFactory()
    members = [add_member(partnership, role=role) for role in ("practitioner", "researcher")]
    meeting, invitations = past_meeting(partnership, *members)

    record_attendance(
        meeting,
        by=partnership.lead,
        rows={invitation.pk: Attended(True, travel=Decimal("5")) for invitation in invitations},
    )

    assert Engagement.objects.count() == 0
    assert list(
        MeetingInvitation.objects.filter(meeting=meeting).values_list("attended", flat=True)
    ) == [True, True]


def test_did_not_attend_cancels_the_planned_engagement():
    partnership = PartnershipFactory()
    lee = add_member(partnership)
    meeting, (invitation,) = past_meeting(partnership, lee)
    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(True)})

    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(False)})

    engagement = Engagement.objects.get(person=lee.person)
    assert engagement.status == EngagementStatus.CANCELLED
    invitation.refresh_from_db()
    assert invitation.attended is False


def test_each_meeting_has_its_own_engagement_and_missing_one_cancels_only_its_own():
    partnership = PartnershipFactory()
    lee = add_member(partnership)
    first, (at_first,) = past_meeting(partnership, lee)
    second, (at_second,) = past_meeting(partnership, lee)
    record_attendance(
        first, by=partnership.lead, rows={at_first.pk: Attended(True, travel=Decimal("4"))}
    )

    record_attendance(
        second, by=partnership.lead, rows={at_second.pk: Attended(True, travel=Decimal("7"))}
    )
    record_attendance(second, by=partnership.lead, rows={at_second.pk: Attended(False)})

    assert sorted(
        Engagement.objects.filter(person=lee.person).values_list("source_key", "travel", "status")
    ) == [
        (meeting_source_key(first), Decimal("4.00"), EngagementStatus.PLANNED),
        (meeting_source_key(second), Decimal("7.00"), EngagementStatus.CANCELLED),
    ]


def test_a_completed_engagement_cannot_be_marked_missed_and_nothing_changes():
    partnership = PartnershipFactory()
    lee = add_member(partnership)
    meeting, (invitation,) = past_meeting(partnership, lee)
    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(True)})
    complete_engagement(Engagement.objects.get(person=lee.person), by=TEST_ACTOR)

    with pytest.raises(ValidationError) as refused:
        record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(False)})

    assert list(refused.value.message_dict) == [f"invitation_{invitation.pk}"]
    assert "already completed" in refused.value.message_dict[f"invitation_{invitation.pk}"][0]
    invitation.refresh_from_db()
    assert invitation.attended is True


def test_attended_again_after_a_cancelled_engagement_is_refused():
    partnership = PartnershipFactory()
    lee = add_member(partnership)
    meeting, (invitation,) = past_meeting(partnership, lee)
    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(True)})
    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(False)})

    with pytest.raises(ValidationError):
        record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(True)})

    invitation.refresh_from_db()
    assert invitation.attended is False


def test_new_costs_after_the_engagement_is_recorded_are_refused():
    partnership = PartnershipFactory()
    lee = add_member(partnership)
    meeting, (invitation,) = past_meeting(partnership, lee)
    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(True)})

    with pytest.raises(ValidationError):
        record_attendance(
            meeting,
            by=partnership.lead,
            rows={invitation.pk: Attended(True, travel=Decimal("9"))},
        )

    invitation.refresh_from_db()
    assert invitation.travel_cost == Decimal("0")
    assert Engagement.objects.get(person=lee.person).travel == Decimal("0")


def test_a_refusal_for_one_member_saves_nothing_for_the_others():
    partnership = PartnershipFactory()
    first, second = add_member(partnership), add_member(partnership)
    meeting, (one, two) = past_meeting(partnership, first, second)

    with pytest.raises(ValidationError):
        record_attendance(
            meeting,
            by=partnership.lead,
            rows={one.pk: Attended(True), two.pk: Attended(False, travel=Decimal("3"))},
        )

    assert Engagement.objects.count() == 0
    assert set(MeetingInvitation.objects.values_list("attended", flat=True)) == {None}


def test_attendance_before_the_meeting_or_of_someone_not_invited_is_refused():
    partnership = PartnershipFactory()
    member = add_member(partnership)
    to_come = MeetingFactory(partnership=partnership)
    early = invite(to_come, member)
    meeting, _rows = past_meeting(partnership, member)
    elsewhere = invite(MeetingFactory(starts_at=datetime(2026, 1, 1, tzinfo=UTC)), member)

    with pytest.raises(ValidationError):
        record_attendance(to_come, by=partnership.lead, rows={early.pk: Attended(True)})
    with pytest.raises(ValidationError):
        record_attendance(meeting, by=partnership.lead, rows={elsewhere.pk: Attended(True)})

    assert Engagement.objects.count() == 0


def test_attendance_at_a_cancelled_meeting_is_refused_and_pays_nobody():
    partnership = PartnershipFactory()
    lee = add_member(partnership)
    meeting, (invitation,) = past_meeting(partnership, lee, status=MeetingStatus.CANCELLED)

    with pytest.raises(ValidationError):
        record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(True)})

    meeting.refresh_from_db()
    invitation.refresh_from_db()
    assert (meeting.status, invitation.attended, Engagement.objects.count()) == (
        MeetingStatus.CANCELLED,
        None,
        0,
    )


def test_a_held_meeting_keeps_its_time_and_length():
    partnership = PartnershipFactory()
    lee = add_member(partnership)
    meeting, (invitation,) = past_meeting(partnership, lee)
    record_attendance(meeting, by=partnership.lead, rows={invitation.pk: Attended(True)})
    starts = Meeting.objects.get(pk=meeting.pk).starts_at

    with pytest.raises(ValidationError) as refused:
        change_meeting(meeting, by=partnership.lead, starts_at=starts - timedelta(days=1))
    change_meeting(meeting, by=partnership.lead, agenda="Notes added after")

    assert list(refused.value.message_dict) == ["starts_at"]
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.agenda) == (starts, "Notes added after")


# Queries -----------------------------------------------------------------------------------------


def _queries_to_invite_change_and_cancel(members: int) -> list[int]:
    partnership = PartnershipFactory()
    for n in range(members):
        reachable_member(partnership, email=f"m{partnership.pk}.{n}@example.org")
    counts = []
    with CaptureQueriesContext(connection) as queries:
        meeting = schedule_meeting(partnership, by=partnership.lead, **FIELDS)
    counts.append(len(queries))
    with CaptureQueriesContext(connection) as queries:
        change_meeting(meeting, by=partnership.lead, place="Room 9")
    counts.append(len(queries))
    with CaptureQueriesContext(connection) as queries:
        cancel_meeting(meeting, by=partnership.lead)
    counts.append(len(queries))
    return counts


def test_inviting_changing_and_cancelling_take_as_many_queries_for_many_members():
    _queries_to_invite_change_and_cancel(1)  # warm per-process caches (content types, ...)

    few, many = _queries_to_invite_change_and_cancel(1), _queries_to_invite_change_and_cancel(6)

    assert few == many
