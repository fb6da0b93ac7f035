"""Closing a panel's scoring window before its deadline (staff, from the panel's page).

The window closes at the deadline anyway (funding.permissions.scoring_is_open); closing it early
lets staff go on to the results and decisions once every review is in. After it, members cannot
change their reviews (staff can still enter assisted reviews and reopen one)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from funding.models import Panel
from funding.permissions import scoring_window_closed
from funding.services.panels import _refuse_unless_manager


@records_actor
@transaction.atomic
def close_scoring(panel: Panel, *, by: Actor) -> Panel:
    """Close `panel`'s scoring window now. Refused before scoring has started and once it has
    closed (by staff, or at its deadline).

    Side effects: saves the Panel's `scoring_closed_at` (audited)."""
    _refuse_unless_manager(by)
    locked = Panel.objects.select_for_update().get(pk=panel.pk)
    if locked.scoring_started_at is None:
        raise ValidationError(_("Scoring has not started yet."), code="not_started")
    if scoring_window_closed(locked):
        raise ValidationError(_("Scoring is already closed."), code="closed")
    locked.scoring_closed_at = timezone.now()
    locked.save(update_fields=["scoring_closed_at"])
    panel.__dict__.update(locked.__dict__)
    return panel
