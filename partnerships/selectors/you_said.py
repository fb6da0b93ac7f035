"""Reads for "you said, we did": the items a visitor may open (through their partnership's access
rule), which open items are old enough to be flagged to the lead, and what the portal may show
of who said what (a display name, or "Anonymous")."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db.models import BooleanField, Case, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.models import User
from partnerships.enums import PAID_ROLES, PartnershipReminderKind, YouSaidStatus
from partnerships.models import Partnership, PartnershipReminder, YouSaidItem
from partnerships.permissions import (
    current_memberships,
    managed_partnerships_for_user,
    member_partnerships_for_user,
)


def managed_you_said_for_user(user: User) -> QuerySet[YouSaidItem]:
    """Items of the partnerships `user` sees on the staff pages."""
    return YouSaidItem.objects.filter(partnership__in=managed_partnerships_for_user(user))


def member_you_said_for_user(user: User) -> QuerySet[YouSaidItem]:
    """Items of the partnerships `user` is a current member of (the portal)."""
    return YouSaidItem.objects.filter(partnership__in=member_partnerships_for_user(user))


def flag_cutoff(today: date | None = None) -> date:
    """Items said on or before this day and still open are flagged."""
    today = today or timezone.localdate()
    return today - timedelta(days=settings.COPROD_YOU_SAID_FLAG_AFTER_DAYS)


def with_flag(items: QuerySet[YouSaidItem], *, today: date | None = None) -> QuerySet:
    """`items` annotated with `flagged`: still open and older than the setting allows."""
    return items.annotate(
        flagged=Case(
            When(Q(status=YouSaidStatus.OPEN, said_on__lte=flag_cutoff(today)), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def staff_you_said(items: QuerySet[YouSaidItem], *, only_open: bool = False) -> QuerySet:
    """Items for a staff list: flagged first, then the other open ones, then the latest; with the
    giver and the partnership."""
    if only_open:
        items = items.filter(status=YouSaidStatus.OPEN)
    return (
        with_flag(items)
        .annotate(
            is_open=Case(
                When(status=YouSaidStatus.OPEN, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .select_related("given_by", "partnership")
        .order_by("-flagged", "-is_open", "-said_on", "-pk")
    )


def portal_you_said(partnership: Partnership) -> QuerySet[YouSaidItem]:
    """`partnership`'s items for its members, the latest first. The giver is loaded only to be
    named where they did not choose to be anonymous (`shown_as`)."""
    return (
        YouSaidItem.objects.filter(partnership=partnership)
        .select_related("given_by")
        .order_by("-said_on", "-pk")
    )


def shown_as(item: YouSaidItem, viewer: User) -> str:
    """Who said it, as a member sees it: the giver's display name, "Anonymous" when they chose
    so (or their record is gone) — and to the giver themself, that it is them."""
    if item.given_by_id is not None and item.given_by_id == viewer.person_id:
        if item.anonymous:
            return _("You (others see \u201cAnonymous\u201d)")
        return _("You")
    if item.anonymous or item.given_by is None:
        return _("Anonymous")
    return item.given_by.display_name


def lived_experience_members(partnership: Partnership):  # type: ignore[no-untyped-def]
    """The current LEE and PWLE members of `partnership` (who may have given input), with their
    person, by display name order of joining."""
    return (
        current_memberships()
        .filter(partnership=partnership, role__in=PAID_ROLES)
        .select_related("person")
        .order_by("joined_on", "pk")
    )


def you_said_due_for_flag(*, today: date):  # type: ignore[no-untyped-def]
    """(item id, partnership id, the lead's person id) of the items still open
    COPROD_YOU_SAID_FLAG_AFTER_DAYS after they were said, not yet flagged to the lead. One query."""
    flagged = PartnershipReminder.objects.filter(
        kind=PartnershipReminderKind.YOU_SAID_OVERDUE, object_id=OuterRef("pk")
    )
    return (
        YouSaidItem.objects.filter(status=YouSaidStatus.OPEN, said_on__lte=flag_cutoff(today))
        .exclude(Exists(flagged))
        .order_by("pk")
        .values_list("pk", "partnership_id", "partnership__lead__person_id")
    )


def overdue_you_said_count() -> int:
    """How many items are open longer than the setting allows, across partnerships (the count
    beside the staff link). One query."""
    return YouSaidItem.objects.filter(status=YouSaidStatus.OPEN, said_on__lte=flag_cutoff()).count()
