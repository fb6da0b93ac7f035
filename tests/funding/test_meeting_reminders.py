"""Meeting reminders (funding.services.meetings.remind_meetings): 7 days and 1 day before the
chosen meeting, to each member, each exactly once — run twice, or killed half way and run
again — in a fixed number of queries."""

from datetime import UTC, datetime, timedelta

import pytest

from coprod.models import Notification
from funding.enums import FundingReminderKind, PanelRole, PollStatus
from funding.models import FundingReminder, MeetingPoll
from funding.services import reminders
from funding.services.meetings import remind_meetings
from tests.factories.core import TEST_ACTOR, backdate_consent_texts
from tests.factories.funding import PanelFactory, open_poll, reachable_seat

pytestmark = pytest.mark.django_db

# Monday 15 June 2026, 10:00 in London.
NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)
MEETING = datetime(2026, 6, 25, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _at_ten_on_a_monday(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    backdate_consent_texts()


def meeting(members=2, *, on=MEETING):
    """A panel whose meeting is set for `on`, with `members` reachable members."""
    panel = PanelFactory()
    seats = [
        reachable_seat(
            panel,
            PanelRole.LEE if n else PanelRole.POLICYMAKER,
            email=f"m{n}@example.org",
            is_chair=n == 0,
        )
        for n in range(members)
    ]
    poll = open_poll(panel, starts=[on, on + timedelta(days=1)], closes_in=timedelta(days=1))
    MeetingPoll.objects.filter(pk=poll.pk).update(
        status=PollStatus.SCHEDULED, chosen_slot=poll.slots.get(starts_at=on)
    )
    return poll, seats


def run(capture):
    with capture(execute=True):
        return remind_meetings(by=TEST_ACTOR)


def sent(mailoutbox):
    return sorted((message.to[0], message.subject) for message in mailoutbox)


def test_no_reminder_more_than_7_days_before(django_capture_on_commit_callbacks, mailoutbox):
    meeting(on=NOW + timedelta(days=7, minutes=1))

    assert run(django_capture_on_commit_callbacks) == 0
    assert (FundingReminder.objects.count(), mailoutbox) == (0, [])


def test_reminders_go_7_days_and_1_day_before_each_once(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    poll, (chair, lee) = meeting()
    start = MEETING

    time_machine.move_to(start - timedelta(days=7), tick=False)
    week = run(django_capture_on_commit_callbacks)
    time_machine.move_to(start - timedelta(days=3), tick=False)
    between = run(django_capture_on_commit_callbacks)
    time_machine.move_to(start - timedelta(hours=23), tick=False)
    day = run(django_capture_on_commit_callbacks)
    time_machine.move_to(start + timedelta(minutes=1), tick=False)
    after = run(django_capture_on_commit_callbacks)

    assert (week, between, day, after) == (2, 0, 2, 0)
    assert sorted(FundingReminder.objects.values_list("kind", "object_id", "occasion")) == sorted(
        (FundingReminderKind.MEETING, member.pk, f"{occasion}:{poll.pk}")
        for member in (chair, lee)
        for occasion in ("7-days", "1-day")
    )
    assert sent(mailoutbox) == [
        ("m0@example.org", "A reminder for you"),
        ("m0@example.org", "A reminder for you"),
        ("m1@example.org", "A reminder for you"),
        ("m1@example.org", "A reminder for you"),
    ]
    assert "Thursday 25 June 2026, 10:00 to 12:00" in mailoutbox[0].body


def test_reminder_sweep_run_twice_reminds_once(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    meeting(members=1, on=NOW + timedelta(days=6))

    first = run(django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    second = run(django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert sent(mailoutbox) == [("m0@example.org", "A reminder for you")]
    assert (FundingReminder.objects.count(), Notification.objects.count()) == (1, 1)


def test_reminder_sweep_killed_half_way_leaves_nothing_and_the_next_sends_all(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    meeting(members=3, on=NOW + timedelta(days=6))

    def killed(batch):
        raise SystemExit("worker killed after the reminders and messages were inserted")

    with monkeypatch.context() as patched:
        patched.setattr(reminders, "_link_messages", killed)
        with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
            remind_meetings(by=TEST_ACTOR)
    assert (FundingReminder.objects.count(), Notification.objects.count(), mailoutbox) == (0, 0, [])

    count = run(django_capture_on_commit_callbacks)

    assert count == 3
    assert [to for to, _subject in sent(mailoutbox)] == [
        "m0@example.org",
        "m1@example.org",
        "m2@example.org",
    ]
    assert FundingReminder.objects.filter(notification__isnull=False).count() == 3


def test_full_detail_reminder_names_the_meeting_and_place(
    django_capture_on_commit_callbacks, mailoutbox
):
    poll, _seats = meeting(members=0, on=NOW + timedelta(hours=20))
    reachable_seat(poll.panel, email="full@example.org", message_detail="full")
    MeetingPoll.objects.filter(pk=poll.pk).update(place="Room 4")

    run(django_capture_on_commit_callbacks)

    assert sent(mailoutbox) == [("full@example.org", "Reminder: panel meeting “Panel meeting”")]
    assert "Where: Room 4" in mailoutbox[0].body


@pytest.mark.parametrize("members", [1, 30])
def test_reminder_sweep_makes_a_fixed_number_of_queries(django_assert_num_queries, members):
    meeting(members=members, on=NOW + timedelta(days=6))

    # Polls, members, reminders sent; savepoint, insert, read back; the outbox's keys, people,
    # consent, savepoint, insert, release; the link; release.
    with django_assert_num_queries(14):
        count = remind_meetings(by=TEST_ACTOR)

    assert count == members == Notification.objects.count()


def test_meeting_sweeps_are_declared_periodic_tasks_of_registered_tasks():
    from coprod import doors
    from coprod.celery import app as celery_app

    celery_app.loader.import_default_modules()  # what a worker does when it starts
    declared = {p.task for p in doors.periodic_tasks() if "meeting" in p.task}

    assert declared == {"coprod.funding.close_due_meeting_polls", "coprod.funding.remind_meetings"}
    assert declared <= set(celery_app.tasks)
