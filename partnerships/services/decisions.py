"""The decision log: what a partnership decided, when and by whom, with any tension (a
disagreement between participants), the views held, and how it was resolved — or that it is
still open. Staff (the partnerships team, or the partnership's lead) keep it; members read it in
the portal."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coprod.audit import Actor, SystemActor, records_actor
from coprod.models import london_today
from partnerships.enums import TensionStatus
from partnerships.models import Decision, Partnership
from partnerships.permissions import may_manage_partnership


def refuse_unless_manages(partnership: Partnership, by: Actor) -> None:
    """Only the partnerships team (with the change permission) or the partnership's lead change
    its records; a process acting on its own (the demo, a task) may."""
    if isinstance(by, SystemActor):
        return
    if not may_manage_partnership(by, partnership):
        raise PermissionDenied


def _check(decision: Decision) -> None:
    errors: dict[str, str] = {}
    if not decision.summary.strip():
        errors["summary"] = _("Enter what was decided")
    if not decision.decided_by.strip():
        errors["decided_by"] = _("Enter who decided")
    if decision.decided_on is None:
        errors["decided_on"] = _("Enter the date of the decision")
    elif decision.decided_on > london_today():
        errors["decided_on"] = _("The date of the decision cannot be in the future")
    if decision.tension_status not in TensionStatus.values:
        errors["tension_status"] = _("Select whether there was a tension or disagreement")
    elif decision.tension_status == TensionStatus.NONE:
        if any(
            text.strip() for text in (decision.tension, decision.views_held, decision.resolution)
        ):
            errors["tension_status"] = _(
                "You described a tension: select whether it is still open or resolved"
            )
    else:
        if not decision.tension.strip():
            errors["tension"] = _("Describe what the disagreement was about")
        if decision.tension_status == TensionStatus.RESOLVED and not decision.resolution.strip():
            errors["resolution"] = _("Say how the tension was resolved")
        if decision.tension_status == TensionStatus.OPEN and decision.resolution.strip():
            errors["tension_status"] = _(
                "You said how the tension was resolved: select \u201cResolved\u201d"
            )
    if errors:
        raise ValidationError(errors)
    decision.full_clean()


@records_actor
@transaction.atomic
def record_decision(
    partnership: Partnership,
    *,
    by: Actor,
    decided_on: date,
    summary: str,
    decided_by: str,
    tension_status: str = TensionStatus.NONE,
    tension: str = "",
    views_held: str = "",
    resolution: str = "",
) -> Decision:
    """Add an entry to `partnership`'s decision log, with its tension if there was one.

    Refuses (ValidationError, on the field) a decision without what or who, a date in the future,
    a tension without a description, a resolved tension without how. Side effects: saves the
    Decision (audited)."""
    refuse_unless_manages(partnership, by)
    decision = Decision(
        partnership=partnership,
        decided_on=decided_on,
        summary=summary,
        decided_by=decided_by,
        tension_status=tension_status,
        tension=tension,
        views_held=views_held,
        resolution=resolution,
        recorded_by=by if not isinstance(by, SystemActor) else None,
    )
    _check(decision)
    decision.save()
    return decision


FIELDS = (
    "decided_on",
    "summary",
    "decided_by",
    "tension_status",
    "tension",
    "views_held",
    "resolution",
)


@records_actor
@transaction.atomic
def change_decision(
    decision: Decision,
    *,
    by: Actor,
    decided_on: date,
    summary: str,
    decided_by: str,
    tension_status: str,
    tension: str = "",
    views_held: str = "",
    resolution: str = "",
) -> Decision:
    """Correct an entry of the decision log (the same rules as `record_decision`).

    Side effects: saves the Decision (audited). Nothing is saved when it is refused."""
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    refuse_unless_manages(locked.partnership, by)
    values = {
        "decided_on": decided_on,
        "summary": summary,
        "decided_by": decided_by,
        "tension_status": tension_status,
        "tension": tension,
        "views_held": views_held,
        "resolution": resolution,
    }
    for name, value in values.items():
        setattr(locked, name, value)
    _check(locked)
    locked.save(update_fields=[*FIELDS, "updated_at"])
    return locked


@records_actor
@transaction.atomic
def resolve_tension(decision: Decision, *, by: Actor, resolution: str) -> Decision:
    """Record how a still-open tension was resolved: it is then resolved.

    Refuses a tension that is not open, and an empty resolution (on `resolution`). Side effects:
    saves the Decision (audited)."""
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    refuse_unless_manages(locked.partnership, by)
    if locked.tension_status != TensionStatus.OPEN:
        raise ValidationError({"resolution": _("This decision has no open tension to resolve.")})
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the tension was resolved")})
    locked.tension_status = TensionStatus.RESOLVED
    locked.resolution = resolution
    _check(locked)
    locked.save(update_fields=["tension_status", "resolution", "updated_at"])
    return locked
