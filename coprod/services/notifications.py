"""The outbox: the one door for every message the system sends.

A message is first saved (with a unique idempotency key), then delivered by a task after the
transaction commits. Delivery claims the row with a conditional update, so a task that runs twice
sends once, and marks it sent as soon as the mail server has accepted it. A worker killed mid-send
leaves a claimed row that the dispatcher re-queues, so nothing is lost; if the server had already
accepted the message, the copy sent again carries the same Message-ID, so the receiving server or
mail client can tell it is a repeat. Safe-contact rules are applied when the message is queued and
again when it is sent: a message that may not go now is held (or routed to the person's support
worker), never dropped.
"""

from __future__ import annotations

import hashlib
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import F
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone

from coprod.audit import records_actor
from coprod.enums import (
    SAFE_TIME_HOURS,
    ContactChannel,
    HoldReason,
    MessageDetail,
    NotificationCategory,
    NotificationStatus,
    PersonStatus,
    SafeTime,
)
from coprod.models import Notification, Person, SafeContactPreferences, User
from coprod.selectors import has_consent, logins_with_address, people_with_consent

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# The sweep takes no new message once it has run this long; the rest stay queued for the next
# sweep. So one slow batch ends well before its task time limit and the stale-claim window.
DISPATCH_TIME_BUDGET = timedelta(minutes=2)
DISPATCH_BATCH = 200


class NothingSent(Exception):
    """The mail backend raised nothing but sent nothing (its count was 0: Django's SMTP backend
    does that for a message without a recipient, or for a failure when failing silently)."""


def stale_claim() -> timedelta:
    """How old a claim on a message still "sending" must be before the sweep takes it for one
    abandoned by a dead worker and sends the message again (COPROD_NOTIFICATION_STALE_CLAIM).
    It is longer than the Celery time limit, so no task can still hold such a claim: chosen with
    the time limits and the mail timeout (coprod/settings.py, checked by coprod.checks)."""
    return timedelta(seconds=settings.COPROD_NOTIFICATION_STALE_CLAIM)


def message_id(notification: Notification) -> str:
    """The Message-ID header of every copy of `notification`: made from its idempotency key, so a
    copy sent again (after a worker died between the server's acceptance and marking the row sent)
    carries the same one, and the receiving server or mail client can tell it is a repeat.
    A hash, so that nothing of the key reaches anyone's inbox; the domain is the sender's. The
    row's creation time is hashed with the key: keys such as "reminder:claim:12" repeat between
    installations (staging and production send from one domain) and after a database is reset,
    and a mail provider must not drop a different message as a repeat of an older one; it also
    stops anyone working back from the header to a guessable key."""
    unique = f"coprod-message:{notification.idempotency_key}:{notification.created_at.isoformat()}"
    digest = hashlib.sha256(unique.encode()).hexdigest()
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<{digest[:32]}@{domain}>"


@dataclass(frozen=True)
class Decision:
    hold_reason: str = ""
    address: str = ""
    routed_via: Person | None = None
    variant: str = MessageDetail.NEUTRAL
    send_after: datetime | None = None


def contact_address(person: Person) -> str:
    """Where to email a person: their contact email, else the email they sign in with."""
    if person.contact_email:
        return person.contact_email
    login = person.login
    return login.email if login is not None else ""


def next_safe_moment(moment: datetime, safe_times: list[str]) -> datetime:
    """The first moment at or after `moment` that falls in the person's safe times (London)."""
    windows = sorted(
        SAFE_TIME_HOURS[SafeTime(t)] for t in safe_times if SafeTime(t) in SAFE_TIME_HOURS
    )
    weekends = not safe_times or SafeTime.WEEKEND in safe_times
    if not windows:
        windows = [(0, 24)]
    london = ZoneInfo(settings.TIME_ZONE)
    local = moment.astimezone(london)
    for day_offset in range(8):
        day = (local + timedelta(days=day_offset)).date()
        if day.weekday() >= 5 and not weekends:
            continue
        for start, end in windows:
            window_start = datetime(day.year, day.month, day.day, start, tzinfo=london)
            window_end = datetime(day.year, day.month, day.day, tzinfo=london) + timedelta(
                hours=end
            )
            if local < window_end:
                return max(local, window_start).astimezone(moment.tzinfo)
    return moment


class DeliveryFacts(Protocol):
    """What the delivery rule needs to know about a person beyond their row: whether they have
    consented to be contacted, their safe-contact preferences (with their support worker), and
    whether a support worker may carry messages today. `decide_delivery` asks the database for
    one person (`_QueriedFacts`); `queue_notifications` reads them for everyone at once
    (`_BatchFacts`). Both feed the same rule, `_decide`."""

    def has_contact_consent(self, person: Person) -> bool: ...

    def preferences(self, person: Person) -> SafeContactPreferences | None: ...

    def is_available_support_worker(self, worker: Person, *, today: date) -> bool: ...


class _QueriedFacts:
    """The facts for one person, each read when the rule needs it (so a paused person costs no
    consent or preferences query)."""

    def has_contact_consent(self, person: Person) -> bool:
        return has_consent(person, "contact")

    def preferences(self, person: Person) -> SafeContactPreferences | None:
        return SafeContactPreferences.objects.filter(person=person).first()

    def is_available_support_worker(self, worker: Person, *, today: date) -> bool:
        return Person.objects.support_workers(on=today).filter(pk=worker.pk).exists()


def _decide(person: Person, facts: DeliveryFacts, *, now: datetime) -> Decision:
    """The one rule for a general message: the person's status, consent and safe-contact
    preferences decide whether it may go now, where, in which wording and from when."""
    if person.status == PersonStatus.PAUSED:
        return Decision(hold_reason=HoldReason.PAUSED)
    if person.status == PersonStatus.WITHDRAWN:
        return Decision(hold_reason=HoldReason.WITHDRAWN)
    if not facts.has_contact_consent(person):
        return Decision(hold_reason=HoldReason.NO_CONTACT_CONSENT)
    prefs = facts.preferences(person)
    if prefs is None:
        return Decision(hold_reason=HoldReason.NO_SAFE_CHANNEL)
    if prefs.reconfirmation_overdue(timezone.localdate(now)):
        return Decision(hold_reason=HoldReason.RECONFIRM_DUE)
    if prefs.person_initiates_only:
        return Decision(hold_reason=HoldReason.PERSON_INITIATES)
    variant = prefs.message_detail
    send_after = next_safe_moment(now, prefs.safe_times)
    if prefs.allows(ContactChannel.EMAIL):
        address = contact_address(person)
        if address:
            return Decision(address=address, variant=variant, send_after=send_after)
    worker = prefs.support_worker
    if prefs.allows(ContactChannel.SUPPORT_WORKER) and worker is not None:
        # Checked again for every message: the worker may have stopped being a practitioner, or
        # paused, since they were chosen. Staff then find out who supports the person now.
        if not facts.is_available_support_worker(worker, today=timezone.localdate(now)):
            return Decision(hold_reason=HoldReason.SUPPORT_WORKER_UNAVAILABLE)
        if contact_address(worker):
            return Decision(
                address=contact_address(worker), routed_via=worker, variant=variant, send_after=now
            )
    if prefs.allows(ContactChannel.EMAIL):
        return Decision(hold_reason=HoldReason.NO_ADDRESS)
    return Decision(hold_reason=HoldReason.NO_SAFE_CHANNEL)


def decide_delivery(person: Person, *, now: datetime) -> Decision:
    """Apply the person's status, consent and safe-contact preferences to a general message."""
    return _decide(person, _QueriedFacts(), now=now)


def decide_staff_delivery(person: Person, *, now: datetime) -> Decision:
    """Where a staff work message goes: the sign-in address of the person's login, at once, in
    neutral wording, while the login is active staff. None of the participant rules apply: a
    member of staff gave no safe-contact consent, and their work messages carry counts and
    links, never anything about a person. A login that is no longer active staff gets nothing:
    the message is held (staff see it among the messages not sent)."""
    login = person.login
    if login is None or not login.is_active or not login.is_staff or not login.email:
        return Decision(hold_reason=HoldReason.NOT_STAFF)
    return Decision(address=login.email, variant=MessageDetail.NEUTRAL, send_after=now)


def render_text(template_name: str, context: dict[str, Any]) -> str:
    """Render a plain-text email template. No HTML escaping: an email body is not HTML, and
    "O'Neil & Jo" must not arrive as "O&#x27;Neil &amp; Jo"."""
    return get_template(template_name).template.render(Context(context, autoescape=False))


def render_variants(kind: str, context: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Render `templates/emails/<kind>/{subject,body}[_neutral].txt`. The neutral variant names
    neither the centre nor the subject; it is what goes out unless the person chose full detail."""
    content = {}
    for variant, suffix in ((MessageDetail.FULL, ""), (MessageDetail.NEUTRAL, "_neutral")):
        subject = render_text(f"emails/{kind}/subject{suffix}.txt", context)
        body = render_text(f"emails/{kind}/body{suffix}.txt", context)
        content[str(variant)] = {"subject": " ".join(subject.split()), "body": body.strip()}
    return content


@dataclass(frozen=True)
class Attachment:
    """A small text file sent with a message (a calendar invitation). Kept, like the rest of the
    message, in its encrypted content. `neutral` is the file for the neutral variant and must be
    given: what is attached to a discreet message must be as discreet as its wording (an .ics
    titled "Meeting", not the call's name)."""

    filename: str
    content_type: str
    full: str
    neutral: str


def _with_attachments(
    content: dict[str, dict[str, str]], attachments: Sequence[Attachment]
) -> dict[str, Any]:
    """The rendered variants, each with its own files: `content[variant]["attachments"]` is a
    list of {"filename", "content_type", "text"}."""
    if not attachments:
        return content
    texts = {str(MessageDetail.FULL): "full", str(MessageDetail.NEUTRAL): "neutral"}
    return {
        variant: {
            **part,
            "attachments": [
                {
                    "filename": attachment.filename,
                    "content_type": attachment.content_type,
                    "text": getattr(attachment, texts[variant]),
                }
                for attachment in attachments
            ],
        }
        for variant, part in content.items()
    }


def queue_notification(
    person: Person,
    *,
    kind: str,
    key: str,
    context: dict[str, Any] | None = None,
    attachments: Sequence[Attachment] = (),
) -> Notification:
    """Queue a general message to `person`, rendered from `templates/emails/<kind>/`.

    `key` makes it idempotent: queueing the same key again returns the existing message and sends
    nothing more. `attachments` (calendar files) go with the message, each variant with its own
    version of each file. The message is held at once if the person's status, consent or
    preferences do not allow it now; it stays visible to them in the portal and to staff.

    Side effects: saves a Notification; after commit, enqueues its delivery if it is due."""
    existing = Notification.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    now = timezone.now()
    context = {"display_name": person.display_name, **(context or {})}
    decision = decide_delivery(person, now=now)
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "kind": kind,
                "category": NotificationCategory.GENERAL,
                "person": person,
                "content": _with_attachments(render_variants(kind, context), attachments),
                "status": NotificationStatus.HELD
                if decision.hold_reason
                else NotificationStatus.QUEUED,
                "hold_reason": decision.hold_reason,
                "send_after": decision.send_after or now,
            },
        )
    if created:
        _enqueue_if_due(notification)
    return notification


class _BatchFacts:
    """The facts for many people, read in a fixed number of queries: their rows come with their
    login, preferences and support worker (`queue_notifications` loads them so); consent and the
    support workers available today are read here, one query each."""

    def __init__(self, people: Iterable[Person], *, now: datetime) -> None:
        people = list(people)
        self._consenting = people_with_consent((person.pk for person in people), "contact")
        workers = {
            prefs.support_worker_id
            for prefs in (self.preferences(person) for person in people)
            if prefs is not None and prefs.support_worker_id is not None
        }
        self._available_workers = set(
            Person.objects.support_workers(on=timezone.localdate(now))
            .filter(pk__in=workers)
            .values_list("pk", flat=True)
        )

    def has_contact_consent(self, person: Person) -> bool:
        return person.pk in self._consenting

    def preferences(self, person: Person) -> SafeContactPreferences | None:
        try:
            return person.safe_contact
        except SafeContactPreferences.DoesNotExist:
            return None

    def is_available_support_worker(self, worker: Person, *, today: date) -> bool:
        return worker.pk in self._available_workers


@dataclass(frozen=True)
class Outgoing:
    """One message for `queue_notifications`: to the person `person_id`, rendered from
    `templates/emails/<kind>/` with `context`, idempotent by `key`, with `attachments` (see
    `Attachment`). `category` is GENERAL (the participant rules apply) or STAFF (a staff work
    message: `decide_staff_delivery`)."""

    person_id: int
    kind: str
    key: str
    context: Mapping[str, Any] = field(default_factory=dict)
    category: str = NotificationCategory.GENERAL
    attachments: Sequence[Attachment] = ()


QUEUEABLE_CATEGORIES = frozenset({NotificationCategory.GENERAL, NotificationCategory.STAFF})


def queue_notifications(items: Sequence[Outgoing]) -> list[Notification]:
    """Queue many messages at once, in a fixed number of queries whatever their number (for
    periodic sweeps): the same decisions as `queue_notification`, message by message (the one
    rule, `_decide`), with everyone's status, login, consent and preferences read together.

    Idempotent by key: a key already in the outbox is skipped. Call it inside the transaction
    that records why the messages are sent (a sweep's Reminder rows), so that both are saved or
    neither; two calls racing with the same key fail at the unique key, and that transaction
    with them.

    Side effects: saves the new Notifications (held at once where the rules say so); after
    commit, enqueues ONE task that delivers those due now (`deliver_notifications`), not one
    per message. Returns the Notifications created."""
    keys = [item.key for item in items]
    if len(set(keys)) != len(keys):
        raise ValueError("Each message needs its own idempotency key.")
    if any(item.category not in QUEUEABLE_CATEGORIES for item in items):
        raise ValueError("Account emails go through queue_account_email.")
    if not items:
        return []
    existing = set(
        Notification.objects.filter(idempotency_key__in=keys)
        .order_by()
        .values_list("idempotency_key", flat=True)
    )
    items = [item for item in items if item.key not in existing]
    if not items:
        return []
    now = timezone.now()
    people = (
        Person.objects.select_related("user", "safe_contact__support_worker__user")
        .order_by()
        .in_bulk({item.person_id for item in items})
    )
    general = [
        people[item.person_id] for item in items if item.category == NotificationCategory.GENERAL
    ]
    facts = _BatchFacts(general, now=now)
    notifications = []
    for item in items:
        person = people[item.person_id]
        if item.category == NotificationCategory.STAFF:
            decision = decide_staff_delivery(person, now=now)
        else:
            decision = _decide(person, facts, now=now)
        context = {"display_name": person.display_name, **item.context}
        notifications.append(
            Notification(
                idempotency_key=item.key,
                kind=item.kind,
                category=item.category,
                person=person,
                content=_with_attachments(render_variants(item.kind, context), item.attachments),
                status=NotificationStatus.HELD
                if decision.hold_reason
                else NotificationStatus.QUEUED,
                hold_reason=decision.hold_reason,
                send_after=decision.send_after or now,
            )
        )
    with transaction.atomic():
        created = Notification.objects.bulk_create(notifications)
    _enqueue_many(created)
    return created


def queue_account_email(
    *, email: str, kind: str, subject: str, body: str, person: Person | None = None
) -> Notification:
    """Queue a sign-in, verification, password or security email (from allauth). These are sent at
    once and never held; their wording is neutral (our templates under `account/email/`).

    `person` is who it is for, when the address is not (yet) their sign-in address (an invitation,
    a new address to confirm); otherwise the login with that address says who. Either way the
    message is theirs: it appears in their data download and goes with their erasure.

    The body usually carries a secret (a sign-in, reset or invitation link): it is kept, encrypted,
    only until the message is sent or fails for good, then blanked.

    Side effects: saves a Notification; after commit, enqueues its delivery."""
    if person is None:
        user = logins_with_address(email).first()
        person = user.person if user is not None else None
    content = {"subject": subject, "body": body, "to": email}
    notification = Notification.objects.create(
        idempotency_key=f"account:{uuid.uuid4()}",
        kind=kind,
        category=NotificationCategory.ACCOUNT,
        person=person,
        content={MessageDetail.NEUTRAL: content, MessageDetail.FULL: content},
    )
    _enqueue_if_due(notification)
    return notification


def _enqueue_if_due(notification: Notification) -> None:
    if notification.status != NotificationStatus.QUEUED:
        return
    if notification.send_after > timezone.now():
        return  # the dispatcher sends it when its time comes: long delays live in the database
    from coprod.tasks import deliver_notification as deliver_task

    def enqueue() -> None:
        try:
            deliver_task.delay(notification_id=notification.pk)
        except Exception:
            # The row is saved and queued; the periodic dispatcher will deliver it.
            logger.warning(
                "Could not enqueue notification %s; the dispatcher will send it", notification.pk
            )

    transaction.on_commit(enqueue)


def _enqueue_many(notifications: Sequence[Notification]) -> None:
    """After commit, one task delivers every message of the batch that is due now (the others
    wait in the database for the dispatcher): one broker call, not one per message."""
    now = timezone.now()
    due = [
        notification.pk
        for notification in notifications
        if notification.status == NotificationStatus.QUEUED and notification.send_after <= now
    ]
    if not due:
        return
    from coprod.tasks import deliver_notifications as deliver_task

    def enqueue() -> None:
        try:
            deliver_task.delay(notification_ids=due)
        except Exception:
            # The rows are saved and queued; the periodic dispatcher will deliver them.
            logger.warning(
                "Could not enqueue %s notifications; the dispatcher will send them", len(due)
            )

    transaction.on_commit(enqueue)


def deliver_notifications(notification_ids: Sequence[int], *, now: datetime | None = None) -> int:
    """Deliver these messages one by one (`deliver_notification`: each claimed, checked and sent
    once), until DISPATCH_TIME_BUDGET is used; the rest stay queued for the dispatcher.

    Side effects: as `deliver_notification`, for each. Returns how many were sent."""
    started = timezone.now()
    sent = 0
    for done, pk in enumerate(notification_ids):
        if timezone.now() - started >= DISPATCH_TIME_BUDGET:
            logger.warning(
                "Delivery used its time budget after %s messages; %s wait for the dispatcher",
                done,
                len(notification_ids) - done,
            )
            break
        sent += deliver_notification(pk, now=now) == NotificationStatus.SENT
    return sent


def deliver_notification(notification_id: int, *, now: datetime | None = None) -> str:
    """Send one queued message if it is due and still allowed; idempotent.

    Claims the row (queued → sending) with a conditional update so that concurrent or repeated
    runs send once. Re-applies the safe-contact rules at the moment of sending. Marks the row sent
    as soon as the mail server has accepted the message, before saying goodbye (QUIT): a worker
    that dies after that point leaves nothing to send again. Every attempt carries the same
    Message-ID (`message_id`).

    `now` is the moment against which "is it due" and the safe-contact rules are judged (default:
    the real time). The claim, sent and retry times are always the real time: the sweep compares
    the claim time with its clock to tell a slow send from a dead worker.

    Side effects: sends one email (opening and closing its own mail connection); saves the
    Notification as sent, held, re-queued or failed;
    blanks an account email's body once it is sent or has failed for good.
    Returns the resulting status."""
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status=NotificationStatus.QUEUED, send_after__lte=now
    ).update(
        status=NotificationStatus.SENDING, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    if not claimed:
        current = Notification.objects.filter(pk=notification_id).values_list("status", flat=True)
        return current.first() or ""
    notification = Notification.objects.select_related("person").get(pk=notification_id)

    if notification.category == NotificationCategory.ACCOUNT:
        content = notification.content[MessageDetail.NEUTRAL]
        decision = Decision(address=content["to"], variant=MessageDetail.NEUTRAL)
    elif notification.category == NotificationCategory.STAFF:
        decision = decide_staff_delivery(notification.person, now=now)
    else:
        decision = decide_delivery(notification.person, now=now)
    # Holding or waiting for a safe time is not an attempt to send: give the claim's attempt back,
    # so that holds and releases never use up MAX_ATTEMPTS.
    if decision.hold_reason:
        _set_status(
            notification,
            NotificationStatus.HELD,
            hold_reason=decision.hold_reason,
            attempts=F("attempts") - 1,
        )
        return NotificationStatus.HELD
    if decision.send_after is not None and decision.send_after > now:
        _set_status(
            notification,
            NotificationStatus.QUEUED,
            send_after=decision.send_after,
            attempts=F("attempts") - 1,
        )
        return NotificationStatus.QUEUED

    content = notification.content[decision.variant]
    body = content["body"]
    if decision.routed_via is not None:
        body = render_text(
            "emails/routed_through_support_worker.txt",
            {"display_name": notification.person.display_name, "body": body},
        ).strip()
    message = EmailMessage(
        subject=content["subject"],
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[decision.address],
        headers={"Message-ID": message_id(notification)},
    )
    for attachment in content.get("attachments", ()):
        message.attach(attachment["filename"], attachment["text"], attachment["content_type"])
    # The connection is opened here rather than by message.send(), which would also wait for the
    # server's answer to QUIT before returning: the message counts as sent once it is accepted.
    connection = get_connection()
    try:
        try:
            connection.open()
            if connection.send_messages([message]) != 1:
                raise NothingSent
        except Exception as error:
            return _record_failed_attempt(notification, error)
        Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
            status=NotificationStatus.SENT,
            sent_at=timezone.now(),
            sent_to=decision.address,
            sent_variant=decision.variant,
            routed_via=decision.routed_via,
            hold_reason="",
            last_error="",
            **_secrets_removed(notification),
        )
        return NotificationStatus.SENT
    finally:
        _close_quietly(connection, notification)


def _record_failed_attempt(notification: Notification, error: Exception) -> str:
    """Re-queue with a growing delay, or fail for good after MAX_ATTEMPTS. Keeps only the error's
    class: an SMTP error's text can name the recipient."""
    give_up = notification.attempts >= MAX_ATTEMPTS
    _set_status(
        notification,
        NotificationStatus.FAILED if give_up else NotificationStatus.QUEUED,
        send_after=timezone.now() + timedelta(minutes=2**notification.attempts),
        last_error=type(error).__name__,
        **(_secrets_removed(notification) if give_up else {}),
    )
    logger.warning(
        "Sending notification %s failed (%s), attempt %s",
        notification.pk,
        type(error).__name__,
        notification.attempts,
    )
    return NotificationStatus.FAILED if give_up else NotificationStatus.QUEUED


def _close_quietly(connection: BaseEmailBackend, notification: Notification) -> None:
    """Say goodbye to the mail server. The message has been accepted (and recorded) or has
    failed (and been recorded) by now, so a failure here changes nothing but a line in the log."""
    try:
        connection.close()
    except Exception as error:
        logger.warning(
            "Closing the mail connection after notification %s failed (%s)",
            notification.pk,
            type(error).__name__,
        )


def _secrets_removed(notification: Notification) -> dict[str, Any]:
    """For an account email that will not be sent again: its content without the body, which
    carries a sign-in, reset or invitation link. Subject and address stay, as a record."""
    if notification.category != NotificationCategory.ACCOUNT:
        return {}
    content = {variant: {**part, "body": ""} for variant, part in notification.content.items()}
    return {"content": content}


def _set_status(notification: Notification, status: str, **fields: Any) -> None:
    Notification.objects.filter(pk=notification.pk, status=NotificationStatus.SENDING).update(
        status=status, **fields
    )


def dispatch_due_notifications(*, now: datetime | None = None) -> int:
    """The periodic sweep: re-queue claims abandoned by a dead worker (failing those on their
    last attempt), then deliver what is due, oldest first, until it has run for
    DISPATCH_TIME_BUDGET; the rest wait for the next sweep.

    `now` judges what is due (default: the real time, read again for each message). Stale claims
    (older than `stale_claim()`) and the budget are measured on the real clock.

    Side effects: as `deliver_notification`, for each due message. Returns how many were sent."""
    started = timezone.now()
    _requeue_abandoned_claims(stale_before=started - stale_claim())
    due = list(
        Notification.objects.filter(
            status=NotificationStatus.QUEUED, send_after__lte=now or started
        )
        .order_by("send_after")
        .values_list("pk", flat=True)[:DISPATCH_BATCH]
    )
    sent = 0
    for done, pk in enumerate(due):
        if timezone.now() - started >= DISPATCH_TIME_BUDGET:
            logger.warning(
                "Sweep used its time budget after %s messages; %s wait for the next sweep",
                done,
                len(due) - done,
            )
            break
        sent += deliver_notification(pk, now=now) == NotificationStatus.SENT
    return sent


def _requeue_abandoned_claims(*, stale_before: datetime) -> None:
    """Re-queue the messages whose claim is older than `stale_before`: their worker died.
    One abandoned on its last attempt (each claim counts one) fails for good instead, its
    secret blanked if it is an account email, as after a send that failed for good: a message
    that kills its worker every time, or breaks before sending, would otherwise be claimed (and
    perhaps sent) again for ever."""
    abandoned = Notification.objects.filter(
        status=NotificationStatus.SENDING, claimed_at__lt=stale_before
    )
    for notification in abandoned.filter(attempts__gte=MAX_ATTEMPTS):
        Notification.objects.filter(
            pk=notification.pk,
            status=NotificationStatus.SENDING,
            claimed_at=notification.claimed_at,
        ).update(
            status=NotificationStatus.FAILED,
            claimed_at=None,
            last_error="WorkerLost",
            **_secrets_removed(notification),
        )
        logger.warning(
            "Notification %s failed for good: its worker died on attempt %s",
            notification.pk,
            notification.attempts,
        )
    abandoned.update(status=NotificationStatus.QUEUED, claimed_at=None)


def hold_queued_notifications(person: Person, *, reason: HoldReason) -> int:
    """Hold every general message to `person` that is still waiting to go, at once (pausing,
    withdrawing, or withdrawing consent to be contacted). A message already being sent is left
    to `deliver_notification`, which checks again before sending.

    Side effects: saves the Notifications as held with `reason`. Returns how many."""
    return Notification.objects.filter(
        person=person,
        category=NotificationCategory.GENERAL,
        status=NotificationStatus.QUEUED,
    ).update(status=NotificationStatus.HELD, hold_reason=reason)


def release_held_notifications(person: Person) -> int:
    """Re-queue this person's held messages that their status and preferences now allow.

    Side effects: saves the released Notifications as queued; enqueues their delivery after
    commit. Returns how many were released."""
    now = timezone.now()
    held = Notification.objects.filter(
        person=person, category=NotificationCategory.GENERAL, status=NotificationStatus.HELD
    )
    # Ids only: the released messages' (encrypted) content is not needed here.
    held_ids = list(held.values_list("pk", flat=True))
    if not held_ids:
        return 0
    decision = decide_delivery(person, now=now)
    if decision.hold_reason:
        held.update(hold_reason=decision.hold_reason)
        return 0
    send_after = decision.send_after or now
    Notification.objects.filter(pk__in=held_ids, status=NotificationStatus.HELD).update(
        status=NotificationStatus.QUEUED, hold_reason="", send_after=send_after
    )
    for pk in held_ids:
        _enqueue_if_due(
            Notification(pk=pk, status=NotificationStatus.QUEUED, send_after=send_after)
        )
    return len(held_ids)


@records_actor
def mark_notification_handled(notification: Notification, *, by: User, note: str) -> Notification:
    """Staff contacted the person another way (phone, post, in person): close the held message.

    Side effects: saves the Notification as handled, with who and how."""
    updated = Notification.objects.filter(
        pk=notification.pk, status__in=[NotificationStatus.HELD, NotificationStatus.FAILED]
    ).update(status=NotificationStatus.HANDLED, handled_by=by, handled_note=note)
    notification.refresh_from_db()
    if not updated:
        raise ValueError("Only held or failed messages can be marked as handled.")
    return notification


# An account email that went to an address nobody's login has is kept this long (as a record
# that it was sent), then deleted: the address is someone's personal data, and no person's
# download or erasure would ever find it.
UNLINKED_ACCOUNT_EMAIL_LIFETIME = timedelta(days=30)


def delete_old_unlinked_account_emails(*, now: datetime | None = None) -> int:
    """Delete account emails with no person, finished (sent, failed or handled) more than
    UNLINKED_ACCOUNT_EMAIL_LIFETIME ago (run daily).

    Side effects: deletes Notifications. Returns how many."""
    now = now or timezone.now()
    deleted, _by_model = Notification.objects.filter(
        person__isnull=True,
        category=NotificationCategory.ACCOUNT,
        status__in=[NotificationStatus.SENT, NotificationStatus.FAILED, NotificationStatus.HANDLED],
        updated_at__lt=now - UNLINKED_ACCOUNT_EMAIL_LIFETIME,
    ).delete()
    return deleted
