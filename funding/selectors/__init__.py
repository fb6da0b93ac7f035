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

# Results (funding.selectors.results) -------------------------------------------------------------
from funding.selectors.results import (
    chair_results,
    chaired_calls_for_user,
    may_view_results,
    results_calls_for_user,
    results_of,
)

__all__ += [
    "chair_results",
    "chaired_calls_for_user",
    "may_view_results",
    "results_calls_for_user",
    "results_of",
]
