""" "You said, we did": what lived experience members said, the centre's response and what
changed, and closing the loop — telling the person who said it what came of it.

Flagging old items. An item still open `settings.COPROD_YOU_SAID_FLAG_AFTER_DAYS` days after it
was said is flagged on the staff pages, and a daily sweep (`flag_old_you_said`, task
`coprod.partnerships.flag_old_you_said`) sends the partnership's lead one message per item, once —
the pattern of funding.services.reminders: the sweep reads what is due, leaving out items that
already have a PartnershipReminder row; then, in one transaction, it inserts a row for each
(`bulk_create(ignore_conflicts=True)`, stamped with its own `batch`), reads back the rows carrying
its batch (those no other sweep inserted) whose items are still open, queues the messages for
those only, and links each row to its message. Run twice: once. Killed half way: rolled back,
rows and messages together, and the next sweep sends everything. The number of queries does not
grow with the items."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, SystemActor, records_actor
from coprod.enums import NotificationCategory
from coprod.models import Notification, Person, london_today
from coprod.services.notifications import Outgoing, queue_notification, queue_notifications
from partnerships.enums import (
    CLOSED_YOU_SAID,
    NEEDS_REASON,
    PAID_ROLES,
    PartnershipReminderKind,
    YouSaidStatus,
)
from partnerships.models import Partnership, PartnershipReminder, YouSaidItem
from partnerships.permissions import current_memberships
from partnerships.selectors.you_said import you_said_due_for_flag
from partnerships.services.decisions import refuse_unless_manages

CLOSED_KIND = "partnerships_you_said_closed"
OVERDUE_KIND = "partnerships_you_said_overdue"
REMINDER_PREFIX = "partnerships-reminder"
# One message per item, ever: an item is flagged to its lead once.
OVERDUE_OCCASION = "overdue"


def _user(by: Actor):  # type: ignore[no-untyped-def]
    return by if not isinstance(by, SystemActor) else None


def _check_giver(partnership: Partnership, person: Person | None) -> None:
    """The input comes from a current member of the partnership in a paid role (LEE, PWLE)."""
    if person is None:
        raise ValidationError({"given_by": _("Select who said it")})
    if (
        not current_memberships()
        .filter(partnership=partnership, person=person, role__in=PAID_ROLES)
        .exists()
    ):
        raise ValidationError(
            {
                "given_by": _(
                    "Select a lived experience member of this partnership: only their input "
                    "is recorded here"
                )
            }
        )


def _check_words(item: YouSaidItem) -> None:
    errors: dict[str, str] = {}
    if not item.said.strip():
        errors["said"] = _("Enter what was said")
    if item.said_on is None:
        errors["said_on"] = _("Enter the date it was said")
    elif item.said_on > london_today():
        errors["said_on"] = _("The date it was said cannot be in the future")
    if errors:
        raise ValidationError(errors)


@records_actor
@transaction.atomic
def record_you_said(
    partnership: Partnership,
    *,
    by: Actor,
    given_by: Person,
    said: str,
    said_on: date,
    anonymous: bool = False,
    keep_words: bool = False,
    response: str = "",
    what_changed: str = "",
) -> YouSaidItem:
    """Record input a lived experience member gave: what they said and when, whether others see
    it as anonymous, and whether their words may stay if they later ask for their information to
    be deleted (`keep_words`). Open until closed.

    Refuses (on the field) a giver who is not a current LEE or PWLE member of `partnership`, no
    words, a date in the future. Side effects: saves the YouSaidItem (audited)."""
    refuse_unless_manages(partnership, by)
    _check_giver(partnership, given_by)
    item = YouSaidItem(
        partnership=partnership,
        given_by=given_by,
        said=said,
        said_on=said_on,
        anonymous=anonymous,
        keep_words=keep_words,
        response=response,
        what_changed=what_changed,
        recorded_by=_user(by),
    )
    _check_words(item)
    item.full_clean()
    item.save()
    return item


@records_actor
@transaction.atomic
def change_you_said(
    item: YouSaidItem,
    *,
    by: Actor,
    given_by: Person,
    said: str,
    said_on: date,
    anonymous: bool,
    keep_words: bool,
    response: str = "",
    what_changed: str = "",
) -> YouSaidItem:
    """Correct an open item, or add the response and what changed so far (the rules of
    `record_you_said`). A closed item is not changed: its giver was told what came of it.

    Side effects: saves the YouSaidItem (audited)."""
    locked = YouSaidItem.objects.select_for_update().get(pk=item.pk)
    refuse_unless_manages(locked.partnership, by)
    if locked.status != YouSaidStatus.OPEN:
        raise ValidationError(_("This item is closed: its giver has been told what came of it."))
    if given_by is None or given_by.pk != locked.given_by_id:
        _check_giver(locked.partnership, given_by)
    locked.given_by = given_by
    locked.said, locked.said_on = said, said_on
    locked.anonymous, locked.keep_words = anonymous, keep_words
    locked.response, locked.what_changed = response, what_changed
    _check_words(locked)
    locked.full_clean()
    locked.save()
    return locked


def portal_link(item: YouSaidItem) -> str:
    path = reverse("partnerships_you_said:list", kwargs={"partnership_id": item.partnership_id})
    return settings.COPROD_SITE_URL + path


def staff_link(partnership_id: int) -> str:
    path = reverse("partnerships_you_said_staff:list", kwargs={"partnership_id": partnership_id})
    return settings.COPROD_SITE_URL + path


def closed_key(item: YouSaidItem) -> str:
    """The outbox key of the message that tells the giver what came of their input: one per
    item, so they are told once."""
    return f"partnerships-you-said-closed:{item.pk}"


@records_actor
@transaction.atomic
def close_you_said(
    item: YouSaidItem,
    *,
    by: Actor,
    status: str,
    response: str,
    what_changed: str = "",
    reason: str = "",
) -> YouSaidItem:
    """Close an open item: acted on, partly acted on, or not acted on, with the response, what
    changed, and (for partly and not) why. The item is locked while it closes, so two closings at
    once close it once.

    Refuses (on the field) a status that is not a closing one, an item already closed, no
    response, nothing said about what changed when it was (partly) acted on, no reason when it
    was only partly or not acted on. Side effects: saves the YouSaidItem (audited); queues a
    message (`partnerships_you_said_closed`, once per item) to the person who gave the input —
    also when they are shown to others as anonymous — unless they have been erased."""
    locked = YouSaidItem.objects.select_for_update().get(pk=item.pk)
    refuse_unless_manages(locked.partnership, by)
    errors: dict[str, str] = {}
    if locked.status != YouSaidStatus.OPEN:
        raise ValidationError({"status": _("This item is already closed.")})
    if status not in CLOSED_YOU_SAID:
        errors["status"] = _("Select what came of it")
    if not response.strip():
        errors["response"] = _("Enter our response")
    if status in {YouSaidStatus.ACTED_ON, YouSaidStatus.PARTLY} and not what_changed.strip():
        errors["what_changed"] = _("Say what changed")
    if status in NEEDS_REASON and not reason.strip():
        errors["reason"] = _("Say why it was not fully acted on")
    if errors:
        raise ValidationError(errors)
    locked.status = status
    locked.response, locked.what_changed = response, what_changed
    locked.reason = reason if status in NEEDS_REASON else ""
    locked.closed_at = timezone.now()
    locked.closed_by = _user(by)
    locked.full_clean()
    locked.save()
    if locked.given_by_id is not None:
        queue_notification(
            locked.given_by,
            kind=CLOSED_KIND,
            key=closed_key(locked),
            context={
                "partnership": locked.partnership.title,
                "status": YouSaidStatus(status).label,
                "response": locked.response,
                "what_changed": locked.what_changed,
                "reason": locked.reason,
                "link": portal_link(locked),
            },
        )
    return locked


# Flagging old open items to the lead ------------------------------------------------------------


def reminder_key(object_id: int, occasion: str) -> str:
    kind = PartnershipReminderKind.YOU_SAID_OVERDUE.value
    return f"{REMINDER_PREFIX}:{kind}:{object_id}:{occasion}"


def _link_messages(batch: uuid.UUID) -> None:
    key = Concat(
        Value(f"{REMINDER_PREFIX}:"),
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


@records_actor
def flag_old_you_said(*, by: Actor, now: datetime | None = None) -> int:
    """Tell the lead of each partnership about each of its items still open
    COPROD_YOU_SAID_FLAG_AFTER_DAYS days after it was said: one staff message per item, once
    (see the module's docstring). The message carries a link to the partnership's items and
    nothing said or named.

    Side effects: saves a PartnershipReminder (kind YOU_SAID_OVERDUE) and queues a staff message
    (`partnerships_you_said_overdue`) per item due. Returns how many were queued."""
    now = now or timezone.now()
    kind = PartnershipReminderKind.YOU_SAID_OVERDUE
    rows = list(you_said_due_for_flag(today=timezone.localdate(now)))
    if not rows:
        return 0
    due = {
        item_id: Outgoing(
            person_id=lead_person_id,
            kind=OVERDUE_KIND,
            key=reminder_key(item_id, OVERDUE_OCCASION),
            context={
                "days": settings.COPROD_YOU_SAID_FLAG_AFTER_DAYS,
                "link": staff_link(partnership_id),
            },
            category=NotificationCategory.STAFF,
        )
        for item_id, partnership_id, lead_person_id in rows
    }
    with transaction.atomic():
        batch = uuid.uuid4()
        PartnershipReminder.objects.bulk_create(
            [
                PartnershipReminder(
                    kind=kind,
                    object_id=item_id,
                    occasion=OVERDUE_OCCASION,
                    batch=batch,
                    sent_at=now,
                )
                for item_id in due
            ],
            ignore_conflicts=True,
        )
        # Ours (no other sweep inserted them), and still open: an item closed since it was
        # read above is not flagged (its row stays, so it is never flagged later either).
        still_open = YouSaidItem.objects.filter(status=YouSaidStatus.OPEN).values("pk")
        ours = list(
            PartnershipReminder.objects.filter(batch=batch, object_id__in=still_open).values_list(
                "object_id", flat=True
            )
        )
        queue_notifications([due[item_id] for item_id in ours])
        _link_messages(batch)
    return len(ours)
