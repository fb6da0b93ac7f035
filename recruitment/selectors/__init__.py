"""Reads for recruitment, one module per area."""

from recruitment.selectors.honoraria import (
    MonthToPay,
    YearTotal,
    claimable_count,
    claimable_engagements,
    claims_for_user,
    eligibility_for_person,
    engagements_for_user,
    engagements_of_person,
    late_claims,
    median_days_to_pay_by_month,
    payments_to_make,
    rate_in_force,
    recruitment_personal_data,
    tax_year_of,
    year_total_for_person,
)

__all__ = [
    "MonthToPay",
    "YearTotal",
    "claimable_count",
    "claimable_engagements",
    "claims_for_user",
    "eligibility_for_person",
    "engagements_for_user",
    "engagements_of_person",
    "late_claims",
    "median_days_to_pay_by_month",
    "payments_to_make",
    "rate_in_force",
    "recruitment_personal_data",
    "tax_year_of",
    "year_total_for_person",
]
