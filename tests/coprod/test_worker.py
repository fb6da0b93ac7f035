"""A real Celery worker against Redis: a queued message is delivered after commit, exactly once.

The worker runs in a thread of the test process, so it shares the locmem outbox; it has its own
database connection, so the test database must be a server (PostgreSQL), not SQLite in memory."""

import logging
import threading
import time

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from coprod.celery import app
from coprod.enums import NotificationStatus
from coprod.models import Notification
from coprod.services.notifications import queue_account_email, queue_notification
from coprod.tasks import deliver_notification
from tests.brokers import broker_to_ourselves
from tests.conftest import require_env_or_skip
from tests.factories import NotificationFactory
from tests.factories.core import make_reachable_person

pytestmark = [
    pytest.mark.worker,
    # Committed data, so the worker's connection sees it; serialized_rollback puts back the rows
    # the migrations seeded (consent texts, staff groups) for the tests that run after.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def finished_tasks():
    """Ids of tasks finished by the worker thread (not run eagerly in the test's own thread).
    The worker closes its database connection after each task, as a worker process would."""
    finished = []

    def on_postrun(task_id, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            connections.close_all()
            finished.append(task_id)

    task_postrun.connect(on_postrun, weak=False)
    yield finished
    task_postrun.disconnect(on_postrun)


@pytest.fixture
def worker(settings, finished_tasks):
    broker_url = settings.COPROD_TEST_BROKER_URL
    if not broker_url:
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "no CELERY_BROKER_URL: the worker test needs Redis"
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER",
            "SQLite in memory: the worker test needs PostgreSQL (DATABASE_URL)",
        )
    with broker_to_ourselves(broker_url):
        yield from _started_worker(broker_url)


def _started_worker(broker_url):
    redis.Redis.from_url(broker_url).flushdb()
    changes = {"task_always_eager": False, "broker_url": broker_url}
    # The embedded worker sets up Celery logging: keep the root logger's (redacting) handlers.
    changes["worker_hijack_root_logger"] = False
    previous = {name: app.conf[name] for name in changes}
    root = logging.getLogger()
    root_level, root_handlers = root.level, list(root.handlers)
    app.conf.update(changes)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False) as started:
            yield started
    finally:
        app.conf.update(previous)
        root.setLevel(root_level)
        root.handlers[:] = root_handlers


def wait_until(predicate, *, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_worker_delivers_a_message_queued_through_the_service(worker, finished_tasks, mailoutbox):
    person = make_reachable_person(email="sam@example.org")

    notification = queue_notification(person, kind="test_message", key="worker:1")

    assert wait_until(lambda: len(finished_tasks) == 1)
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.SENT
    assert [(m.to, m.subject) for m in mailoutbox] == [(["sam@example.org"], "A message for you")]


def test_worker_running_the_same_delivery_twice_sends_once(worker, finished_tasks, mailoutbox):
    notification = NotificationFactory(person=make_reachable_person(email="sam@example.org"))

    results = [deliver_notification.delay(notification_id=notification.pk) for _ in range(2)]

    assert wait_until(lambda: len(finished_tasks) == 2)
    assert sorted(finished_tasks) == sorted(result.id for result in results)
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.SENT
    assert [(m.to, m.subject) for m in mailoutbox] == [(["sam@example.org"], "Neutral subject")]


def test_worker_sends_an_account_email_then_keeps_no_link(worker, finished_tasks, mailoutbox):
    body = "Choose a new password: https://coprod.example.org/accounts/password/reset/key/s3cret/"

    notification = queue_account_email(
        email="sam@example.org", kind="password_reset_key", subject="Reset", body=body
    )

    assert wait_until(lambda: len(finished_tasks) == 1)
    stored = Notification.objects.get(pk=notification.pk)
    assert [(m.to, m.body) for m in mailoutbox] == [(["sam@example.org"], body)]
    assert stored.status == NotificationStatus.SENT
    assert [part["body"] for part in stored.content.values()] == ["", ""]
