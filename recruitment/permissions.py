"""May this user do X (to this engagement or claim)? Predicates for views and the admin."""

from __future__ import annotations

from typing import Any

from coprod.models import User
from coprod.permissions import is_staff_with


def may_see_bank_details(user: User) -> bool:
    """Bank details and the partner organisation that pays: finance only."""
    return is_staff_with(user, "recruitment.view_bank_details")


def may_see_eligibility_notes(user: User) -> bool:
    return is_staff_with(user, "recruitment.view_eligibility_notes")


def may_export_payments(user: User) -> bool:
    return is_staff_with(user, "recruitment.export_payments", "recruitment.view_bank_details")


def _not_own(user: User, claim: Any) -> bool:
    return user.person_id != claim.engagement.person_id


def may_approve_claim(user: User, claim: Any) -> bool:
    """Approve or query: the engagement team, never on their own claim."""
    return is_staff_with(user, "recruitment.approve_claim") and _not_own(user, claim)


def may_mark_claim_paid(user: User, claim: Any) -> bool:
    """Finance, never on their own claim."""
    return is_staff_with(user, "recruitment.mark_claim_paid") and _not_own(user, claim)
