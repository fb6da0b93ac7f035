"""Delivery over real SMTP, and under worker crashes: nothing lost, nothing stuck, and a message
sent twice (the server had it when its worker died) carries the same Message-ID both times.

The mail server is aiosmtpd, in a thread of the test. The chaos test starts real Celery worker
processes against Redis and the test's PostgreSQL database, and kills them while they send."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings as django_settings
from django.db import connection

from coprod.celery import app
from coprod.enums import NotificationCategory, NotificationStatus
from coprod.models import Notification
from coprod.services.notifications import deliver_notification, message_id
from coprod.tasks import deliver_notification as deliver_task
from coprod.tasks import dispatch_due_notifications as dispatch_task
from tests.brokers import broker_to_ourselves
from tests.conftest import require_env_or_skip
from tests.factories import NotificationFactory
from tests.factories.core import make_reachable_person

MESSAGES = 200
KILLS = 6
# The worker's stale-claim window: short, so that the drain does not wait minutes for the claims
# of killed workers. Shorter than the task time limit, which production never is (coprod.checks):
# that could only add repeats, and every repeat is checked.
STALE_SECONDS = 5
CHAOS_BROKER_DB = 13
# The whole test must stay under a minute.
DEADLINE_SECONDS = 50


class Inbox:
    """An aiosmtpd handler that keeps every message it accepts. It takes `accept_delay` seconds
    to answer the message and `quit_delay` to answer QUIT: the moments a worker may die in."""

    def __init__(self, *, accept_delay: float = 0.0, quit_delay: float = 0.0) -> None:
        self.accept_delay = accept_delay
        self.quit_delay = quit_delay
        self.messages: list[Message] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope) -> str:
        # Kept before any wait: once the client's final dot has arrived the server has the
        # message, as a real one does, even if the client dies before reading the answer.
        self.messages.append(message_from_bytes(envelope.original_content))
        await asyncio.sleep(self.accept_delay)
        return "250 Message accepted for delivery"

    async def handle_QUIT(self, server, session, envelope) -> str:
        await asyncio.sleep(self.quit_delay)
        return "221 Bye"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_inbox(inbox: Inbox) -> Iterator[Inbox]:
    mail_log = logging.getLogger("mail.log")
    level = mail_log.level
    mail_log.setLevel(logging.WARNING)  # aiosmtpd logs every connection at INFO
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    inbox.port = controller.port
    try:
        yield inbox
    finally:
        controller.stop()
        mail_log.setLevel(level)


@pytest.fixture
def smtp_settings(settings):
    """Send through Django's SMTP backend to `inbox.port` (the test sets it)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "coprod <no-reply@coprod.example.org>"
    return settings


@pytest.mark.django_db
def test_message_reaches_a_mail_server_with_the_message_id_of_its_key(smtp_settings):
    notification = NotificationFactory(person=make_reachable_person(email="sam@example.org"))

    with running_inbox(Inbox()) as inbox:
        smtp_settings.EMAIL_PORT = inbox.port
        result = deliver_notification(notification.pk)

    assert result == NotificationStatus.SENT
    assert [(m["To"], m["Message-ID"]) for m in inbox.messages] == [
        ("sam@example.org", message_id(notification))
    ]
    assert message_id(notification).endswith("@coprod.example.org>")


@pytest.mark.django_db
def test_mail_server_silent_at_quit_leaves_the_message_sent(smtp_settings, caplog):
    smtp_settings.EMAIL_TIMEOUT = 0.5
    notification = NotificationFactory(person=make_reachable_person(email="sam@example.org"))

    with running_inbox(Inbox(quit_delay=2)) as inbox:
        smtp_settings.EMAIL_PORT = inbox.port
        result = deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert (result, notification.status, notification.last_error) == ("sent", "sent", "")
    assert len(inbox.messages) == 1
    assert "sam@example.org" not in caplog.text


@pytest.mark.django_db
def test_mail_server_that_cannot_be_reached_leaves_the_message_queued_for_a_retry(smtp_settings):
    smtp_settings.EMAIL_PORT = free_port()  # nothing listens there
    notification = NotificationFactory(person=make_reachable_person(email="sam@example.org"))

    result = deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert (result, notification.status, notification.attempts) == ("queued", "queued", 1)
    assert notification.last_error == "ConnectionRefusedError"


def chaos_database_url() -> str:
    """The test database (`test_<name>`), for the worker processes."""
    db = connection.settings_dict
    credentials = quote(db["USER"], safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


@pytest.fixture
def chaos_broker(settings):
    """A connection to a Redis database of the chaos test's own (the other worker tests use the
    one in CELERY_BROKER_URL), emptied before and after."""
    if not settings.COPROD_TEST_BROKER_URL:
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "no CELERY_BROKER_URL: the chaos test needs Redis"
        )
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER", "SQLite in memory: the chaos test needs PostgreSQL"
        )
    url = urlsplit(settings.COPROD_TEST_BROKER_URL)._replace(path=f"/{CHAOS_BROKER_DB}").geturl()
    # A fixed database: held for the test's whole run (tests/brokers.py).
    with broker_to_ourselves(url):
        redis.Redis.from_url(url).flushdb()
        eager = app.conf.task_always_eager
        app.conf.task_always_eager = False
        try:
            with app.connection_for_write(url) as broker:
                yield broker
        finally:
            app.conf.task_always_eager = eager
            redis.Redis.from_url(url).flushdb()


class Worker:
    """`celery -A coprod worker` in its own process group, with production settings (no secret
    key, the field key of the test settings so it can read the messages) sending to `inbox`."""

    def __init__(self, *, broker_url: str, inbox: Inbox, log: Path) -> None:
        self.environment = {
            **{k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"},
            "DJANGO_SETTINGS_MODULE": "coprod.settings",
            "DJANGO_DEBUG": "0",
            "COPROD_WITHOUT_SECRET_KEY": "1",
            "COPROD_FIELD_ENCRYPTION_KEY": django_settings.COPROD_FIELD_ENCRYPTION_KEY,
            "DATABASE_URL": chaos_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{inbox.port}",
            "DEFAULT_FROM_EMAIL": django_settings.DEFAULT_FROM_EMAIL,
            "COPROD_NOTIFICATION_STALE_CLAIM": str(STALE_SECONDS),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [sys.executable, "-m", "celery", "-A", "coprod", "worker"]
        command += ["--pool", "prefork", "--concurrency", "2", "--loglevel", "WARNING"]
        command += ["--without-mingle", "--without-gossip", "--without-heartbeat"]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(  # noqa: S603  (our own command line)
                command,
                cwd=django_settings.BASE_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL to the whole process group: the main process and its pool processes die at
        once, mid-task, as in a crash or an out-of-memory kill."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.process = None


def make_messages(count: int) -> list[Notification]:
    """Account emails (sent as they are) and, one in four, general messages to a few reachable
    people (the safe-contact rules are applied when sending). Each has its own subject."""
    people = [make_reachable_person(email=f"person{n}@example.org") for n in range(5)]
    messages = []
    for n in range(count):
        subject = f"Chaos {n}"
        if n % 4:
            part = {"subject": subject, "body": "Hello", "to": f"reader{n}@example.org"}
            messages.append(
                NotificationFactory(
                    idempotency_key=f"chaos:{n}",
                    category=NotificationCategory.ACCOUNT,
                    person=None,
                    content={"neutral": part, "full": part},
                )
            )
        else:
            part = {"subject": subject, "body": "Hello"}
            messages.append(
                NotificationFactory(
                    idempotency_key=f"chaos:{n}",
                    person=people[n % len(people)],
                    content={"neutral": part, "full": part},
                )
            )
    return messages


def wait_until(predicate, *, deadline: float, pause: float = 0.02) -> bool:
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(pause)
    return True


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_killed_workers_lose_nothing_and_any_repeat_has_the_same_message_id(chaos_broker, tmp_path):
    started = time.monotonic()
    deadline = started + DEADLINE_SECONDS
    seed = random.randrange(2**32)
    chance = random.Random(seed)
    messages = make_messages(MESSAGES)
    expected = {m.content["neutral"]["subject"]: message_id(m) for m in messages}
    for m in messages:
        deliver_task.apply_async(kwargs={"notification_id": m.pk}, connection=chaos_broker)
    last_sweep = 0.0

    def beat() -> None:
        """Send the sweep every half second, as beat does every minute."""
        nonlocal last_sweep
        if time.monotonic() - last_sweep > 0.5:
            dispatch_task.apply_async(connection=chaos_broker)
            last_sweep = time.monotonic()

    def all_sent() -> bool:
        beat()
        return not Notification.objects.exclude(status=NotificationStatus.SENT).exists()

    # Time for the answers to the message and to QUIT: a kill can land in either.
    with running_inbox(Inbox(accept_delay=0.02, quit_delay=0.01)) as inbox:
        worker = Worker(
            broker_url=chaos_broker.as_uri(include_password=True),
            inbox=inbox,
            log=tmp_path / "worker.log",
        )
        received_at_kills = []
        try:
            for _ in range(KILLS):
                received = len(inbox.messages)
                worker.start()
                sending = wait_until(
                    lambda received=received: beat() or len(inbox.messages) > received,
                    deadline=deadline,
                )
                assert sending, f"the worker sent nothing; its log:\n{worker.log.read_text()}"
                time.sleep(chance.uniform(0, 0.5))
                worker.kill()
                received_at_kills.append(len(inbox.messages))
            worker.start()
            drained = wait_until(all_sent, deadline=deadline, pause=0.1)
        finally:
            worker.kill()
    elapsed = time.monotonic() - started

    copies = defaultdict(list)
    for received in inbox.messages:
        copies[received["Subject"]].append(received["Message-ID"])
    lost = sorted(set(expected) - set(copies), key=lambda s: int(s.split()[1]))
    unexpected = sorted(set(copies) - set(expected))
    other_ids = {s: ids for s, ids in copies.items() if set(ids) != {expected.get(s)}}
    repeated = sum(len(ids) > 1 for ids in copies.values())
    stuck = Notification.objects.exclude(status=NotificationStatus.SENT).count()
    # The run's figures, shown with -s or -rP.
    print(
        f"\nchaos: {MESSAGES} messages, {len(received_at_kills)} kills (after {received_at_kills} "
        f"were received), {len(lost)} lost, {repeated} repeated, {stuck} stuck, "
        f"{len(inbox.messages)} received, {elapsed:.1f} s (seed {seed})"
    )
    assert drained, (
        f"not all sent within {DEADLINE_SECONDS} s; worker log:\n{worker.log.read_text()}"
    )
    assert (lost, unexpected, stuck, other_ids) == ([], [], 0, {})
    # Every kill came while there was still something to send.
    assert len(received_at_kills) == KILLS
    assert received_at_kills[-1] < MESSAGES
