"""Agreement review reminders: a periodic sweep (partnerships.tasks, run by Celery beat) that
tells a partnership's lead, through the outbox, that an agreement's review is due: 30 days
before `review_on` and 7 days before, each once.

The pattern of funding.services.reminders, for PartnershipReminder: the sweep reads what is due,
leaving out what already has a row; then, in one transaction, it inserts a row for each
(`bulk_create(ignore_conflicts=True)`, stamped with the sweep's own `batch`), reads back the rows
carrying its batch — the ones no other sweep inserted — queues the messages for those only, and
links each row to its message. Run twice: the second finds the rows and sends nothing. Killed
half way: rows and messages are rolled back together, and the next run sends everything. The
number of queries does not grow with the number of reminders.

The occasion carries the review date ("30-days:2027-01-31"), so an agreement given a new review
date is reminded again. A reminder missed (the task was down) is still sent when the next run
finds it due: the 30-day one until 7 days before, then only the 7-day one, until the date."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from coprod.audit import Actor, records_actor
from coprod.enums import NotificationCategory
from coprod.models import Notification
from coprod.services.notifications import Outgoing, queue_notifications
from partnerships.enums import PartnershipReminderKind
from partnerships.models import Agreement, PartnershipReminder

KEY_PREFIX = "partnerships-reminder"
KIND = PartnershipReminderKind.AGREEMENT_REVIEW
MESSAGE = "partnerships_agreement_review"
# (occasion, days before the review date), the nearest first: the first that applies is due.
OCCASIONS = (("7-days", 7), ("30-days", 30))


def reminder_key(kind: str, object_id: int, occasion: str) -> str:
    """The outbox idempotency key of a reminder: the same as its row's unique key."""
    return f"{KEY_PREFIX}:{kind}:{object_id}:{occasion}"


def review_occasion(review_on: date, *, today: date) -> str | None:
    """The reminder due `today` for a review on `review_on` ("7-days:<date>", "30-days:<date>"),
    or None (more than 30 days ahead, or the date has passed)."""
    days = (review_on - today).days
    if days < 0:
        return None
    for name, before in OCCASIONS:
        if days <= before:
            return f"{name}:{review_on.isoformat()}"
    return None


def _insert(rows: Iterable[tuple[int, str]], *, now: datetime) -> tuple[uuid.UUID, list]:
    batch = uuid.uuid4()
    PartnershipReminder.objects.bulk_create(
        [
            PartnershipReminder(
                kind=KIND, object_id=object_id, occasion=occasion, batch=batch, sent_at=now
            )
            for object_id, occasion in rows
        ],
        ignore_conflicts=True,
    )
    inserted = PartnershipReminder.objects.filter(batch=batch).values_list("object_id", "occasion")
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
    PartnershipReminder.objects.filter(batch=batch).update(
        notification=Subquery(Notification.objects.filter(idempotency_key=key).values("pk")[:1])
    )


def send_once(due: dict[tuple[int, str], Outgoing], *, now: datetime) -> int:
    """Queue the messages `due` (by (agreement id, occasion)), each once (see the module)."""
    if not due:
        return 0
    with transaction.atomic():
        batch, ours = _insert(due.keys(), now=now)
        queue_notifications([due[row] for row in ours])
        _link_messages(batch)
    return len(ours)


def reviews_due(today: date):
    """Agreements whose review falls in the next 30 days (today included), with their lead's
    person: one query."""
    longest = max(before for _name, before in OCCASIONS)
    return (
        Agreement.objects.filter(
            review_on__gte=today,
            review_on__lte=today + timedelta(days=longest),
            partnership__lead__is_active=True,
            partnership__lead__person__isnull=False,
            partnership__lead__person__erased_at__isnull=True,
        )
        .select_related("partnership__lead")
        .order_by("review_on", "pk")
    )


@records_actor
def remind_agreement_reviews(*, by: Actor, now: datetime | None = None) -> int:
    """Remind each partnership's lead of agreement reviews due: 30 and 7 days before, each once.

    Side effects: saves a PartnershipReminder (object: the agreement; occasion with the review
    date) and queues a staff work message (`partnerships_agreement_review`, category STAFF) per
    reminder due. Returns how many were queued. Four queries plus the outbox's, whatever the
    number due."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = []
    for agreement in reviews_due(today):
        occasion = review_occasion(agreement.review_on, today=today)
        if occasion is not None:
            candidates.append((agreement, occasion))
    if not candidates:
        return 0
    sent = set(
        PartnershipReminder.objects.filter(
            kind=KIND, object_id__in=[agreement.pk for agreement, _o in candidates]
        ).values_list("object_id", "occasion")
    )
    due = {}
    for agreement, occasion in candidates:
        if (agreement.pk, occasion) in sent:
            continue
        link = settings.COPROD_SITE_URL + reverse(
            "partnerships_agreements:list", kwargs={"partnership_id": agreement.partnership_id}
        )
        due[(agreement.pk, occasion)] = Outgoing(
            person_id=agreement.partnership.lead.person_id,
            kind=MESSAGE,
            key=reminder_key(KIND, agreement.pk, occasion),
            context={
                "agreement": agreement.title,
                "partnership": agreement.partnership.title,
                "review_on": date_format(agreement.review_on, "j F Y"),
                "days": (agreement.review_on - today).days,
                "link": link,
            },
            category=NotificationCategory.STAFF,
        )
    return send_once(due, now=now)
