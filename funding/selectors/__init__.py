"""What each user may see of funding records (404 for the rest through
coprod.permissions.get_object_for_user), one module per area."""

from funding.selectors.calls import (
    APPLYING_ROLES,
    calls_for_user,
    open_calls,
    proposals_for_user,
)
from funding.selectors.personal_data import funding_personal_data

# Scoring online (reviews).
from funding.selectors.reviews import my_reviews, reviews_for_user, staff_reviews_for_user

__all__ = [
    "APPLYING_ROLES",
    "calls_for_user",
    "funding_personal_data",
    "open_calls",
    "proposals_for_user",
]

# Proposal files and the staff pages of calls (the "files" slice) -------------------------------
from funding.selectors.files import (
    attachments_for_user,
    call_proposals,
    may_see_staff_calls,
    staff_calls_for_user,
)

__all__ += [
    "attachments_for_user",
    "call_proposals",
    "may_see_staff_calls",
    "staff_calls_for_user",
]
# Scoring online (reviews).
__all__ += ["my_reviews", "reviews_for_user", "staff_reviews_for_user"]
# Panel meetings ----------------------------------------------------------------------------------
from funding.selectors.meetings import (  # noqa: E402
    meeting_panels_for_user,
    meeting_polls_for_user,
    member_polls_for_user,
    slot_tallies,
)

__all__ += [
    "meeting_panels_for_user",
    "meeting_polls_for_user",
    "member_polls_for_user",
    "slot_tallies",
]
