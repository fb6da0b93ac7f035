"""Agreement review reminders with a real Celery worker against Redis, and two sweeps at once on
PostgreSQL: each reminder is queued exactly once.

Committed data (transactional tests), so that the worker's and the other thread's connections
see it; no frozen clock, which the worker's event loop needs running."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from coprod.enums import StaffGroup
from coprod.models import Notification
from partnerships.models import PartnershipReminder
from partnerships.services import agreement_reminders
from partnerships.tasks import remind_agreement_reviews
from tests.conftest import require_env_or_skip
from tests.coprod.test_worker import finished_tasks, wait_until, worker  # noqa: F401 (fixtures)
from tests.factories.core import TEST_ACTOR, make_staff
from tests.factories.partnerships import AgreementFactory, PartnershipFactory

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def reviews_in_twenty_days(*emails):
    today = timezone.localdate()
    for email in emails:
        AgreementFactory(
            partnership=PartnershipFactory(lead=make_staff(StaffGroup.PARTNERSHIPS, email=email)),
            signed_on=today - timedelta(days=300),
            review_on=today + timedelta(days=20),
        )


@pytest.mark.worker
def test_worker_runs_the_sweep_through_the_broker_and_queues_each_reminder_once(
    worker,  # noqa: F811
    finished_tasks,  # noqa: F811
    mailoutbox,
):
    reviews_in_twenty_days("sam@example.org", "jo@example.org")

    first = remind_agreement_reviews.delay()
    sent = Notification.objects.filter(status="sent")
    assert wait_until(lambda: first.id in finished_tasks and sent.count() == 2, timeout=30)
    second = remind_agreement_reviews.delay()
    assert wait_until(lambda: second.id in finished_tasks, timeout=30)

    assert PartnershipReminder.objects.count() == 2
    assert list(Notification.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert sorted(m.to[0] for m in mailoutbox) == ["jo@example.org", "sam@example.org"]


def test_two_sweeps_at_once_queue_each_reminder_once(monkeypatch):
    if connection.vendor != "postgresql":
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "SQLite in memory: two sweeps at once need PostgreSQL"
        )
    reviews_in_twenty_days(*(f"p{n}@example.org" for n in range(3)))
    inserted = threading.Event()
    go_on = threading.Event()
    queue_for_real = agreement_reminders.queue_notifications

    def first_sweep_waits_after_its_insert(items):
        # The first sweep to get here holds its rows, uncommitted, while the second sweep runs.
        if not inserted.is_set():
            inserted.set()
            go_on.wait(timeout=10)
        return queue_for_real(items)

    monkeypatch.setattr(
        agreement_reminders, "queue_notifications", first_sweep_waits_after_its_insert
    )
    results = {}

    def sweep(name):
        try:
            results[name] = agreement_reminders.remind_agreement_reviews(by=TEST_ACTOR)
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
    assert PartnershipReminder.objects.count() == Notification.objects.count() == 3
    assert PartnershipReminder.objects.filter(notification__isnull=True).count() == 0
