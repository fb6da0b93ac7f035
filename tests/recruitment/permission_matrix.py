"""Recruitment's URLs in the permission matrix (see tests/matrix.py)."""

from __future__ import annotations

from typing import Any

from recruitment.enums import ClaimStatus
from recruitment.models import HonorariumClaim
from tests.factories.core import make_person
from tests.factories.recruitment import claim_in, completed_engagement, standard_rates
from tests.matrix import (
    LOGIN,
    MFA,
    PARTICIPANT_ROLES,
    STAFF_GROUPS,
    Entry,
    Matrix,
    Visit,
    signed_in,
    staff_page,
)
from tests.recruitment import matrix_applications, matrix_claims, matrix_selection


def approved_claims(visit: Visit) -> dict[str, Any]:
    """Something to export: someone else's approved claim, and the visitor's own."""
    claim_in(ClaimStatus.APPROVED)
    if visit.person is not None:
        claim_in(ClaimStatus.APPROVED, person=visit.person)
    return {}


def paid_work(visit: Visit) -> dict[str, Any]:
    """Someone else's claim that could leak into the list, and the visitor's own."""
    claim_in(ClaimStatus.APPROVED)
    if visit.person is not None:
        claim_in(ClaimStatus.APPROVED, person=visit.person)
    return {}


def own_engagement(visit: Visit) -> dict[str, Any]:
    standard_rates()
    engagement = completed_engagement(visit.person or make_person())
    return {"engagement_id": engagement.pk}


def someone_elses_engagement(visit: Visit) -> dict[str, Any]:
    standard_rates()
    return {"engagement_id": completed_engagement(make_person()).pk}


def claim_state(kwargs: dict[str, Any]) -> Any:
    return (
        HonorariumClaim.objects.filter(engagement_id=kwargs["engagement_id"])
        .values_list("status", "method", "expenses")
        .get()
    )


# Another person's engagement does not exist for anyone in the portal (staff included: the
# portal is about the visitor's own work).
NOT_THEIRS = {
    "anonymous": LOGIN,
    **dict.fromkeys(PARTICIPANT_ROLES, 404),
    "staff_no_mfa": MFA,
    **dict.fromkeys(STAFF_GROUPS, 404),
}

HONORARIA = {
    "recruitment:payments_csv": Entry(
        staff_page(group="staff_finance", allowed=200), build=approved_claims
    ),
    "paid_work:list": Entry(signed_in(200), build=paid_work),
    "paid_work:claim": [
        Entry(signed_in(200), build=own_engagement, case="the visitor's own"),
        Entry(NOT_THEIRS, build=someone_elses_engagement, case="someone else's"),
        Entry(
            NOT_THEIRS,
            build=someone_elses_engagement,
            case="someone else's, sent",
            method="post",
            data={"method": "declined", "expenses": "99"},
            snapshot=claim_state,
            never_changes=True,
        ),
    ],
}

# Each area of the app keeps its entries (and any visitors of its own) in its own module.
MATRIX = Matrix(
    entries={
        **HONORARIA,
        **matrix_applications.ENTRIES,
        **matrix_selection.ENTRIES,
        **matrix_claims.ENTRIES,
    },
    visitors={
        **matrix_applications.VISITORS,
        **matrix_selection.VISITORS,
        **matrix_claims.VISITORS,
    },
)
