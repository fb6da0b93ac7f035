"""What each user may see of funding records (404 for the rest through
coprod.permissions.get_object_for_user), one module per area."""

from funding.selectors.calls import APPLYING_ROLES, calls_for_user, open_calls, proposals_for_user
from funding.selectors.files import (
    attachments_for_user,
    call_proposals,
    may_see_staff_calls,
    staff_calls_for_user,
)
from funding.selectors.meetings import (
    meeting_panels_for_user,
    meeting_polls_for_user,
    member_polls_for_user,
    slot_tallies,
)
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
from funding.selectors.personal_data import funding_personal_data
from funding.selectors.results import (
    chair_results,
    chaired_calls_for_user,
    may_view_results,
    results_calls_for_user,
    results_of,
)
from funding.selectors.reviews import my_reviews, reviews_for_user, staff_reviews_for_user

__all__ = [
    "APPLYING_ROLES",
    "attachments_for_user",
    "call_proposals",
    "calls_for_user",
    "chair_conflicts_for_user",
    "chair_results",
    "chaired_calls_for_user",
    "declaration_rows",
    "funding_personal_data",
    "kept_out_reviews",
    "may_see_staff_calls",
    "may_view_results",
    "meeting_panels_for_user",
    "meeting_polls_for_user",
    "member_polls_for_user",
    "my_reviews",
    "open_calls",
    "panel_assignments",
    "panel_calls_for_user",
    "panel_conflicts",
    "panel_members",
    "panels_for_user",
    "people_for_seat",
    "proposals_for_declaring",
    "proposals_for_user",
    "results_calls_for_user",
    "results_of",
    "reviews_for_user",
    "seat_waiting_for_member",
    "seats_for_user",
    "slot_tallies",
    "staff_calls_for_user",
    "staff_reviews_for_user",
]
