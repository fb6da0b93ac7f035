"""Barriers a partnership meets, in the terms the co-production literature names them
(partnerships.enums.BarrierKind), each with what is being done about it, until it is dealt
with."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coprod.audit import Actor, SystemActor, records_actor
from coprod.models import london_today
from partnerships.enums import BarrierKind, BarrierStatus
from partnerships.models import Barrier, Partnership
from partnerships.services.decisions import refuse_unless_manages


def _check(barrier: Barrier) -> None:
    errors: dict[str, str] = {}
    if barrier.kind not in BarrierKind.values:
        errors["kind"] = _("Select the kind of barrier")
    if not barrier.description.strip():
        errors["description"] = _("Describe the barrier")
    if barrier.raised_on is None:
        errors["raised_on"] = _("Enter the date the barrier was noticed")
    elif barrier.raised_on > london_today():
        errors["raised_on"] = _("The date it was noticed cannot be in the future")
    if errors:
        raise ValidationError(errors)
    barrier.full_clean()


@records_actor
@transaction.atomic
def record_barrier(
    partnership: Partnership,
    *,
    by: Actor,
    kind: str,
    description: str,
    action: str = "",
    raised_on: date,
) -> Barrier:
    """Record a barrier `partnership` meets, open, with what is being done about it.

    Refuses (on the field) an unknown kind, no description, a date in the future. Side effects:
    saves the Barrier (audited)."""
    refuse_unless_manages(partnership, by)
    barrier = Barrier(
        partnership=partnership,
        kind=kind,
        description=description,
        action=action,
        raised_on=raised_on,
        recorded_by=by if not isinstance(by, SystemActor) else None,
    )
    _check(barrier)
    barrier.save()
    return barrier


@records_actor
@transaction.atomic
def change_barrier(
    barrier: Barrier,
    *,
    by: Actor,
    kind: str,
    description: str,
    action: str = "",
    raised_on: date,
) -> Barrier:
    """Correct a barrier, or say what is now being done about it (the rules of
    `record_barrier`). Side effects: saves the Barrier (audited)."""
    locked = Barrier.objects.select_for_update().get(pk=barrier.pk)
    refuse_unless_manages(locked.partnership, by)
    locked.kind, locked.description, locked.action = kind, description, action
    locked.raised_on = raised_on
    _check(locked)
    if locked.addressed_on is not None and locked.addressed_on < raised_on:
        raise ValidationError(
            {"raised_on": _("It was noticed before it was dealt with: check the date")}
        )
    locked.save(update_fields=["kind", "description", "action", "raised_on", "updated_at"])
    return locked


@records_actor
@transaction.atomic
def mark_barrier_dealt_with(
    barrier: Barrier, *, by: Actor, addressed_on: date, action: str | None = None
) -> Barrier:
    """The barrier is dealt with, on `addressed_on` (with, if given, what was done).

    Refuses (on `addressed_on`) a barrier already dealt with, a date before it was noticed or in
    the future. Side effects: saves the Barrier (audited)."""
    locked = Barrier.objects.select_for_update().get(pk=barrier.pk)
    refuse_unless_manages(locked.partnership, by)
    if locked.status != BarrierStatus.OPEN:
        raise ValidationError({"addressed_on": _("This barrier is already dealt with.")})
    if addressed_on is None:
        raise ValidationError({"addressed_on": _("Enter the date it was dealt with")})
    if addressed_on > london_today():
        raise ValidationError({"addressed_on": _("The date cannot be in the future")})
    if addressed_on < locked.raised_on:
        raise ValidationError(
            {"addressed_on": _("The date cannot be before the barrier was noticed")}
        )
    locked.status = BarrierStatus.ADDRESSED
    locked.addressed_on = addressed_on
    fields = ["status", "addressed_on", "updated_at"]
    if action is not None and action.strip():
        locked.action = action
        fields.append("action")
    locked.save(update_fields=fields)
    return locked
