"""What each user may see of funding records (404 for the rest through
coprod.permissions.get_object_for_user), one module per area."""

from funding.selectors.calls import (
    APPLYING_ROLES,
    calls_for_user,
    open_calls,
    proposals_for_user,
)
from funding.selectors.personal_data import funding_personal_data

__all__ = [
    "APPLYING_ROLES",
    "calls_for_user",
    "funding_personal_data",
    "open_calls",
    "proposals_for_user",
]

# Panels, conflicts and assignment (helper "panels") ----------------------------------------------
from funding.selectors.panels import (
    chair_conflicts_for_user,
    declaration_rows,
    kept_out_reviews,
    panel_assignments,
    panel_calls_for_user,
    panel_conflicts,
    panel_members,
    panels_for_user,
    people_for_seat,
    proposals_for_declaring,
    seat_waiting_for_member,
    seats_for_user,
)

__all__ += [
    "chair_conflicts_for_user",
    "declaration_rows",
    "kept_out_reviews",
    "panel_assignments",
    "panel_calls_for_user",
    "panel_conflicts",
    "panel_members",
    "panels_for_user",
    "people_for_seat",
    "proposals_for_declaring",
    "seat_waiting_for_member",
    "seats_for_user",
]
