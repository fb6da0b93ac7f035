"""Reminder sweeps with a real Celery worker against Redis, and two sweeps at once on PostgreSQL:
each reminder is queued exactly once.

Committed data (transactional tests), so that the worker's and the other thread's connections
see it; no frozen clock, which the worker's event loop needs running."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from coprod.models import Notification
from recruitment.enums import ClaimStatus, EngagementStatus, ReminderKind
from recruitment.models import Reminder
from recruitment.services import reminders
from recruitment.tasks import remind_unclaimed_work
from tests.conftest import require_env_or_skip
from tests.coprod.test_worker import finished_tasks, wait_until, worker  # noqa: F401 (fixtures)
from tests.factories import HonorariumClaimFactory, UserFactory
from tests.factories.core import TEST_ACTOR, make_reachable_person

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def unclaimed_work(email):
    """Work completed four days ago, its claim still a draft, by a person with a login."""
    person = make_reachable_person(email=email)
    UserFactory(person=person, email=f"login.{email}")
    return HonorariumClaimFactory(
        engagement__person=person,
        engagement__status=EngagementStatus.COMPLETED,
        engagement__status_changed_at=timezone.now() - timedelta(days=4),
        status=ClaimStatus.DRAFT,
    )


@pytest.mark.worker
def test_worker_runs_the_sweep_through_the_broker_and_queues_each_reminder_once(
    worker,  # noqa: F811
    finished_tasks,  # noqa: F811
    mailoutbox,
):
    claims = [unclaimed_work("sam@example.org"), unclaimed_work("jo@example.org")]

    first = remind_unclaimed_work.delay()
    # The sweep, then the one task that delivers its batch (enqueued after its commit).
    assert wait_until(lambda: len(finished_tasks) == 2)
    second = remind_unclaimed_work.delay()
    assert wait_until(lambda: second.id in finished_tasks)

    assert first.id in finished_tasks
    assert sorted(Reminder.objects.values_list("kind", "object_id")) == sorted(
        (ReminderKind.CLAIM_NOT_MADE, claim.engagement_id) for claim in claims
    )
    assert list(Notification.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert sorted(m.to[0] for m in mailoutbox) == ["jo@example.org", "sam@example.org"]


def test_two_sweeps_at_once_queue_each_reminder_once(monkeypatch):
    if connection.vendor != "postgresql":
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "SQLite in memory: two sweeps at once need PostgreSQL"
        )
    claims = [unclaimed_work(f"p{n}@example.org") for n in range(3)]
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
            results[name] = reminders.remind_unclaimed_work(by=TEST_ACTOR)
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
    assert Reminder.objects.count() == Notification.objects.count() == len(claims)
    assert Reminder.objects.filter(notification__isnull=True).count() == 0
