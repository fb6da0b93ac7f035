"""Reads for barriers: a partnership's barriers (open first), those a visitor may open on the
staff pages, and the count of open barriers by kind across partnerships (the staff overview)."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When

from coprod.models import User
from partnerships.enums import BarrierKind, BarrierStatus
from partnerships.models import Barrier, Partnership
from partnerships.permissions import managed_partnerships_for_user


def managed_barriers_for_user(user: User) -> QuerySet[Barrier]:
    """Barriers of the partnerships `user` sees on the staff pages."""
    return Barrier.objects.filter(partnership__in=managed_partnerships_for_user(user))


def barriers_of(partnership: Partnership) -> QuerySet[Barrier]:
    """`partnership`'s barriers, the open ones first, then the latest noticed."""
    return (
        Barrier.objects.filter(partnership=partnership)
        .annotate(
            open_first=Case(
                When(status=BarrierStatus.OPEN, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("open_first", "-raised_on", "-pk")
    )


def open_barrier_counts(partnerships: QuerySet[Partnership]) -> dict[str, int]:
    """How many barriers are open, by kind (every kind, 0 where none), across `partnerships`
    (e.g. `managed_partnerships_for_user(user)`). One query."""
    counts = dict.fromkeys(BarrierKind.values, 0)
    rows = (
        Barrier.objects.filter(partnership__in=partnerships, status=BarrierStatus.OPEN)
        .order_by()
        .values_list("kind")
        .annotate(count=Count("pk"))
    )
    for kind, count in rows:
        counts[kind] = count
    return counts
