"""Meeting reminders with a real Celery worker against Redis, and two sweeps at once on
PostgreSQL: each reminder is queued exactly once. Likewise two closes of a poll at once (staff's
button and the periodic task): it closes once and invites once.

Committed data (transactional tests), so that the worker's and the other thread's connections
see it; no frozen clock, which the worker's event loop needs running."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from coprod.models import Notification
from funding.enums import Availability, FundingReminderKind, PanelRole, PollStatus
from funding.models import FundingReminder, MeetingPoll, SlotAnswer
from funding.services import meetings, reminders
from funding.tasks import remind_meetings
from tests.conftest import require_env_or_skip
from tests.coprod.test_worker import finished_tasks, wait_until, worker  # noqa: F401 (fixtures)
from tests.factories.core import TEST_ACTOR, backdate_consent_texts
from tests.factories.funding import PanelFactory, open_poll, reachable_seat

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def meeting_in_six_days(*emails):
    backdate_consent_texts()
    panel = PanelFactory()
    seats = [
        reachable_seat(panel, PanelRole.LEE, email=email, is_chair=n == 0)
        for n, email in enumerate(emails)
    ]
    starts = timezone.now().replace(microsecond=0) + timedelta(days=6)
    poll = open_poll(panel, starts=[starts, starts + timedelta(days=1)], closes_in=timedelta(1))
    MeetingPoll.objects.filter(pk=poll.pk).update(
        status=PollStatus.SCHEDULED, chosen_slot=poll.slots.get(starts_at=starts)
    )
    return poll, seats


@pytest.mark.worker
def test_worker_runs_the_sweep_through_the_broker_and_queues_each_reminder_once(
    worker,  # noqa: F811
    finished_tasks,  # noqa: F811
    mailoutbox,
):
    poll, seats = meeting_in_six_days("sam@example.org", "jo@example.org")

    first = remind_meetings.delay()
    # The sweep, then the task that delivers its batch (enqueued after its commit): wait for
    # both messages to be sent (a machine under load may take longer than usual).
    sent = Notification.objects.filter(status="sent")
    assert wait_until(lambda: first.id in finished_tasks and sent.count() == 2, timeout=30)
    second = remind_meetings.delay()
    assert wait_until(lambda: second.id in finished_tasks, timeout=30)

    assert first.id in finished_tasks
    assert sorted(FundingReminder.objects.values_list("kind", "object_id", "occasion")) == sorted(
        (FundingReminderKind.MEETING, seat.pk, f"7-days:{poll.pk}") for seat in seats
    )
    assert list(Notification.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert sorted(m.to[0] for m in mailoutbox) == ["jo@example.org", "sam@example.org"]


def test_two_sweeps_at_once_queue_each_reminder_once(monkeypatch):
    if connection.vendor != "postgresql":
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "SQLite in memory: two sweeps at once need PostgreSQL"
        )
    meeting_in_six_days(*(f"p{n}@example.org" for n in range(3)))
    inserted = threading.Event()
    go_on = threading.Event()
    queue_for_real = reminders.queue_notifications

    def first_sweep_waits_after_its_insert(items):
        # The first sweep to get here holds its rows, uncommitted, while the second sweep runs.
        if not inserted.is_set():
            inserted.set()
            go_on.wait(timeout=10)
        return queue_for_real(items)

    monkeypatch.setattr(reminders, "queue_notifications", first_sweep_waits_after_its_insert)
    results = {}

    def sweep(name):
        try:
            results[name] = meetings.remind_meetings(by=TEST_ACTOR)
        finally:
            connections.close_all()

    first = threading.Thread(target=sweep, args=("first",))
    first.start()
    assert inserted.wait(timeout=10)
    second = threading.Thread(target=sweep, args=("second",))
    second.start()
    second.join(timeout=1)  # blocked on the first sweep's uncommitted rows
    assert second.is_alive()
    go_on.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert results == {"first": 3, "second": 0}
    assert FundingReminder.objects.count() == Notification.objects.count() == 3
    assert FundingReminder.objects.filter(notification__isnull=True).count() == 0


def test_staffs_button_and_the_periodic_close_at_once_close_and_invite_once(monkeypatch):
    if connection.vendor != "postgresql":
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "SQLite in memory: two closes at once need PostgreSQL"
        )
    backdate_consent_texts()
    panel = PanelFactory()
    seats = [
        reachable_seat(panel, PanelRole.LEE, email=f"p{n}@example.org", is_chair=n == 0)
        for n in range(3)
    ]
    poll = open_poll(panel, closes_in=timedelta(seconds=-1))
    for slot in poll.slots.all():
        for member in seats:
            SlotAnswer.objects.create(slot=slot, member=member, answer=Availability.YES)
    inviting = threading.Event()
    go_on = threading.Event()
    queue_for_real = meetings.queue_notifications

    def first_close_waits_while_inviting(items):
        # The first close holds the poll's row, its invitations not yet committed.
        if not inviting.is_set():
            inviting.set()
            go_on.wait(timeout=10)
        return queue_for_real(items)

    monkeypatch.setattr(meetings, "queue_notifications", first_close_waits_while_inviting)
    results = {}

    def run(name, close):
        try:
            results[name] = close()
        finally:
            connections.close_all()

    button = threading.Thread(
        target=run, args=("button", lambda: meetings.close_poll(poll, by=TEST_ACTOR).status)
    )
    button.start()
    assert inviting.wait(timeout=10)
    periodic = threading.Thread(
        target=run, args=("periodic", lambda: meetings.close_due_polls(by=TEST_ACTOR))
    )
    periodic.start()
    periodic.join(timeout=1)  # blocked on the poll's row
    assert periodic.is_alive()
    go_on.set()
    button.join(timeout=10)
    periodic.join(timeout=10)

    assert results == {"button": PollStatus.SCHEDULED, "periodic": 0}
    assert Notification.objects.filter(kind=meetings.INVITATION).count() == 3
