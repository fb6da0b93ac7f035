"""Attendance at a panel meeting becomes a paid engagement (recruitment's record_engagement):
once, with preparation time, cancelled while planned if the member is then marked absent, and
refused once the engagement's claim has begun."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from funding.enums import PanelRole, PollStatus
from funding.models import MeetingAttendance, MeetingPoll
from funding.services.meetings import record_attendance
from recruitment.enums import EngagementKind, EngagementStatus
from recruitment.models import Engagement
from tests.factories.core import TEST_ACTOR
from tests.factories.funding import PanelFactory, make_funding_staff, open_poll, seat

pytestmark = pytest.mark.django_db

# Thursday 25 June 2026, 22:30 UTC: already Friday in London.
MEETING = datetime(2026, 6, 25, 23, 30, tzinfo=UTC)


def held_meeting(time_machine, *, place="Room 4", minutes=90):
    time_machine.move_to(MEETING - timedelta(days=20), tick=False)
    panel = PanelFactory()
    chair = seat(panel, PanelRole.POLICYMAKER, ready=False, is_chair=True)
    lee = seat(panel, PanelRole.LEE, ready=False)
    poll = open_poll(panel, starts=[MEETING, MEETING + timedelta(days=1)], place=place)
    MeetingPoll.objects.filter(pk=poll.pk).update(
        status=PollStatus.SCHEDULED,
        chosen_slot=poll.slots.get(starts_at=MEETING),
        duration_minutes=minutes,
    )
    time_machine.move_to(MEETING + timedelta(hours=3), tick=False)
    poll.refresh_from_db()
    return poll, chair, lee


def engagements():
    return list(
        Engagement.objects.order_by("pk").values_list(
            "person_id", "kind", "date", "hours", "preparation_hours", "online", "status"
        )
    )


def test_attended_records_a_panel_engagement_with_preparation_time(time_machine):
    poll, chair, lee = held_meeting(time_machine)

    record_attendance(poll, by=make_funding_staff(), attended={chair.pk: True, lee.pk: False})

    assert engagements() == [
        (
            chair.person_id,
            EngagementKind.PANEL,
            date(2026, 6, 26),
            Decimal("1.50"),
            Decimal("2.00"),
            False,
            EngagementStatus.PLANNED,
        )
    ]
    engagement = Engagement.objects.get()
    assert (engagement.source_key, engagement.object_id, engagement.content_type) == (
        f"funding.meeting:{poll.pk}",
        poll.pk,
        ContentType.objects.get_for_model(MeetingPoll),
    )
    assert sorted(MeetingAttendance.objects.values_list("member_id", "attended")) == sorted(
        [(chair.pk, True), (lee.pk, False)]
    )


def test_a_link_as_the_place_makes_an_online_engagement(time_machine, settings):
    settings.COPROD_PANEL_MEETING_PREPARATION_HOURS = 3
    poll, chair, _lee = held_meeting(time_machine, place="https://meet.example.org/panel")

    record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True})

    assert Engagement.objects.values_list("online", "preparation_hours").get() == (
        True,
        Decimal("3.00"),
    )


def test_recording_attendance_twice_records_one_engagement(time_machine):
    poll, chair, _lee = held_meeting(time_machine)

    record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True})
    record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True})

    assert len(engagements()) == 1
    assert MeetingAttendance.objects.count() == 1


def test_did_not_attend_afterwards_cancels_the_planned_engagement(time_machine):
    poll, chair, _lee = held_meeting(time_machine)
    record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True})

    record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: False})

    assert [row[-1] for row in engagements()] == [EngagementStatus.CANCELLED]
    assert MeetingAttendance.objects.values_list("attended", flat=True).get() is False


def test_did_not_attend_is_refused_once_the_engagement_is_completed(time_machine):
    poll, chair, lee = held_meeting(time_machine)
    record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True, lee.pk: True})
    Engagement.objects.filter(person=chair.person).update(status=EngagementStatus.COMPLETED)

    with pytest.raises(ValidationError) as refused:
        record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: False, lee.pk: False})

    assert list(refused.value.message_dict) == [f"member_{chair.pk}"]
    assert "already completed" in refused.value.message_dict[f"member_{chair.pk}"][0]
    assert [row[-1] for row in engagements()] == [
        EngagementStatus.COMPLETED,
        EngagementStatus.PLANNED,
    ]
    assert set(MeetingAttendance.objects.values_list("attended", flat=True)) == {True}


def test_attended_again_after_a_cancellation_is_refused(time_machine):
    poll, chair, _lee = held_meeting(time_machine)
    record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True})
    record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: False})

    with pytest.raises(ValidationError, match="was cancelled"):
        record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True})

    assert MeetingAttendance.objects.values_list("attended", flat=True).get() is False


def test_attendance_before_the_meeting_is_refused(time_machine):
    poll, chair, _lee = held_meeting(time_machine)
    time_machine.move_to(MEETING - timedelta(hours=1), tick=False)

    with pytest.raises(ValidationError, match="has not happened yet"):
        record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True})

    assert (MeetingAttendance.objects.count(), engagements()) == (0, [])


def test_attendance_of_someone_not_on_the_panel_is_refused(time_machine):
    poll, chair, _lee = held_meeting(time_machine)
    outsider = seat(PanelFactory(), ready=False)

    with pytest.raises(ValidationError, match="not on this panel"):
        record_attendance(poll, by=TEST_ACTOR, attended={chair.pk: True, outsider.pk: True})

    assert (MeetingAttendance.objects.count(), engagements()) == (0, [])
