"""Panel meeting scheduling (funding.services.meetings): opening a poll, answering, choosing the
slot by its rules, invitations with a calendar file, staff told when no time suits, and the
periodic closing of polls past their time."""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.core.exceptions import ValidationError

from coprod.enums import NotificationCategory
from coprod.models import Notification
from funding.enums import Availability, PanelRole, PollStatus
from funding.models import MeetingPoll, MeetingSlot, SlotAnswer
from funding.services.meetings import (
    answer_poll,
    close_due_polls,
    close_poll,
    create_poll,
    meeting_calendar,
    meeting_uid,
)
from tests.factories.core import TEST_ACTOR, backdate_consent_texts
from tests.factories.funding import (
    PanelFactory,
    answer,
    make_funding_staff,
    open_poll,
    reachable_seat,
    seat,
)

pytestmark = pytest.mark.django_db

# Monday 15 June 2026, 10:00 in London.
NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)
YES, MAYBE, NO = Availability.YES, Availability.IF_NEED_BE, Availability.NO


@pytest.fixture(autouse=True)
def _at_ten_on_a_monday(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    backdate_consent_texts()


def panel_of(*roles, quorum=None):
    """A panel whose first member is the chair; members in `roles` order."""
    panel = PanelFactory(quorum=quorum)
    members = [seat(panel, role, ready=False, is_chair=(n == 0)) for n, role in enumerate(roles)]
    return panel, members


def slots_at(*days):
    return [datetime(2026, 6, 15 + day, 9, tzinfo=UTC) for day in days]


def answers(poll, member, *values):
    for slot, value in zip(poll.slots.order_by("starts_at"), values, strict=True):
        answer(member, slot, value)


def chosen_day(poll):
    poll.refresh_from_db()
    return poll.chosen_slot.starts_at.day if poll.chosen_slot else None


# Opening a poll ----------------------------------------------------------------------------------


def test_create_poll_saves_the_poll_and_its_slots_earliest_first():
    panel, _members = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)
    staff = make_funding_staff()

    poll = create_poll(
        panel,
        by=staff,
        title="Panel meeting",
        place="https://meet.example.org/panel",
        duration_minutes=90,
        closes_at=NOW + timedelta(days=3),
        slots=slots_at(11, 10),
    )

    assert (poll.status, poll.created_by, poll.duration_minutes) == ("open", staff, 90)
    assert list(poll.slots.values_list("starts_at", flat=True)) == slots_at(10, 11)


@pytest.mark.parametrize(
    ("closes_in", "slots", "field", "message"),
    [
        (timedelta(days=-1), slots_at(10, 11), "closes_at", "Answers must close in the future."),
        (timedelta(days=3), slots_at(10), "slots", "Give at least 2 times to choose from."),
        (timedelta(days=3), slots_at(10, 10), "slots", "Each time must be different."),
        (
            timedelta(days=12),
            slots_at(10, 14),
            "slots",
            "Each time must be in the future, after answers close.",
        ),
    ],
    ids=["closes in the past", "one slot", "same slot twice", "slot before closing"],
)
def test_create_poll_refuses_bad_input_and_saves_nothing(closes_in, slots, field, message):
    panel, _members = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)

    with pytest.raises(ValidationError) as refused:
        create_poll(
            panel,
            by=make_funding_staff(),
            title="Panel meeting",
            place="",
            duration_minutes=60,
            closes_at=NOW + closes_in,
            slots=slots,
        )

    assert refused.value.message_dict[field] == [message]
    assert (MeetingPoll.objects.count(), MeetingSlot.objects.count()) == (0, 0)


# Answering ---------------------------------------------------------------------------------------


def test_answer_poll_saves_and_then_replaces_the_members_answers():
    panel, (_chair, lee) = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)
    poll = open_poll(panel)
    first, second = poll.slots.order_by("starts_at")

    answer_poll(poll, lee, by=TEST_ACTOR, answers={first.pk: YES, second.pk: NO})
    answer_poll(poll, lee, by=TEST_ACTOR, answers={first.pk: MAYBE, second.pk: NO})

    assert sorted(SlotAnswer.objects.values_list("slot_id", "member_id", "answer")) == [
        (first.pk, lee.pk, MAYBE),
        (second.pk, lee.pk, NO),
    ]


def test_answer_poll_needs_an_answer_for_every_slot_and_saves_nothing_without():
    panel, (_chair, lee) = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)
    poll = open_poll(panel)
    first, second = poll.slots.order_by("starts_at")

    with pytest.raises(ValidationError) as refused:
        answer_poll(poll, lee, by=TEST_ACTOR, answers={first.pk: YES})

    assert refused.value.message_dict == {f"slot_{second.pk}": ["Choose yes, if need be, or no."]}
    assert SlotAnswer.objects.count() == 0


@pytest.mark.parametrize("how", ["closed by staff", "past its closing time"])
def test_answer_poll_is_refused_once_the_poll_has_closed(how, time_machine):
    panel, (_chair, lee) = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)
    poll = open_poll(panel)
    first, second = poll.slots.order_by("starts_at")
    answer(lee, first, NO)
    if how == "closed by staff":
        close_poll(poll, by=TEST_ACTOR)
    else:
        time_machine.move_to(poll.closes_at, tick=False)

    with pytest.raises(ValidationError, match="This poll has closed"):
        answer_poll(poll, lee, by=TEST_ACTOR, answers={first.pk: YES, second.pk: YES})

    assert list(SlotAnswer.objects.values_list("answer", flat=True)) == [NO]


def test_answer_poll_refuses_a_member_of_another_panel():
    panel, _members = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)
    _other, (outsider,) = panel_of(PanelRole.LEE)
    poll = open_poll(panel)
    first, second = poll.slots.order_by("starts_at")

    with pytest.raises(ValidationError, match=r"You are not on this panel\."):
        answer_poll(poll, outsider, by=TEST_ACTOR, answers={first.pk: YES, second.pk: YES})

    assert SlotAnswer.objects.count() == 0


# Choosing the slot -------------------------------------------------------------------------------


def test_close_poll_chooses_the_slot_with_the_most_attendance_counting_if_need_be():
    panel, (chair, lee, researcher) = panel_of(
        PanelRole.POLICYMAKER, PanelRole.LEE, PanelRole.RESEARCHER
    )
    poll = open_poll(panel, starts=slots_at(10, 11))
    answers(poll, chair, YES, YES)
    answers(poll, lee, YES, MAYBE)
    answers(poll, researcher, NO, MAYBE)

    closed = close_poll(poll, by=TEST_ACTOR)

    assert (closed.status, chosen_day(poll)) == (PollStatus.SCHEDULED, 26)


def test_close_poll_skips_a_slot_the_chair_cannot_come_to():
    panel, (chair, lee, researcher) = panel_of(
        PanelRole.POLICYMAKER, PanelRole.LEE, PanelRole.RESEARCHER
    )
    poll = open_poll(panel, starts=slots_at(10, 11))
    answers(poll, chair, NO, YES)
    answers(poll, lee, YES, YES)
    answers(poll, researcher, YES, NO)

    close_poll(poll, by=TEST_ACTOR)

    assert chosen_day(poll) == 26


def test_close_poll_skips_a_slot_no_lee_can_come_to():
    panel, (chair, lee, researcher) = panel_of(
        PanelRole.POLICYMAKER, PanelRole.LEE, PanelRole.RESEARCHER
    )
    poll = open_poll(panel, starts=slots_at(10, 11))
    answers(poll, chair, YES, YES)
    answers(poll, lee, NO, YES)
    answers(poll, researcher, YES, NO)

    close_poll(poll, by=TEST_ACTOR)

    assert chosen_day(poll) == 26


def test_close_poll_needs_more_than_half_the_members_without_a_quorum():
    panel, (chair, lee, r1, r2) = panel_of(
        PanelRole.POLICYMAKER, PanelRole.LEE, PanelRole.RESEARCHER, PanelRole.RESEARCHER
    )
    poll = open_poll(panel, starts=slots_at(10, 11))
    answers(poll, chair, YES, YES)
    answers(poll, lee, YES, YES)
    answers(poll, r1, NO, YES)
    answers(poll, r2, NO, NO)

    close_poll(poll, by=TEST_ACTOR)

    # 2 of 4 is not more than half: the 25th fails; 3 of 4 on the 26th.
    assert chosen_day(poll) == 26


def test_close_poll_uses_the_panels_quorum_when_set():
    panel, (chair, lee, r1, r2) = panel_of(
        PanelRole.POLICYMAKER, PanelRole.LEE, PanelRole.RESEARCHER, PanelRole.RESEARCHER, quorum=2
    )
    poll = open_poll(panel, starts=slots_at(10, 11))
    answers(poll, chair, YES, NO)
    answers(poll, lee, YES, YES)
    for member in (r1, r2):
        answers(poll, member, NO, YES)

    close_poll(poll, by=TEST_ACTOR)

    # Only the 25th has the chair; 2 attend there, which the quorum of 2 allows.
    assert chosen_day(poll) == 25


def test_close_poll_breaks_a_tie_in_attendance_by_more_yes_answers():
    panel, (chair, lee, researcher) = panel_of(
        PanelRole.POLICYMAKER, PanelRole.LEE, PanelRole.RESEARCHER
    )
    poll = open_poll(panel, starts=slots_at(10, 11))
    answers(poll, chair, YES, YES)
    answers(poll, lee, MAYBE, YES)
    answers(poll, researcher, MAYBE, MAYBE)

    close_poll(poll, by=TEST_ACTOR)

    assert chosen_day(poll) == 26


def test_close_poll_breaks_a_full_tie_by_the_earliest_slot():
    panel, (chair, lee, researcher) = panel_of(
        PanelRole.POLICYMAKER, PanelRole.LEE, PanelRole.RESEARCHER
    )
    poll = open_poll(panel, starts=slots_at(12, 10, 11))
    for member in (chair, lee, researcher):
        answers(poll, member, YES, YES, YES)

    close_poll(poll, by=TEST_ACTOR)

    assert chosen_day(poll) == 25


def test_close_poll_without_a_qualifying_slot_says_why_for_each_and_tells_staff():
    panel, (chair, lee, researcher) = panel_of(
        PanelRole.POLICYMAKER, PanelRole.LEE, PanelRole.RESEARCHER
    )
    staff = make_funding_staff()
    poll = open_poll(panel, starts=slots_at(10, 11))
    answers(poll, chair, NO, YES)
    answers(poll, lee, YES, NO)
    answers(poll, researcher, YES, NO)

    closed = close_poll(poll, by=TEST_ACTOR)

    assert (closed.status, closed.chosen_slot) == (PollStatus.NO_SLOT, None)
    assert closed.no_slot_reason.splitlines() == [
        "Thursday 25 June 2026, 10:00 to 12:00 (Europe/London time): the chair cannot come.",
        "Friday 26 June 2026, 10:00 to 12:00 (Europe/London time): no lived experience "
        "expert can come; 1 can come, 2 are needed.",
    ]
    message = Notification.objects.get()
    assert (message.person, message.category, message.kind) == (
        staff.person,
        NotificationCategory.STAFF,
        "funding_meeting_no_slot",
    )
    assert "the chair cannot come" in message.content["neutral"]["body"]


def test_close_poll_twice_closes_once_and_invites_once():
    panel, (chair, lee) = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)
    poll = open_poll(panel, starts=slots_at(10, 11))
    answers(poll, chair, YES, NO)
    answers(poll, lee, YES, NO)

    first = close_poll(poll, by=TEST_ACTOR)
    answer(lee, poll.slots.order_by("starts_at").last(), YES)
    second = close_poll(poll, by=make_funding_staff())

    assert (second.closed_at, second.closed_by, second.chosen_slot) == (
        first.closed_at,
        None,
        first.chosen_slot,
    )
    assert Notification.objects.filter(kind="funding_meeting_invitation").count() == 2


def test_close_poll_is_refused_to_staff_without_the_meeting_permission():
    panel, _members = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)
    poll = open_poll(panel)
    from tests.factories.core import make_staff

    with pytest.raises(ValidationError):
        close_poll(poll, by=make_staff())

    poll.refresh_from_db()
    assert (poll.status, poll.closed_at) == (PollStatus.OPEN, None)


@pytest.mark.parametrize("members", [2, 8])
def test_close_poll_makes_a_fixed_number_of_queries(django_assert_num_queries, members):
    panel = PanelFactory()
    seats = [
        reachable_seat(panel, PanelRole.LEE, email=f"p{n}@example.org", is_chair=n == 0)
        for n in range(members)
    ]
    poll = open_poll(panel, starts=slots_at(10, 11))
    for member in seats:
        answers(poll, member, YES, NO)

    # The same queries whatever the number of members: the outbox queues them in one batch.
    with django_assert_num_queries(14):
        close_poll(poll, by=TEST_ACTOR)

    assert Notification.objects.count() == members


def test_close_due_polls_closes_only_the_polls_past_their_time(time_machine):
    panel, (_chair, _lee) = panel_of(PanelRole.POLICYMAKER, PanelRole.LEE)
    due = open_poll(panel, closes_in=timedelta(hours=1))
    later = open_poll(panel, closes_in=timedelta(days=2))
    time_machine.move_to(NOW + timedelta(hours=2), tick=False)

    count = close_due_polls(by=TEST_ACTOR)
    again = close_due_polls(by=TEST_ACTOR)

    assert (count, again) == (1, 0)
    assert list(MeetingPoll.objects.order_by("pk").values_list("pk", "status")) == [
        (due.pk, PollStatus.NO_SLOT),
        (later.pk, PollStatus.OPEN),
    ]


# Invitations -------------------------------------------------------------------------------------


def scheduled_poll(*, lee_detail="neutral"):
    panel = PanelFactory(call__title="Support after exploitation")
    chair = reachable_seat(panel, PanelRole.POLICYMAKER, email="chair@example.org", is_chair=True)
    lee = reachable_seat(panel, PanelRole.LEE, email="lee@example.org", message_detail=lee_detail)
    poll = open_poll(
        panel,
        starts=slots_at(10, 11),
        title="Trafficking research panel",
        place="Room 4, 1 High Street",
        duration_minutes=90,
    )
    answers(poll, chair, YES, NO)
    answers(poll, lee, YES, NO)
    return poll


def calendar_of(message):
    ((name, text, content_type),) = message.attachments
    assert (name, content_type) == ("meeting.ics", "text/calendar; method=REQUEST; charset=utf-8")
    return icalendar.Calendar.from_ical(text)


def test_invitations_carry_a_calendar_file_each_variant_its_own(
    django_capture_on_commit_callbacks, mailoutbox
):
    poll = scheduled_poll(lee_detail="full")

    with django_capture_on_commit_callbacks(execute=True):
        close_poll(poll, by=TEST_ACTOR)

    by_address = {message.to[0]: message for message in mailoutbox}
    assert sorted(by_address) == ["chair@example.org", "lee@example.org"]
    full = calendar_of(by_address["lee@example.org"])
    neutral = calendar_of(by_address["chair@example.org"])
    assert by_address["lee@example.org"].subject == "Panel meeting: Trafficking research panel"
    assert by_address["chair@example.org"].subject == "A meeting has been arranged"
    (event,) = full.walk("VEVENT")
    assert (str(full["METHOD"]), str(event["SUMMARY"]), str(event["LOCATION"])) == (
        "REQUEST",
        "Trafficking research panel",
        "Room 4, 1 High Street",
    )
    assert event.decoded("DTSTART") == datetime(2026, 6, 25, 9, tzinfo=UTC)
    assert event.decoded("DTEND") == datetime(2026, 6, 25, 10, 30, tzinfo=UTC)
    (discreet,) = neutral.walk("VEVENT")
    assert str(discreet["SUMMARY"]) == "Meeting"
    assert "LOCATION" not in discreet
    assert "Trafficking" not in by_address["chair@example.org"].attachments[0][1]
    assert str(discreet["UID"]) == str(event["UID"]) == f"{meeting_uid(poll)}@localhost"


def test_the_neutral_calendar_file_says_nothing_of_funding_the_panel_or_the_meeting(
    django_capture_on_commit_callbacks, mailoutbox
):
    poll = scheduled_poll()

    with django_capture_on_commit_callbacks(execute=True):
        close_poll(poll, by=TEST_ACTOR)

    (message,) = [m for m in mailoutbox if m.to == ["lee@example.org"]]
    text = message.attachments[0][1].lower()
    leaks = ["funding", "panel", "coprod", "trafficking", "exploitation", "room 4", "high street"]
    assert [word for word in leaks if word in text] == []
    assert f"{poll.pk}@" not in text


def test_the_calendar_uid_is_the_same_every_time_for_a_poll():
    poll = scheduled_poll()
    close_poll(poll, by=TEST_ACTOR)
    poll.refresh_from_db()

    first = icalendar.Calendar.from_ical(meeting_calendar(poll, neutral=False))
    again = icalendar.Calendar.from_ical(meeting_calendar(poll, neutral=False))

    assert [str(e["UID"]) for e in first.walk("VEVENT")] == [
        str(e["UID"]) for e in again.walk("VEVENT")
    ]
    assert str(first.walk("VEVENT")[0]["DTSTART"].to_ical().decode()).endswith("Z")
