"""Reads for the decision log: a partnership's entries (open tensions first) and the entries a
visitor may open, fetched through their partnership's access rule (partnerships.permissions)."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from coprod.models import User
from partnerships.enums import TensionStatus
from partnerships.models import Decision, Partnership
from partnerships.permissions import managed_partnerships_for_user, member_partnerships_for_user

# The staff list's filter: every entry, or only those whose tension is still open.
FILTERS = ("all", "open")


def managed_decisions_for_user(user: User) -> QuerySet[Decision]:
    """Entries of the partnerships `user` sees on the staff pages."""
    return Decision.objects.filter(partnership__in=managed_partnerships_for_user(user))


def member_decisions_for_user(user: User) -> QuerySet[Decision]:
    """Entries of the partnerships `user` is a current member of (the portal)."""
    return Decision.objects.filter(partnership__in=member_partnerships_for_user(user))


def decision_log(partnership: Partnership, *, only_open: bool = False) -> QuerySet[Decision]:
    """`partnership`'s decisions, those with a still-open tension first, then the latest."""
    decisions = Decision.objects.filter(partnership=partnership)
    if only_open:
        decisions = decisions.filter(tension_status=TensionStatus.OPEN)
    return decisions.annotate(
        open_first=Case(
            When(tension_status=TensionStatus.OPEN, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
    ).order_by("open_first", "-decided_on", "-pk")
