"""The outbox: every message goes through it, once, and only when the person's rules allow."""

import importlib
import re
import smtplib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.core.mail.backends import locmem
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.utils import timezone

from coprod.checks import check_delivery_timings
from coprod.enums import (
    ConsentPurpose,
    HoldReason,
    NotificationCategory,
    NotificationStatus,
    PersonStatus,
    Role,
    StaffGroup,
)
from coprod.models import Notification, Person, RoleGrant, SafeContactPreferences, london_today
from coprod.selectors import messages_for_person
from coprod.services.consent import withdraw_consent
from coprod.services.contact import update_safe_contact
from coprod.services.notifications import (
    DISPATCH_TIME_BUDGET,
    MAX_ATTEMPTS,
    deliver_notification,
    dispatch_due_notifications,
    mark_notification_handled,
    message_id,
    next_safe_moment,
    queue_account_email,
    queue_notification,
    release_held_notifications,
)
from coprod.services.people import set_involvement_status
from coprod.services.roles import end_role
from tests.factories import NotificationFactory, make_person, make_staff, make_user
from tests.factories.core import TEST_ACTOR, backdate_consent_texts, make_reachable_person

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
NEUTRAL_BODY = "Hello {name},\n\nThere is a new message waiting for you. Please sign in to read it."
FULL_BODY = "Hello {name},\n\nThe centre has a new opportunity for you: a paid panel."


class RefusingEmailBackend(BaseEmailBackend):
    """An SMTP server that refuses every message, naming the recipient in its error."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException(f"550 {email_messages[0].to[0]} refused")


class SilentEmailBackend(BaseEmailBackend):
    """A backend that sends nothing and says so only by returning 0, as Django's SMTP backend
    does for a message without a recipient, or for a failure when failing silently."""

    def send_messages(self, email_messages):
        return 0


class SlowEmailBackend(locmem.EmailBackend):
    """A mail server that takes its time: `while_sending(message)` runs before each message is
    accepted (a test moves the clock on there, and may start a sweep)."""

    while_sending = None

    def send_messages(self, email_messages):
        for message in email_messages:
            type(self).while_sending(message)
        return super().send_messages(email_messages)


class KilledAfterAcceptanceEmailBackend(locmem.EmailBackend):
    """A mail server that accepts the message, after which the worker dies (SystemExit, which
    no `except Exception` catches, stands for SIGKILL)."""

    def send_messages(self, email_messages):
        super().send_messages(email_messages)
        raise SystemExit(-9)


class GoodbyeFailsEmailBackend(locmem.EmailBackend):
    """A mail server that accepts messages, then drops the line at goodbye (QUIT). Like Django's
    SMTP backend, `send_messages` opens and closes a connection of its own unless one is open.
    `statuses_at_close` holds the messages' statuses in the database whenever a connection that
    carried a message is closed."""

    statuses_at_close: list[list[str]] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.connected = False
        self.carried = 0

    def open(self):
        if self.connected:
            return False
        self.connected = True
        return True

    def send_messages(self, email_messages):
        opened_here = self.open()
        try:
            self.carried += super().send_messages(email_messages)
        finally:
            if opened_here:
                self.close()
        return len(email_messages)

    def close(self):
        if not self.connected:
            return
        self.connected = False
        if self.carried:
            statuses = list(Notification.objects.values_list("status", flat=True))
            type(self).statuses_at_close.append(statuses)
        raise ConnectionResetError("sam@example.org hung up")


@pytest.fixture
def slow_mail(settings, monkeypatch):
    """`slow_mail(fn)`: send through SlowEmailBackend, calling `fn(message)` during each send."""
    settings.EMAIL_BACKEND = f"{__name__}.SlowEmailBackend"
    return lambda fn: monkeypatch.setattr(SlowEmailBackend, "while_sending", staticmethod(fn))


@pytest.fixture(autouse=True)
def _consent_texts_published_long_ago(db):
    backdate_consent_texts()


def london(*parts):
    return datetime(*parts, tzinfo=LONDON)


def queue(person, key="k1"):
    return queue_notification(
        person, kind="test_message", key=key, context={"detail": "a paid panel"}
    )


def sent(mailoutbox):
    return [(message.to, message.subject, message.body) for message in mailoutbox]


def test_queue_notification_sends_the_neutral_variant_by_default(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person(email="sam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(person)

    notification.refresh_from_db()
    body = NEUTRAL_BODY.format(name=person.display_name)
    assert sent(mailoutbox) == [(["sam@example.org"], "A message for you", body)]
    assert (notification.status, notification.sent_variant) == ("sent", "neutral")
    assert (notification.sent_to, notification.attempts, notification.routed_via) == (
        "sam@example.org",
        1,
        None,
    )


def test_queue_notification_sends_full_detail_when_chosen(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person(email="sam@example.org", message_detail="full")

    with django_capture_on_commit_callbacks(execute=True):
        queue(person)

    body = FULL_BODY.format(name=person.display_name)
    assert sent(mailoutbox) == [(["sam@example.org"], "News from the centre", body)]


def test_queue_notification_uses_the_sign_in_email_without_a_contact_email(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = make_user(email="login@example.org", consents=[ConsentPurpose.CONTACT])

    with django_capture_on_commit_callbacks(execute=True):
        queue(user.person)

    assert [message.to for message in mailoutbox] == [["login@example.org"]]


def test_queue_notification_twice_with_one_key_makes_one_message(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person()

    with django_capture_on_commit_callbacks(execute=True):
        first = queue(person, key="meeting:7:reminder")
        second = queue(person, key="meeting:7:reminder")

    assert first == second
    assert Notification.objects.filter(idempotency_key="meeting:7:reminder").count() == 1
    assert [message.subject for message in mailoutbox] == ["A message for you"]


def test_notification_content_and_address_are_encrypted_at_rest(
    django_capture_on_commit_callbacks,
):
    person = make_reachable_person(email="sam.hidden@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(person)

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content, sent_to FROM coprod_notification WHERE id = %s", [notification.pk]
        )
        raw = " ".join(cursor.fetchone())

    assert all(word not in raw for word in ["centre", "paid panel", "sam.hidden", "Hello"])
    assert Notification.objects.get(pk=notification.pk).sent_to == "sam.hidden@example.org"


def _pause(person):
    set_involvement_status(person, PersonStatus.PAUSED, by=TEST_ACTOR)


def _withdraw(person):
    set_involvement_status(person, PersonStatus.WITHDRAWN, by=TEST_ACTOR)


def _withdraw_contact_consent(person):
    withdraw_consent(person, ConsentPurpose.CONTACT, by=TEST_ACTOR)


def _set_prefs(**prefs):
    return lambda person: SafeContactPreferences.objects.filter(person=person).update(**prefs)


def _reconfirmation_overdue(person):
    _set_prefs(reconfirm_by=london_today() - timedelta(days=1))(person)


def _forget_email(person):
    person.contact_email = ""
    person.save()


def make_practitioner(email="worker@example.org", **fields):
    return make_person(roles=[Role.PRACTITIONER], contact_email=email, **fields)


def route_through_support_worker(person, worker):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    update_safe_contact(
        person, by=staff, confirm=False, channels=["support_worker"], support_worker=worker
    )


def _route_to_paused_support_worker(person):
    worker = make_practitioner(status=PersonStatus.PAUSED)
    _set_prefs(channels=["support_worker"], support_worker=worker)(person)


def _route_to_support_worker_who_is_not_a_practitioner(person):
    # Chosen before support workers had to be practitioners: another survivor.
    worker = make_person(roles=[Role.PWLE], contact_email="worker@example.org")
    _set_prefs(channels=["support_worker"], support_worker=worker)(person)


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (_pause, HoldReason.PAUSED),
        (_withdraw, HoldReason.WITHDRAWN),
        (_withdraw_contact_consent, HoldReason.NO_CONTACT_CONSENT),
        (_reconfirmation_overdue, HoldReason.RECONFIRM_DUE),
        (_set_prefs(person_initiates_only=True), HoldReason.PERSON_INITIATES),
        (_set_prefs(channels=["phone", "post"]), HoldReason.NO_SAFE_CHANNEL),
        (_set_prefs(channels=["support_worker"]), HoldReason.NO_SAFE_CHANNEL),
        (_route_to_paused_support_worker, HoldReason.SUPPORT_WORKER_UNAVAILABLE),
        (
            _route_to_support_worker_who_is_not_a_practitioner,
            HoldReason.SUPPORT_WORKER_UNAVAILABLE,
        ),
        (_forget_email, HoldReason.NO_ADDRESS),
    ],
    ids=[
        "paused",
        "withdrawn",
        "no-contact-consent",
        "reconfirm-due",
        "person-initiates-only",
        "phone-and-post-only",
        "support-worker-not-named",
        "support-worker-paused",
        "support-worker-not-a-practitioner",
        "no-address",
    ],
)
def test_queue_notification_holds_when_the_rules_say_no(
    django_capture_on_commit_callbacks, mailoutbox, arrange, reason
):
    person = make_reachable_person()
    arrange(person)

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(person)

    notification.refresh_from_db()
    assert (notification.status, notification.hold_reason) == ("held", reason)
    assert (notification.attempts, notification.sent_at) == (0, None)
    assert mailoutbox == []


def test_support_worker_route_sends_to_the_worker_with_a_wrapper(
    django_capture_on_commit_callbacks, mailoutbox
):
    worker = make_practitioner(email="worker@example.org")
    person = make_reachable_person(email="sam@example.org")
    route_through_support_worker(person, worker)

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(person)

    notification.refresh_from_db()
    name = person.display_name
    wrapper = (
        f"This message is for {name}. They asked us to reach them through you. "
        "Please pass it on in a safe way.\n\n----\n\n"
    )
    assert sent(mailoutbox) == [
        (["worker@example.org"], "A message for you", wrapper + NEUTRAL_BODY.format(name=name))
    ]
    assert (notification.routed_via, notification.sent_to) == (worker, "worker@example.org")


def _end_practitioner_role_today(worker):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    end_role(RoleGrant.objects.get(person=worker, role=Role.PRACTITIONER), by=staff)


def _pause_worker(worker):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    set_involvement_status(worker, PersonStatus.PAUSED, by=staff)


@pytest.mark.parametrize(
    "arrange", [_end_practitioner_role_today, _pause_worker], ids=["role-ended", "paused"]
)
def test_message_through_a_support_worker_no_longer_available_is_held_not_sent(
    mailoutbox, time_machine, arrange
):
    time_machine.move_to(datetime(2026, 6, 15, 9, tzinfo=UTC), tick=False)
    worker = make_practitioner()
    person = make_reachable_person()
    route_through_support_worker(person, worker)
    notification = queue(person)
    arrange(worker)
    time_machine.move_to(datetime(2026, 6, 16, 9, tzinfo=UTC), tick=False)

    result = deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert (result, notification.hold_reason) == ("held", HoldReason.SUPPORT_WORKER_UNAVAILABLE)
    assert (notification.sent_to, notification.routed_via, notification.attempts) == ("", None, 0)
    assert mailoutbox == []


def test_choosing_a_new_support_worker_sends_what_the_old_one_held(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person()
    old_worker = make_practitioner(email="old@example.org")
    route_through_support_worker(person, old_worker)
    _pause_worker(old_worker)
    held = queue(person)

    with django_capture_on_commit_callbacks(execute=True):
        route_through_support_worker(person, make_practitioner(email="new@example.org"))

    held.refresh_from_db()
    assert (held.status, held.sent_to) == ("sent", "new@example.org")
    assert [m.to for m in mailoutbox] == [["new@example.org"]]


def test_email_text_is_not_html_escaped(django_capture_on_commit_callbacks, mailoutbox):
    worker = make_practitioner(email="worker@example.org")
    person = make_reachable_person()
    route_through_support_worker(person, worker)
    Person.objects.filter(pk=person.pk).update(chosen_name="Sam O'Neil & Jo")
    person.refresh_from_db()

    with django_capture_on_commit_callbacks(execute=True):
        queue(person)

    (message,) = mailoutbox
    assert message.body.startswith("This message is for Sam O'Neil & Jo. They asked")
    assert message.body.endswith(NEUTRAL_BODY.format(name="Sam O'Neil & Jo"))


@pytest.mark.parametrize(
    ("when_queued", "when_sent", "subject"),
    [("neutral", "full", "News from the centre"), ("full", "neutral", "A message for you")],
    ids=["neutral-then-full", "full-then-neutral"],
)
def test_variant_is_chosen_when_sending_not_when_queueing(
    mailoutbox, when_queued, when_sent, subject
):
    person = make_reachable_person(message_detail=when_queued)
    notification = queue(person)
    update_safe_contact(person, by=TEST_ACTOR, confirm=False, message_detail=when_sent)

    deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert [message.subject for message in mailoutbox] == [subject]
    assert notification.sent_variant == when_sent


@pytest.mark.parametrize(
    ("moment", "safe_times", "expected"),
    [
        # Saturday 13 June 2026, evenings on weekdays only: Monday 17:00.
        (london(2026, 6, 13, 19), ["evening"], london(2026, 6, 15, 17)),
        (london(2026, 6, 13, 19), ["evening", "weekend"], london(2026, 6, 13, 19)),
        (london(2026, 6, 12, 22), ["evening"], london(2026, 6, 15, 17)),
        (london(2026, 6, 15, 7), ["morning"], london(2026, 6, 15, 8)),
        (london(2026, 6, 15, 10, 15), ["morning"], london(2026, 6, 15, 10, 15)),
        (london(2026, 6, 15, 12), ["morning"], london(2026, 6, 16, 8)),
        (london(2026, 6, 15, 13), ["evening", "morning"], london(2026, 6, 15, 17)),
        (london(2026, 6, 13, 3), [], london(2026, 6, 13, 3)),
        (london(2026, 6, 13, 3), ["weekend"], london(2026, 6, 13, 3)),
        # Saturday 24 October, 22:00 BST: Sunday 08:00 is GMT, after the clocks go back.
        (london(2026, 10, 24, 22), ["morning", "weekend"], london(2026, 10, 25, 8)),
    ],
    ids=[
        "saturday-evening-weekdays-only",
        "saturday-evening-weekends-too",
        "friday-night",
        "before-morning",
        "in-morning",
        "morning-just-over",
        "between-windows",
        "no-preference",
        "weekend-only",
        "across-clock-change",
    ],
)
def test_next_safe_moment(moment, safe_times, expected):
    result = next_safe_moment(moment.astimezone(UTC), safe_times)

    assert result == expected
    assert result.tzinfo == UTC


def test_message_outside_safe_times_is_queued_for_the_window(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    time_machine.move_to(london(2026, 6, 15, 7), tick=False)
    person = make_reachable_person(safe_times=["morning"])

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(person)

    notification.refresh_from_db()
    assert (notification.status, notification.send_after) == ("queued", london(2026, 6, 15, 8))
    assert (notification.attempts, mailoutbox) == (0, [])


def test_dispatch_sends_a_waiting_message_when_its_window_opens(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    time_machine.move_to(london(2026, 6, 15, 7), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(make_reachable_person(safe_times=["morning"]))

    time_machine.move_to(london(2026, 6, 15, 7, 59), tick=False)
    early = dispatch_due_notifications()
    time_machine.move_to(london(2026, 6, 15, 8), tick=False)
    on_time = dispatch_due_notifications()

    assert (early, on_time) == (0, 1)
    notification.refresh_from_db()
    assert (notification.status, notification.sent_at) == ("sent", london(2026, 6, 15, 8))
    assert [message.subject for message in mailoutbox] == ["A message for you"]


def test_deliver_notification_outside_safe_times_waits_without_using_an_attempt(mailoutbox):
    person = make_reachable_person(safe_times=["morning"])
    noon = london(2026, 6, 15, 12)
    notification = NotificationFactory(person=person, send_after=noon - timedelta(minutes=1))

    result = deliver_notification(notification.pk, now=noon)

    notification.refresh_from_db()
    assert result == "queued"
    assert (notification.send_after, notification.attempts) == (
        london(2026, 6, 16, 8),
        0,
    )
    assert mailoutbox == []


def test_deliver_notification_twice_sends_once(mailoutbox):
    notification = queue(make_reachable_person())

    results = [deliver_notification(notification.pk), deliver_notification(notification.pk)]

    assert results == ["sent", "sent"]
    assert [message.subject for message in mailoutbox] == ["A message for you"]
    notification.refresh_from_db()
    assert notification.attempts == 1


@pytest.mark.parametrize(
    ("claimed_seconds_ago", "sent_count", "status"),
    [(301, 1, "sent"), (299, 0, "sending")],
    ids=["worker-died", "worker-still-sending"],
)
def test_dispatch_requeues_claims_of_dead_workers_only(
    settings, mailoutbox, claimed_seconds_ago, sent_count, status
):
    settings.COPROD_NOTIFICATION_STALE_CLAIM = 300
    claimed_at = timezone.now() - timedelta(seconds=claimed_seconds_ago)
    notification = NotificationFactory(
        person=make_reachable_person(),
        status=NotificationStatus.SENDING,
        claimed_at=claimed_at,
        send_after=claimed_at,
        attempts=1,
    )

    count = dispatch_due_notifications()
    dispatch_due_notifications()

    notification.refresh_from_db()
    assert (count, notification.status) == (sent_count, status)
    assert [message.subject for message in mailoutbox] == ["Neutral subject"] * sent_count


def test_claim_abandoned_on_the_last_attempt_fails_for_good_and_blanks_the_secret(
    settings, mailoutbox, caplog
):
    settings.COPROD_NOTIFICATION_STALE_CLAIM = 300
    claimed_at = timezone.now() - timedelta(seconds=301)
    part = {"subject": "Sign in", "body": "https://example.org/secret", "to": "sam@example.org"}
    notification = NotificationFactory(
        category=NotificationCategory.ACCOUNT,
        person=None,
        content={"neutral": part, "full": part},
        status=NotificationStatus.SENDING,
        claimed_at=claimed_at,
        send_after=claimed_at,
        attempts=MAX_ATTEMPTS,
    )

    dispatch_due_notifications()

    notification.refresh_from_db()
    assert (notification.status, notification.last_error) == ("failed", "WorkerLost")
    assert notification.content["neutral"] == {**part, "body": ""}
    assert mailoutbox == []
    assert "sam@example.org" not in caplog.text


def test_sweep_during_a_slow_send_does_not_send_that_message_again(
    settings, slow_mail, mailoutbox, time_machine
):
    start = datetime(2026, 6, 15, 9, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    notification = NotificationFactory(person=make_reachable_person(email="sam@example.org"))
    longest_task = timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    sweeps = []

    def as_long_as_a_task_may_run_then_a_sweep_starts(message):
        time_machine.shift(longest_task)
        sweeps.append(dispatch_due_notifications())

    slow_mail(as_long_as_a_task_may_run_then_a_sweep_starts)
    # A slow batch reaches this message when its time budget is used, past its start time.
    time_machine.shift(DISPATCH_TIME_BUDGET)

    result = deliver_notification(notification.pk, now=start)

    notification.refresh_from_db()
    assert (result, sweeps) == ("sent", [0])
    assert notification.claimed_at == start + DISPATCH_TIME_BUDGET
    assert [message.to for message in mailoutbox] == [["sam@example.org"]]


def test_message_sent_again_after_its_worker_died_carries_the_same_message_id(
    settings, mailoutbox, time_machine
):
    settings.DEFAULT_FROM_EMAIL = "coprod <no-reply@coprod.example.org>"
    time_machine.move_to(datetime(2026, 6, 15, 9, tzinfo=UTC), tick=False)
    person = make_reachable_person()
    notification = NotificationFactory(person=person, idempotency_key="reminder:claim:12")
    other = NotificationFactory(person=person, idempotency_key="reminder:claim:13")
    settings.EMAIL_BACKEND = f"{__name__}.KilledAfterAcceptanceEmailBackend"
    with pytest.raises(SystemExit):
        deliver_notification(notification.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    time_machine.shift(timedelta(seconds=settings.COPROD_NOTIFICATION_STALE_CLAIM + 1))

    dispatch_due_notifications()

    copies = sorted(m.message()["Message-ID"] for m in mailoutbox)
    assert copies == sorted([message_id(notification)] * 2 + [message_id(other)])
    assert message_id(notification) != message_id(other)
    assert re.fullmatch(r"<[0-9a-f]{32}@coprod\.example\.org>", message_id(notification))


def test_message_is_recorded_sent_before_the_goodbye_to_the_mail_server(
    settings, mailoutbox, monkeypatch
):
    settings.EMAIL_BACKEND = f"{__name__}.GoodbyeFailsEmailBackend"
    monkeypatch.setattr(GoodbyeFailsEmailBackend, "statuses_at_close", [])
    notification = queue(make_reachable_person(email="sam@example.org"))

    result = deliver_notification(notification.pk)

    assert (result, GoodbyeFailsEmailBackend.statuses_at_close) == ("sent", [["sent"]])


def test_failed_goodbye_to_the_mail_server_changes_nothing_and_logs_no_address(
    settings, mailoutbox, monkeypatch, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.GoodbyeFailsEmailBackend"
    monkeypatch.setattr(GoodbyeFailsEmailBackend, "statuses_at_close", [])
    notification = queue(make_reachable_person(email="sam@example.org"))

    deliver_notification(notification.pk)
    dispatch_due_notifications()

    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 1, "")
    assert [m.to for m in mailoutbox] == [["sam@example.org"]]
    assert [r.getMessage() for r in caplog.records if r.levelname == "WARNING"] == [
        f"Closing the mail connection after notification {notification.pk} failed "
        "(ConnectionResetError)"
    ]


def test_dispatch_stops_when_its_time_budget_is_used_and_leaves_the_rest_queued(
    slow_mail, mailoutbox, time_machine
):
    start = datetime(2026, 6, 15, 9, tzinfo=UTC)
    time_machine.move_to(start, tick=False)
    notifications = [
        NotificationFactory(
            person=make_reachable_person(email=f"{name}@example.org"),
            send_after=start - timedelta(minutes=3 - n),
        )
        for n, name in enumerate(["a", "b", "c"])
    ]
    slow_mail(lambda message: time_machine.shift(DISPATCH_TIME_BUDGET * 3 / 4))

    first_sweep = dispatch_due_notifications()
    statuses = [Notification.objects.get(pk=n.pk).status for n in notifications]
    second_sweep = dispatch_due_notifications()

    assert (first_sweep, second_sweep) == (2, 1)
    assert statuses == ["sent", "sent", "queued"]
    assert [m.to for m in mailoutbox] == [["a@example.org"], ["b@example.org"], ["c@example.org"]]


def test_delivery_timings_as_configured_are_in_order():
    assert check_delivery_timings() == []


@pytest.mark.parametrize(
    ("setting", "value", "broken"),
    [
        ("EMAIL_TIMEOUT", 4 * 60, "EMAIL_TIMEOUT (240 s) < soft time limit (240 s)"),
        ("CELERY_TASK_SOFT_TIME_LIMIT", 3 * 60, "one slow send (240 s) <= soft time limit (180 s)"),
        ("CELERY_TASK_SOFT_TIME_LIMIT", 5 * 60, "soft time limit (300 s) < time limit (300 s)"),
        ("CELERY_TASK_TIME_LIMIT", 6 * 60, "time limit (360 s) < broker visibility_timeout"),
        (
            "CELERY_BROKER_TRANSPORT_OPTIONS",
            {"visibility_timeout": 60},
            "visibility_timeout (60 s)",
        ),
        ("COPROD_NOTIFICATION_STALE_CLAIM", 5 * 60, "< COPROD_NOTIFICATION_STALE_CLAIM (300 s)"),
    ],
    ids=["mail-timeout", "sweep-budget", "soft-limit", "time-limit", "visibility", "stale-claim"],
)
def test_delivery_timings_out_of_order_are_refused(settings, setting, value, broken):
    setattr(settings, setting, value)

    errors = check_delivery_timings()

    assert {error.id for error in errors} == {"coprod.E005"}
    assert [error.msg for error in errors if broken in error.msg] != []


def test_delivery_timings_without_a_visibility_timeout_are_refused(settings):
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}

    errors = check_delivery_timings()

    assert [error.id for error in errors] == ["coprod.E005"]
    assert "visibility_timeout must all be set" in errors[0].msg


def test_dispatch_sends_nothing_twice(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        queue(make_reachable_person(email="a@example.org"), key="a")
    queue(make_reachable_person(email="b@example.org"), key="b")

    counts = [dispatch_due_notifications(), dispatch_due_notifications()]

    assert counts == [1, 0]
    assert [message.to for message in mailoutbox] == [["a@example.org"], ["b@example.org"]]


def test_smtp_failure_requeues_with_backoff_and_keeps_only_the_error_class(
    settings, mailoutbox, time_machine
):
    time_machine.move_to(datetime(2026, 6, 15, 9, tzinfo=UTC), tick=False)
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    notification = queue(make_reachable_person(email="sam@example.org"))

    result = deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert result == "queued"
    assert (notification.status, notification.attempts) == ("queued", 1)
    assert notification.send_after == datetime(2026, 6, 15, 9, 2, tzinfo=UTC)
    assert (notification.last_error, notification.sent_at) == ("SMTPException", None)
    assert mailoutbox == []


def test_message_the_backend_did_not_send_is_not_marked_sent(settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.SilentEmailBackend"
    notification = queue(make_reachable_person())

    result = deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert (result, notification.status, notification.sent_at) == ("queued", "queued", None)
    assert (notification.attempts, notification.last_error) == (1, "NothingSent")


def test_smtp_failure_fails_after_max_attempts(settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    notification = queue(make_reachable_person())
    start = timezone.now()

    results = [
        deliver_notification(notification.pk, now=start + timedelta(hours=hour))
        for hour in range(MAX_ATTEMPTS + 1)
    ]

    notification.refresh_from_db()
    assert results == ["queued"] * (MAX_ATTEMPTS - 1) + ["failed", "failed"]
    assert (notification.status, notification.attempts) == ("failed", MAX_ATTEMPTS)
    assert notification.last_error == "SMTPException"


def test_held_and_released_message_counts_only_real_send_attempts(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person()
    notification = queue(person)
    set_involvement_status(person, PersonStatus.PAUSED, by=TEST_ACTOR)
    deliver_notification(notification.pk)

    with django_capture_on_commit_callbacks(execute=True):
        set_involvement_status(person, PersonStatus.ACTIVE, by=TEST_ACTOR)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert len(mailoutbox) == 1


def test_release_held_notifications_keeps_them_while_still_not_allowed(mailoutbox):
    person = make_reachable_person(person_initiates_only=True)
    held = queue(person)

    released = release_held_notifications(person)

    held.refresh_from_db()
    assert (released, held.status, held.hold_reason) == (0, "held", "person_initiates")
    assert mailoutbox == []


def test_release_held_notifications_records_the_reason_that_still_applies(mailoutbox):
    person = make_reachable_person()
    set_involvement_status(person, PersonStatus.PAUSED, by=TEST_ACTOR)
    held = queue(person)
    Person.objects.filter(pk=person.pk).update(status=PersonStatus.ACTIVE)
    withdraw_consent(person, ConsentPurpose.CONTACT, by=TEST_ACTOR)

    released = release_held_notifications(Person.objects.get(pk=person.pk))

    held.refresh_from_db()
    assert (released, held.status, held.hold_reason) == (0, "held", "no_contact_consent")


def test_release_held_notifications_sends_once_allowed(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person(email="sam@example.org", person_initiates_only=True)
    held = queue(person)
    SafeContactPreferences.objects.filter(person=person).update(person_initiates_only=False)

    with django_capture_on_commit_callbacks(execute=True):
        released = release_held_notifications(person)

    held.refresh_from_db()
    assert (released, held.status, held.hold_reason) == (1, "sent", "")
    assert [(m.to, m.subject) for m in mailoutbox] == [(["sam@example.org"], "A message for you")]


def test_mark_notification_handled_closes_a_held_message():
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    held = queue(make_reachable_person(channels=["phone"]))

    handled = mark_notification_handled(held, by=staff, note="Rang her on Tuesday")

    assert (handled.status, handled.handled_by) == ("handled", staff)
    assert Notification.objects.get(pk=held.pk).handled_note == "Rang her on Tuesday"


@pytest.mark.parametrize("status", ["queued", "sent"])
def test_mark_notification_handled_refuses_messages_not_held_or_failed(status):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    notification = NotificationFactory(status=status)

    with pytest.raises(ValueError, match="Only held or failed"):
        mark_notification_handled(notification, by=staff, note="Rang her")

    notification.refresh_from_db()
    assert (notification.status, notification.handled_by, notification.handled_note) == (
        status,
        None,
        "",
    )


def test_account_email_is_sent_at_once_even_when_paused(
    django_capture_on_commit_callbacks, mailoutbox
):
    user = make_user(email="sam@example.org")
    set_involvement_status(user.person, PersonStatus.PAUSED, by=TEST_ACTOR)

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_account_email(
            email="sam@example.org", kind="password_reset_key", subject="Reset", body="Link: x"
        )

    notification.refresh_from_db()
    assert sent(mailoutbox) == [(["sam@example.org"], "Reset", "Link: x")]
    assert (notification.status, notification.category) == ("sent", NotificationCategory.ACCOUNT)
    assert (notification.person, notification.hold_reason) == (user.person, "")
    assert list(messages_for_person(user.person)) == []


RESET_BODY = (
    "Choose a new password: https://coprod.example.org/accounts/password/reset/key/7-s3cret/"
)


def queue_password_reset(email="sam@example.org"):
    return queue_account_email(
        email=email, kind="password_reset_key", subject="Reset your password", body=RESET_BODY
    )


def account_record(email="sam@example.org"):
    """What an account email keeps once it will not be sent again: no body (no link)."""
    kept = {"subject": "Reset your password", "body": "", "to": email}
    return {"neutral": kept, "full": kept}


def test_account_email_body_with_its_link_is_blanked_once_sent(
    django_capture_on_commit_callbacks, mailoutbox
):
    make_user(email="sam@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_password_reset()

    stored = Notification.objects.get(pk=notification.pk)
    assert [(m.to, m.body) for m in mailoutbox] == [(["sam@example.org"], RESET_BODY)]
    assert (stored.status, stored.kind, stored.content) == (
        "sent",
        "password_reset_key",
        account_record(),
    )


def test_account_email_keeps_its_body_for_a_retry_after_a_failed_attempt(settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    notification = queue_password_reset()
    first = deliver_notification(notification.pk)
    kept = Notification.objects.get(pk=notification.pk).content["neutral"]["body"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    second = deliver_notification(notification.pk, now=timezone.now() + timedelta(minutes=3))

    assert (first, kept, second) == ("queued", RESET_BODY, "sent")
    assert [m.body for m in mailoutbox] == [RESET_BODY]
    assert Notification.objects.get(pk=notification.pk).content == account_record()


def test_account_email_body_is_blanked_when_sending_fails_for_good(settings, mailoutbox):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingEmailBackend"
    notification = queue_password_reset()
    start = timezone.now()

    for hour in range(MAX_ATTEMPTS):
        deliver_notification(notification.pk, now=start + timedelta(hours=hour))

    stored = Notification.objects.get(pk=notification.pk)
    assert (stored.status, stored.content) == ("failed", account_record())


def test_general_message_keeps_its_body_after_sending(django_capture_on_commit_callbacks):
    # People read their own messages in the portal; only account emails carry secrets.
    person = make_reachable_person()

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(person)

    stored = Notification.objects.get(pk=notification.pk)
    assert stored.status == "sent"
    assert stored.content["neutral"]["body"] == NEUTRAL_BODY.format(name=person.display_name)


def test_migration_blanks_account_emails_sent_before_and_keeps_those_still_to_send():
    migration = importlib.import_module(
        "coprod.migrations.0007_hold_support_worker_blank_account_bodies"
    )
    sent_before = queue_password_reset(email="sent@example.org")
    Notification.objects.filter(pk=sent_before.pk).update(status=NotificationStatus.SENT)
    waiting = queue_password_reset(email="waiting@example.org")
    general = NotificationFactory(status=NotificationStatus.SENT)

    migration.blank_account_email_bodies(apps, None)

    assert Notification.objects.get(pk=sent_before.pk).content == account_record("sent@example.org")
    assert Notification.objects.get(pk=waiting.pk).content["neutral"]["body"] == RESET_BODY
    assert Notification.objects.get(pk=general.pk).content["neutral"]["body"] == "Neutral body"


def test_account_email_to_an_unknown_address_has_no_person(
    django_capture_on_commit_callbacks, mailoutbox
):
    make_user(email="someone.else@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_account_email(
            email="nobody@example.org", kind="unknown_account", subject="Hi", body="No account."
        )

    notification.refresh_from_db()
    assert (notification.person, notification.status) == (None, "sent")
    assert sent(mailoutbox) == [(["nobody@example.org"], "Hi", "No account.")]


def test_deliver_task_for_a_deleted_message_returns_quietly(mailoutbox):
    from coprod.tasks import deliver_notification as deliver_task

    notification = NotificationFactory(person=make_reachable_person())
    notification.person.delete()

    result = deliver_task.delay(notification_id=notification.pk)

    assert result.get() == ""
    assert mailoutbox == []


@pytest.mark.django_db
def test_old_account_emails_to_unknown_addresses_are_deleted_and_nothing_else():
    from datetime import timedelta

    from django.utils import timezone

    from coprod.services.notifications import delete_old_unlinked_account_emails

    old_unlinked = NotificationFactory(
        person=None, category=NotificationCategory.ACCOUNT, status=NotificationStatus.SENT
    )
    recent_unlinked = NotificationFactory(
        person=None, category=NotificationCategory.ACCOUNT, status=NotificationStatus.SENT
    )
    old_linked = NotificationFactory(
        category=NotificationCategory.ACCOUNT, status=NotificationStatus.SENT
    )
    old_queued = NotificationFactory(person=None, category=NotificationCategory.ACCOUNT)
    long_ago = timezone.now() - timedelta(days=31)
    Notification.objects.exclude(pk=recent_unlinked.pk).update(updated_at=long_ago)

    deleted = delete_old_unlinked_account_emails()

    assert deleted == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {
        recent_unlinked.pk,
        old_linked.pk,
        old_queued.pk,
    }
    assert not Notification.objects.filter(pk=old_unlinked.pk).exists()


def test_the_same_key_in_another_installation_or_after_a_reset_gives_another_message_id(
    time_machine,
):
    person = make_reachable_person()
    time_machine.move_to(datetime(2026, 6, 15, 9, tzinfo=UTC), tick=False)
    first = NotificationFactory(person=person, idempotency_key="reminder:claim:12")
    first_id = message_id(first)
    first.delete()
    time_machine.move_to(datetime(2026, 9, 1, 9, tzinfo=UTC), tick=False)
    again = NotificationFactory(person=person, idempotency_key="reminder:claim:12")

    assert message_id(again) != first_id
    assert message_id(Notification.objects.get(pk=again.pk)) == message_id(again)
