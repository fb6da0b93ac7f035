"""The scoring-due sweep with a real Celery worker against Redis, and two sweeps at once on
PostgreSQL: each reminder is queued exactly once. Likewise two sends of one review at once: it is
sent once and paid once.

Committed data (transactional tests), so that the worker's and the other thread's connections
see it; no frozen clock, which the worker's event loop needs running."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.utils import timezone

from coprod.models import Notification
from funding.enums import FundingReminderKind
from funding.models import FundingReminder, Review
from funding.services import reminders, reviews
from funding.services.reviews import criteria_for
from funding.tasks import remind_scoring_due
from recruitment.models import Engagement
from tests.conftest import require_env_or_skip
from tests.coprod.test_worker import finished_tasks, wait_until, worker  # noqa: F401 (fixtures)
from tests.factories import UserFactory
from tests.factories.core import TEST_ACTOR, make_reachable_person
from tests.factories.funding import (
    PanelFactory,
    PanelMemberFactory,
    ProposalFactory,
    declare_clear,
    seat,
)

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def panel_due_in_two_days():
    now = timezone.now()
    return PanelFactory(
        scoring_started_at=now - timedelta(days=7), scoring_deadline=now + timedelta(days=2)
    )


def member_with_a_review(panel, email):
    person = make_reachable_person(email=email)
    UserFactory(person=person, email=f"login.{email}")
    proposal = ProposalFactory(call=panel.call)
    member = PanelMemberFactory(panel=panel, person=person)
    declare_clear(member, [proposal])
    Review.objects.create(member=member, proposal=proposal)
    return member


@pytest.mark.worker
def test_worker_runs_the_sweep_through_the_broker_and_queues_each_reminder_once(
    worker,  # noqa: F811
    finished_tasks,  # noqa: F811
    mailoutbox,
):
    panel = panel_due_in_two_days()
    members = [
        member_with_a_review(panel, "sam@example.org"),
        member_with_a_review(panel, "jo@example.org"),
    ]

    first = remind_scoring_due.delay()
    # The sweep, then the one task that delivers its batch (enqueued after its commit).
    assert wait_until(lambda: len(finished_tasks) == 2)
    second = remind_scoring_due.delay()
    assert wait_until(lambda: second.id in finished_tasks)

    assert first.id in finished_tasks
    assert sorted(FundingReminder.objects.values_list("kind", "object_id")) == sorted(
        (FundingReminderKind.SCORING_DUE, member.pk) for member in members
    )
    assert list(Notification.objects.values_list("status", flat=True)) == ["sent", "sent"]
    assert sorted(m.to[0] for m in mailoutbox) == ["jo@example.org", "sam@example.org"]


def test_two_sweeps_at_once_queue_each_reminder_once(monkeypatch):
    if connection.vendor != "postgresql":
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "SQLite in memory: two sweeps at once need PostgreSQL"
        )
    panel = panel_due_in_two_days()
    members = [member_with_a_review(panel, f"p{n}@example.org") for n in range(3)]
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
            results[name] = reminders.remind_scoring_due(by=TEST_ACTOR)
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
    assert FundingReminder.objects.count() == Notification.objects.count() == len(members)
    assert FundingReminder.objects.filter(notification__isnull=False).count() == len(members)


def test_two_sends_of_one_review_at_once_send_it_once_and_pay_once(monkeypatch):
    if connection.vendor != "postgresql":
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "SQLite in memory: two sends at once need PostgreSQL"
        )
    panel = PanelFactory(scoring_started_at=timezone.now() - timedelta(days=1))
    proposal = ProposalFactory(call=panel.call)
    member = seat(panel)
    review = Review.objects.create(member=member, proposal=proposal)
    scores = {criterion.pk: 3 for criterion in criteria_for(member, panel.call_id)}
    paying = threading.Event()
    go_on = threading.Event()
    record_for_real = reviews.record_engagement

    def first_send_waits_while_paying(*args, **kwargs):
        # The first send holds the review's row, its engagement not yet committed.
        if not paying.is_set():
            paying.set()
            go_on.wait(timeout=10)
        return record_for_real(*args, **kwargs)

    monkeypatch.setattr(reviews, "record_engagement", first_send_waits_while_paying)
    results = {}

    def send(name):
        try:
            reviews.submit_review(
                Review.objects.get(pk=review.pk), by=member.person.login, scores=scores
            )
            results[name] = "sent"
        except ValidationError as error:
            results[name] = error.code
        finally:
            connections.close_all()

    first = threading.Thread(target=send, args=("first",))
    first.start()
    assert paying.wait(timeout=10)
    second = threading.Thread(target=send, args=("second",))
    second.start()
    second.join(timeout=1)  # blocked on the review's row
    assert second.is_alive()
    go_on.set()
    first.join(timeout=10)
    second.join(timeout=10)

    assert results == {"first": "sent", "second": "already_sent"}
    assert Engagement.objects.filter(source_key=f"funding.review:{review.pk}").count() == 1
