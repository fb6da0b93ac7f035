"""Reminders: periodic sweeps (recruitment.tasks, run by Celery beat) that queue messages through
the outbox, each exactly once.

How "exactly once" holds. A sweep reads what is due in one query, leaving out what already has
a Reminder row (NOT EXISTS). Then, in one transaction, it inserts a Reminder row for each thing
(`bulk_create(ignore_conflicts=True)`, every row stamped with the sweep's own `batch`), reads
back the rows carrying its batch — the ones no other sweep had inserted — and queues the
messages for those only (`coprod.services.notifications.queue_notifications`), then links each
row to its message. Two sweeps at once: the unique key (kind, object, occasion) lets one insert
a row; the other's insert waits for it to commit, skips the row, and sends nothing for it. A
sweep killed half way: its transaction is rolled back, rows and messages together, and the next
sweep sends everything. Each sweep makes the same number of queries whatever the number of due
rows (one select, one insert, one read-back, the outbox's fixed few, one update).

People and staff. Reminders to a person (work not claimed, an application not sent) go through
the outbox's participant rules: consent, pauses, safe times, "only through my support worker".
Reminders to staff are digests: each member of the team gets ONE message per kind per day
(a Reminder row per member per day, occasion "digest:<date>"), with counts and a link, never a
name. They are staff work messages (NotificationCategory.STAFF): sent to the login's own
address, neutral wording, not subject to the participant rules (a member of staff gave no
safe-contact consent, and nothing in the message is about a person).

Staff digests about things that reach a moment — a claim due to be paid, a claim now late, an
eligibility to review — also record a Reminder row for each thing, so each is in one digest per
occasion. Such a digest is sent by a sweep only if every member of the team is still to get
today's: the first sweep of the day that finds something sends to the whole team; things that
come due after it wait for the next day's digest, never dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from coprod.audit import Actor, records_actor
from coprod.enums import NotificationCategory, StaffGroup
from coprod.models import Notification
from coprod.services.notifications import Outgoing, queue_notifications
from recruitment.enums import EngagementKind, ReminderKind
from recruitment.models import Reminder
from recruitment.selectors.reminders import (
    DUE_SOON,
    LATE,
    ONCE,
    claims_waiting_for_approval,
    eligibility_reviews_due,
    payments_due_soon,
    payments_late,
    staff_to_remind,
    unclaimed_work_due,
    unsent_applications_due,
)

KEY_PREFIX = "reminder"


def reminder_key(kind: str, object_id: int, occasion: str) -> str:
    """The outbox idempotency key of a reminder: the same as its Reminder row's unique key."""
    return f"{KEY_PREFIX}:{kind}:{object_id}:{occasion}"


def message_kind(kind: ReminderKind) -> str:
    """The email templates of a reminder: templates/emails/reminder_<kind>/."""
    return f"reminder_{kind}"


def digest_occasion(day: date) -> str:
    return f"digest:{day.isoformat()}"


def _insert_reminders(
    kind: ReminderKind, rows: Iterable[tuple[int, str]], *, now: datetime
) -> tuple[uuid.UUID, list[tuple[int, str]]]:
    """Insert a Reminder row for each (object id, occasion), skipping those that exist; return
    the batch and the rows this call inserted (two queries). Runs inside the sweep's
    transaction."""
    batch = uuid.uuid4()
    Reminder.objects.bulk_create(
        [
            Reminder(kind=kind, object_id=object_id, occasion=occasion, batch=batch, sent_at=now)
            for object_id, occasion in rows
        ],
        ignore_conflicts=True,
    )
    return batch, list(Reminder.objects.filter(batch=batch).values_list("object_id", "occasion"))


def _link_messages(batch: uuid.UUID) -> None:
    """Point each Reminder row of the batch at its message (found by its key; none for the rows
    about the things a digest counts), in one update."""
    key = Concat(
        Value(f"{KEY_PREFIX}:"),
        OuterRef("kind"),
        Value(":"),
        Cast(OuterRef("object_id"), output_field=CharField()),
        Value(":"),
        OuterRef("occasion"),
        output_field=CharField(),
    )
    Reminder.objects.filter(batch=batch).update(
        notification=Subquery(Notification.objects.filter(idempotency_key=key).values("pk")[:1])
    )


def _send_once(
    kind: ReminderKind,
    due: dict[int, Outgoing],
    *,
    occasion: str,
    now: datetime,
) -> int:
    """Queue the messages `due` (by the id of the thing each is about), each once for
    (kind, thing, occasion): the transaction described in the module's docstring."""
    if not due:
        return 0
    with transaction.atomic():
        batch, ours = _insert_reminders(kind, ((object_id, occasion) for object_id in due), now=now)
        queue_notifications([due[object_id] for object_id, _occasion in ours])
        _link_messages(batch)
    return len(ours)


# To people -----------------------------------------------------------------------------------


@records_actor
def remind_unclaimed_work(*, by: Actor, now: datetime | None = None) -> int:
    """Remind people who claim themselves (an active login) that they can claim for work
    completed at least 3 days ago whose claim is still a draft: once per engagement.

    Side effects: saves a Reminder and queues a message (the outbox applies the person's contact
    rules) per engagement due. Returns how many were queued."""
    now = now or timezone.now()
    kind = ReminderKind.CLAIM_NOT_MADE
    due = {
        engagement_id: Outgoing(
            person_id=person_id,
            kind=message_kind(kind),
            key=reminder_key(kind, engagement_id, ONCE),
            context={"work": str(EngagementKind(work).label), "on": on},
        )
        for engagement_id, person_id, work, on in unclaimed_work_due(now=now)
    }
    return _send_once(kind, due, occasion=ONCE, now=now)


@records_actor
def remind_unsent_applications(*, by: Actor, now: datetime | None = None) -> int:
    """Remind whoever is making an application saved as a draft that the opportunity closes in
    3 days or less: the person, or the practitioner making a referral for them (the person may
    have no login; the practitioner is the one who can send it). Once per application.

    Side effects: saves a Reminder and queues a message (the outbox applies the recipient's
    contact rules) per application due. Returns how many were queued."""
    now = now or timezone.now()
    kind = ReminderKind.APPLICATION_UNSENT
    due = {
        application_id: Outgoing(
            person_id=referrer_id or person_id,
            kind=message_kind(kind),
            key=reminder_key(kind, application_id, ONCE),
            context={
                "opportunity": title,
                "closes_on": timezone.localdate(closes_at),
                "referral": referrer_id is not None,
            },
        )
        for application_id, person_id, referrer_id, title, closes_at in unsent_applications_due(
            now=now
        )
    }
    return _send_once(kind, due, occasion=ONCE, now=now)


# To staff: one digest per member per kind per day ------------------------------------------------


def _send_digest(
    kind: ReminderKind,
    *,
    group: StaffGroup,
    permission: str,
    context: dict[str, Any],
    now: datetime,
    things: Sequence[tuple[int, str]] | None = None,
) -> int:
    """Send today's digest of `kind` to each member of `group` whose group gives `permission`.

    With `things` ((id, occasion) of each thing the digest is about), a Reminder row is saved
    for each too, and the digest (its count being the things this sweep took) goes only if every
    member is still to get today's: otherwise nothing is saved, and the things wait for the next
    day's digest. Without, it carries `context` as given (a count of what waits now).
    Returns how many digests were queued."""
    recipients = list(staff_to_remind(group, permission))
    if not recipients:
        return 0
    occasion = digest_occasion(timezone.localdate(now))
    with transaction.atomic():
        rows = [(person_id, occasion) for person_id in recipients]
        batch, ours = _insert_reminders(kind, [*rows, *(things or ())], now=now)
        digests = [object_id for object_id, row_occasion in ours if row_occasion == occasion]
        if things is not None:
            taken = len(ours) - len(digests)
            if not taken or len(digests) != len(recipients):
                transaction.set_rollback(True)
                return 0
            context = {**context, "count": taken}
        if not digests:
            return 0
        queue_notifications(
            [
                Outgoing(
                    person_id=person_id,
                    kind=message_kind(kind),
                    key=reminder_key(kind, person_id, occasion),
                    context=context,
                    category=NotificationCategory.STAFF,
                )
                for person_id in digests
            ]
        )
        _link_messages(batch)
    return len(digests)


def _site_link(path: str) -> str:
    """A link a member of staff can follow from an email (settings.COPROD_SITE_URL + path)."""
    return settings.COPROD_SITE_URL + path


def _claims_link(state: str) -> str:
    """The staff claims queue in `state` (recruitment.views.claims.STATES)."""
    return _site_link(reverse("recruitment:claims_in_state", kwargs={"state": state}))


@records_actor
def remind_claims_waiting_for_approval(*, by: Actor, now: datetime | None = None) -> int:
    """Tell the engagement team (those who may approve claims) how many claims have waited more
    than 3 days for approval: one digest per member per day while any wait.

    Side effects: saves a Reminder and queues a staff message per member. Returns how many."""
    now = now or timezone.now()
    count = claims_waiting_for_approval(now=now).count()
    if not count:
        return 0
    return _send_digest(
        ReminderKind.APPROVAL_WAITING,
        group=StaffGroup.ENGAGEMENT,
        permission="recruitment.approve_claim",
        context={"count": count, "link": _claims_link("waiting")},
        now=now,
    )


@records_actor
def remind_payments_due_soon(*, by: Actor, now: datetime | None = None) -> int:
    """Tell finance (those who mark claims paid) about approved claims due to be paid within 3
    days: each claim in one digest.

    Side effects: saves a Reminder per claim and per member, and queues a staff message per
    member (or nothing, if a member already had today's). Returns how many messages."""
    now = now or timezone.now()
    claims = list(payments_due_soon(today=timezone.localdate(now)))
    if not claims:
        return 0
    return _send_digest(
        ReminderKind.PAYMENT_DUE_SOON,
        group=StaffGroup.FINANCE,
        permission="recruitment.mark_claim_paid",
        context={"link": _claims_link("approved")},
        now=now,
        things=[(pk, DUE_SOON) for pk in claims],
    )


@records_actor
def remind_late_payments(*, by: Actor, now: datetime | None = None) -> int:
    """Tell finance about approved claims now past their pay-by date: each claim in one digest
    (the second occasion after "due soon").

    Side effects: as remind_payments_due_soon. Returns how many messages."""
    now = now or timezone.now()
    claims = list(payments_late(today=timezone.localdate(now)))
    if not claims:
        return 0
    return _send_digest(
        ReminderKind.PAYMENT_LATE,
        group=StaffGroup.FINANCE,
        permission="recruitment.mark_claim_paid",
        context={"link": _claims_link("late")},
        now=now,
        things=[(pk, LATE) for pk in claims],
    )


@records_actor
def remind_eligibility_reviews(*, by: Actor, now: datetime | None = None) -> int:
    """Tell the engagement team (those who record payment eligibility) about eligibilities whose
    review date has come: each in one digest per review date.

    Side effects: saves a Reminder per eligibility and per member, and queues a staff message
    per member. Returns how many messages."""
    now = now or timezone.now()
    due = list(eligibility_reviews_due(today=timezone.localdate(now)))
    if not due:
        return 0
    return _send_digest(
        ReminderKind.ELIGIBILITY_REVIEW,
        group=StaffGroup.ENGAGEMENT,
        permission="recruitment.add_paymenteligibility",
        context={"link": _site_link(reverse("admin:recruitment_paymenteligibility_changelist"))},
        now=now,
        things=[(pk, review_on.isoformat()) for pk, review_on in due],
    )
