"""Recruitment's URLs in the permission matrix (see tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from recruitment.enums import ClaimStatus
from tests.factories.recruitment import claim_in
from tests.matrix import Entry, Matrix, Visit, staff_page


def approved_claims(visit: Visit) -> dict[str, Any]:
    """Something to export: someone else's approved claim, and the visitor's own."""
    claim_in(ClaimStatus.APPROVED)
    if visit.person is not None:
        claim_in(ClaimStatus.APPROVED, person=visit.person)
    return {}


MATRIX = Matrix(
    entries={
        "recruitment:payments_csv": Entry(
            staff_page(group="staff_finance", allowed=200), build=approved_claims
        ),
    }
)
