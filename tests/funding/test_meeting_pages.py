"""Panel meeting pages: a member's availability form and chosen meeting (with its calendar
file), and staff's polls, new poll, answers per slot, close button and attendance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import icalendar
import pytest

from coprod.models import Person, SafeContactPreferences
from funding.enums import Availability, PanelRole, PollStatus
from funding.models import MeetingAttendance, MeetingPoll, SlotAnswer
from recruitment.models import Engagement
from tests.factories.core import make_user
from tests.factories.funding import (
    PanelFactory,
    answer,
    make_funding_staff,
    open_poll,
    reachable_seat,
    seat,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

# Monday 15 June 2026, 10:00 in London.
NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)
FIRST = datetime(2026, 6, 25, 9, tzinfo=UTC)
SECOND = datetime(2026, 6, 26, 13, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _at_ten_on_a_monday(db, time_machine):
    time_machine.move_to(NOW, tick=False)


def panel_with_poll(**fields):
    panel = PanelFactory(call__title="Support after exploitation")
    chair = seat(panel, PanelRole.POLICYMAKER, ready=False, is_chair=True)
    lee = seat(panel, PanelRole.LEE, ready=False)
    poll = open_poll(panel, starts=[FIRST, SECOND], title="Panel meeting", **fields)
    return poll, chair, lee


def signed_in_as(client, member):
    client.force_login(member.person.login)
    return member


def slot_ids(poll):
    return list(poll.slots.order_by("starts_at").values_list("pk", flat=True))


# Portal ------------------------------------------------------------------------------------------


def test_a_member_sees_each_time_in_words_with_three_choices(client):
    poll, _chair, lee = panel_with_poll()
    signed_in_as(client, lee)

    page = client.get(f"/portal/funding/meetings/{poll.pk}/").content.decode()

    assert "Thursday 25 June 2026, 10:00 to 12:00 (Europe/London time)" in page
    assert "Friday 26 June 2026, 14:30 to 16:30 (Europe/London time)" in page
    assert page.count('value="if_need_be"') == 2


def test_a_member_saves_and_then_changes_their_answers(client):
    poll, _chair, lee = panel_with_poll()
    signed_in_as(client, lee)
    first, second = slot_ids(poll)
    url = f"/portal/funding/meetings/{poll.pk}/"

    client.post(url, {f"slot_{first}": "yes", f"slot_{second}": "no"})
    response = client.post(url, {f"slot_{first}": "if_need_be", f"slot_{second}": "no"})

    assert response.status_code == 302
    assert sorted(SlotAnswer.objects.values_list("slot_id", "member_id", "answer")) == [
        (first, lee.pk, "if_need_be"),
        (second, lee.pk, "no"),
    ]


def test_a_missing_answer_is_shown_on_the_form_and_nothing_is_saved(client):
    poll, _chair, lee = panel_with_poll()
    signed_in_as(client, lee)
    first, _second = slot_ids(poll)

    response = client.post(f"/portal/funding/meetings/{poll.pk}/", {f"slot_{first}": "yes"})

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "Choose yes, if need be, or no for Friday 26 June 2026, 14:30 to 16:30 "
        "(Europe/London time)" in page
    )
    assert "govuk-error-summary" in page
    assert SlotAnswer.objects.count() == 0


def test_after_the_poll_closes_a_member_sees_the_meeting_and_cannot_change_answers(client):
    poll, _chair, lee = panel_with_poll()
    answer(lee, poll.slots.get(starts_at=FIRST), Availability.YES)
    MeetingPoll.objects.filter(pk=poll.pk).update(
        status=PollStatus.SCHEDULED, chosen_slot=poll.slots.get(starts_at=FIRST)
    )
    signed_in_as(client, lee)
    first, second = slot_ids(poll)

    page = client.get(f"/portal/funding/meetings/{poll.pk}/").content.decode()
    client.post(
        f"/portal/funding/meetings/{poll.pk}/", {f"slot_{first}": "no", f"slot_{second}": "no"}
    )

    assert "The meeting is set" in page
    assert f"/portal/funding/meetings/{poll.pk}/meeting.ics" in page
    assert "Save my answers" not in page
    assert list(SlotAnswer.objects.values_list("answer", flat=True)) == ["yes"]


@pytest.mark.parametrize(("detail", "summary"), [("neutral", "Meeting"), ("full", "Panel meeting")])
def test_the_calendar_download_is_worded_as_the_member_asked(client, detail, summary):
    poll, _chair, lee = panel_with_poll(place="Room 4")
    MeetingPoll.objects.filter(pk=poll.pk).update(
        status=PollStatus.SCHEDULED, chosen_slot=poll.slots.get(starts_at=SECOND)
    )
    SafeContactPreferences.objects.update_or_create(
        person=lee.person, defaults={"message_detail": detail}
    )
    signed_in_as(client, lee)

    response = client.get(f"/portal/funding/meetings/{poll.pk}/meeting.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    assert (str(event["SUMMARY"]), event.decoded("DTSTART")) == (summary, SECOND)


def test_a_member_of_another_panel_does_not_find_the_poll(client):
    poll, _chair, _lee = panel_with_poll()
    _other_poll, _other_chair, outsider = panel_with_poll()
    signed_in_as(client, outsider)

    response = client.get(f"/portal/funding/meetings/{poll.pk}/")

    assert response.status_code == 404


def test_the_members_poll_list_makes_the_same_queries_for_1_and_4_polls(client):
    panel = PanelFactory()
    lee = seat(panel, PanelRole.LEE, ready=False)
    signed_in_as(client, lee)

    count = assert_queries_do_not_grow(
        client, "/portal/funding/meetings/", lambda: open_poll(panel)
    )

    # The login with its person, then a page of their panels' polls with the chosen slot.
    assert count == 2


# Staff -------------------------------------------------------------------------------------------


def test_staff_open_a_poll_with_its_times(client):
    panel = PanelFactory(call__title="Support after exploitation")
    client.force_login(make_funding_staff())

    response = client.post(
        "/staff/funding/meetings/new/",
        {
            "panel": panel.pk,
            "title": "Panel meeting",
            "place": "https://meet.example.org/x",
            "duration_minutes": "90",
            "closes_at": "2026-06-20T17:00",
            "slot_1": "2026-06-26T14:00",
            "slot_2": "2026-06-25T10:00",
        },
    )

    poll = MeetingPoll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/staff/funding/meetings/{poll.pk}/"
    assert list(poll.slots.values_list("starts_at", flat=True)) == [
        datetime(2026, 6, 25, 9, tzinfo=UTC),
        datetime(2026, 6, 26, 13, tzinfo=UTC),
    ]


def test_staff_see_why_a_poll_cannot_be_opened_and_nothing_is_saved(client):
    panel = PanelFactory()
    client.force_login(make_funding_staff())

    response = client.post(
        "/staff/funding/meetings/new/",
        {
            "panel": panel.pk,
            "title": "Panel meeting",
            "duration_minutes": "90",
            "closes_at": "2026-06-20T17:00",
            "slot_1": "2026-06-19T10:00",
            "slot_2": "2026-06-25T10:00",
        },
    )

    assert response.status_code == 200
    assert "Each time must be in the future, after answers close." in response.content.decode()
    assert MeetingPoll.objects.count() == 0


def test_staff_see_answers_per_slot_and_who_has_not_answered(client):
    poll, chair, lee = panel_with_poll()
    Person.objects.filter(pk=lee.person_id).update(chosen_name="Rowan", legal_name="Legal Name")
    answer(chair, poll.slots.get(starts_at=FIRST), Availability.YES)
    answer(chair, poll.slots.get(starts_at=SECOND), Availability.IF_NEED_BE)
    client.force_login(make_funding_staff())

    page = client.get(f"/staff/funding/meetings/{poll.pk}/").content.decode()

    assert "Not answered yet" in page
    assert "Rowan" in page
    assert "Legal Name" not in page
    assert "Close the poll now" in page


def test_staffs_close_button_sets_the_meeting_and_invites_the_members(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    from tests.factories.core import backdate_consent_texts

    backdate_consent_texts()
    panel = PanelFactory()
    chair = reachable_seat(panel, PanelRole.POLICYMAKER, email="c@example.org", is_chair=True)
    lee = reachable_seat(panel, PanelRole.LEE, email="l@example.org")
    poll = open_poll(panel, starts=[FIRST, SECOND])
    for member in (chair, lee):
        answer(member, poll.slots.get(starts_at=SECOND), Availability.YES)
    staff = make_funding_staff()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/staff/funding/meetings/{poll.pk}/close/")

    poll.refresh_from_db()
    assert response.status_code == 302
    assert (poll.status, poll.chosen_slot.starts_at, poll.closed_by) == (
        PollStatus.SCHEDULED,
        SECOND,
        staff,
    )
    assert sorted(message.to[0] for message in mailoutbox) == ["c@example.org", "l@example.org"]


def test_staff_record_attendance_and_the_attended_get_an_engagement(client, time_machine):
    poll, chair, lee = panel_with_poll()
    MeetingPoll.objects.filter(pk=poll.pk).update(
        status=PollStatus.SCHEDULED, chosen_slot=poll.slots.get(starts_at=FIRST)
    )
    time_machine.move_to(FIRST + timedelta(hours=3), tick=False)
    client.force_login(make_funding_staff())

    response = client.post(
        f"/staff/funding/meetings/{poll.pk}/attendance/",
        {f"member_{chair.pk}": "yes", f"member_{lee.pk}": "no"},
    )

    assert response.status_code == 302
    assert sorted(MeetingAttendance.objects.values_list("member_id", "attended")) == sorted(
        [(chair.pk, True), (lee.pk, False)]
    )
    assert list(Engagement.objects.values_list("person_id", flat=True)) == [chair.person_id]


def test_staff_poll_list_makes_the_same_queries_for_1_and_4_polls(client):
    panel = PanelFactory()
    client.force_login(make_funding_staff())

    count = assert_queries_do_not_grow(client, "/staff/funding/meetings/", lambda: open_poll(panel))

    # Staff pages' login, MFA check and permissions, then a page of polls.
    assert count == 4


def test_staff_poll_page_makes_the_same_queries_for_1_and_4_members(client):
    panel = PanelFactory()
    poll = open_poll(panel)

    def add_member():
        member = seat(panel, PanelRole.LEE, ready=False)
        for slot in poll.slots.all():
            answer(member, slot, Availability.YES)
        seat(panel, PanelRole.RESEARCHER, ready=False)

    client.force_login(make_funding_staff())

    count = assert_queries_do_not_grow(client, f"/staff/funding/meetings/{poll.pk}/", add_member)

    # Staff pages' three, the poll, the members counted, the slots counted, who has not
    # answered.
    assert count == 7


def test_panel_meetings_link_shows_for_panel_roles_only(client):
    client.force_login(make_user(roles=["lee"]))
    assert "/portal/funding/meetings/" in client.get("/portal/").content.decode()

    client.force_login(make_user(roles=["pwle"]))
    assert "/portal/funding/meetings/" not in client.get("/portal/").content.decode()


def test_things_to_do_asks_a_member_for_their_availability_until_they_answer(client):
    poll, _chair, lee = panel_with_poll()
    # Things to do read the database's clock, which no test can freeze.
    MeetingPoll.objects.filter(pk=poll.pk).update(closes_at=datetime(2099, 1, 1, tzinfo=UTC))
    signed_in_as(client, lee)
    before = client.get("/portal/").content.decode()

    for slot in poll.slots.all():
        answer(lee, slot, Availability.NO)
    after = client.get("/portal/").content.decode()

    assert "Tell us when you can come to a panel meeting" in before
    assert "Tell us when you can come to a panel meeting" not in after
