"""Funding reminders: periodic sweeps (funding.tasks, run by Celery beat) that queue messages
through the outbox, each exactly once — the pattern of recruitment.services.reminders.

A sweep reads what is due, leaving out what already has a FundingReminder row. Then, in one
transaction, it inserts a row for each (`bulk_create(ignore_conflicts=True)`, stamped with the
sweep's own `batch`), reads back the rows carrying its batch — the ones no other sweep inserted —
queues the messages for those only (`queue_notifications`), and links each row to its message.
Two sweeps at once: the unique key (kind, object, occasion) lets one insert a row; the other
skips it and sends nothing for it. A sweep killed half way: its transaction is rolled back, rows
and messages together, and the next sweep sends everything. The number of queries does not grow
with the number of reminders."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from coprod.audit import Actor, records_actor
from coprod.models import Notification
from coprod.services.notifications import Outgoing, queue_notifications
from funding.enums import (
    EXCLUDING_DECISIONS,
    Eligibility,
    FundingReminderKind,
    ProposalStatus,
    ReviewStatus,
)
from funding.models import ConflictDeclaration, FundingReminder, Review

KEY_PREFIX = "funding-reminder"
# Scoring reminders: (occasion, how long before the deadline), the nearest first.
SCORING_OCCASIONS = (("1-day", timedelta(days=1)), ("3-days", timedelta(days=3)))


def reminder_key(kind: str, object_id: int, occasion: str) -> str:
    """The outbox idempotency key of a reminder: the same as its row's unique key."""
    return f"{KEY_PREFIX}:{kind}:{object_id}:{occasion}"


def _insert_reminders(
    kind: str, rows: Iterable[tuple[int, str]], *, now: datetime
) -> tuple[uuid.UUID, list[tuple[int, str]]]:
    batch = uuid.uuid4()
    FundingReminder.objects.bulk_create(
        [
            FundingReminder(
                kind=kind, object_id=object_id, occasion=occasion, batch=batch, sent_at=now
            )
            for object_id, occasion in rows
        ],
        ignore_conflicts=True,
    )
    inserted = FundingReminder.objects.filter(batch=batch).values_list("object_id", "occasion")
    return batch, list(inserted)


def _link_messages(batch: uuid.UUID) -> None:
    key = Concat(
        Value(f"{KEY_PREFIX}:"),
        OuterRef("kind"),
        Value(":"),
        Cast(OuterRef("object_id"), output_field=CharField()),
        Value(":"),
        OuterRef("occasion"),
        output_field=CharField(),
    )
    FundingReminder.objects.filter(batch=batch).update(
        notification=Subquery(Notification.objects.filter(idempotency_key=key).values("pk")[:1])
    )


def send_once(kind: str, due: dict[tuple[int, str], Outgoing], *, now: datetime) -> int:
    """Queue the messages `due` (by (object id, occasion)), each once: see the module's
    docstring."""
    if not due:
        return 0
    with transaction.atomic():
        batch, ours = _insert_reminders(kind, due.keys(), now=now)
        queue_notifications([due[row] for row in ours])
        _link_messages(batch)
    return len(ours)


def scoring_occasion(deadline: datetime, *, now: datetime) -> str | None:
    """Which scoring reminder is due now for `deadline` ("1-day", "3-days"), with the deadline's
    date (a deadline moved later gets its reminders again), or None."""
    for name, before in SCORING_OCCASIONS:
        if now < deadline <= now + before:
            return f"{name}:{timezone.localdate(deadline).isoformat()}"
    return None


def members_with_unsent_reviews(*, now: datetime):
    """(member id, person id, deadline, how many unsent reviews) for panel seats whose scoring is
    open and due within 3 days, counting only the reviews of proposals the member may open (not
    withdrawn nor found ineligible, not kept out of). One query."""
    longest = max(before for _name, before in SCORING_OCCASIONS)
    clear = ConflictDeclaration.objects.filter(
        member_id=OuterRef("member_id"), proposal_id=OuterRef("proposal_id")
    ).filter(Q(conflicted=False) | ~Q(decision__in=EXCLUDING_DECISIONS))
    panel = "proposal__call__panel__"
    return (
        Review.objects.filter(
            status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT],
            # Only proposals the panel still deals with (funding.permissions.panel_proposals).
            proposal__status=ProposalStatus.SUBMITTED,
            member__person__isnull=False,
            member__person__erased_at__isnull=True,
            member__confidentiality_accepted_at__isnull=False,
            **{
                f"{panel}scoring_started_at__isnull": False,
                f"{panel}scoring_closed_at__isnull": True,
                f"{panel}scoring_deadline__gt": now,
                f"{panel}scoring_deadline__lte": now + longest,
            },
        )
        .filter(Exists(clear))
        .exclude(proposal__eligibility=Eligibility.INELIGIBLE)
        .exclude(proposal__applicant_id=F("member__person_id"))
        .order_by()
        .values_list("member_id", "member__person_id", f"{panel}scoring_deadline")
        .annotate(count=Count("pk"))
    )


@records_actor
def remind_scoring_due(*, by: Actor, now: datetime | None = None) -> int:
    """Remind panel members with reviews not sent that scoring is due: 3 days before the
    deadline and 1 day before, one message per member per occasion saying how many.

    Side effects: saves a FundingReminder (its object: the member's seat) and queues a message
    (`reminder_funding_scoring_due`; the outbox applies the person's contact rules) per member
    due. Returns how many were queued."""
    now = now or timezone.now()
    kind = FundingReminderKind.SCORING_DUE
    rows = list(members_with_unsent_reviews(now=now))
    if not rows:
        return 0
    sent = set(
        FundingReminder.objects.filter(
            kind=kind, object_id__in=[member_id for member_id, *_rest in rows]
        ).values_list("object_id", "occasion")
    )
    link = settings.COPROD_SITE_URL + reverse("funding_reviews:list")
    due = {}
    for member_id, person_id, deadline, count in rows:
        occasion = scoring_occasion(deadline, now=now)
        if occasion is None or (member_id, occasion) in sent:
            continue
        due[(member_id, occasion)] = Outgoing(
            person_id=person_id,
            kind="reminder_funding_scoring_due",
            key=reminder_key(kind, member_id, occasion),
            context={
                "count": count,
                "due": timezone.localtime(deadline).strftime("%-d %B %Y, %H:%M"),
                "link": link,
            },
        )
    return send_once(kind, due, now=now)
