"""Permission-matrix entries: staff pages for claims (queue, timeliness, a claim and its actions,
its receipts) and the portal's receipts (see tests/matrix.py). Joined with the rest in
permission_matrix.py.

The claim pages are for the engagement team and finance: other staff and participants get 403.
Approving and querying are the engagement team's (finance: 403), marking paid finance's (the
engagement team: 403), and nobody acts on their own claim (403). A receipt: its owner fetches it
in the portal (anyone else: 404, staff included: the portal is their own); engagement and
finance staff fetch it from the staff pages (other staff and participants: 403)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coprod.models import london_today
from recruitment.enums import ClaimStatus
from recruitment.models import ClaimReceipt, HonorariumClaim
from recruitment.services import send_claim_with_receipts
from tests.factories.core import make_user
from tests.factories.recruitment import claim_in, completed_engagement, eligible, standard_rates
from tests.matrix import (
    LOGIN,
    MFA,
    PARTICIPANT_ROLES,
    STAFF_GROUPS,
    Entry,
    Expect,
    Expected,
    Visit,
)
from tests.recruitment import matrix_applications, matrix_selection
from tests.recruitment.receipts import pdf_upload

VISITORS: dict[str, Callable[[], Any]] = {}

# Kinds of visitor the other areas of this app add: each is a participant of some kind, and is
# answered as participants are here.
OTHER_AREAS = [*matrix_applications.VISITORS, *matrix_selection.VISITORS]


def _expect(
    *,
    participants: Expected,
    engagement: Expected,
    finance: Expected,
    other_staff: Expected,
) -> Expect:
    return {
        "anonymous": LOGIN,
        **dict.fromkeys(PARTICIPANT_ROLES, participants),
        **dict.fromkeys(OTHER_AREAS, participants),
        "staff_no_mfa": MFA,
        **{
            kind: engagement
            if kind == "staff_engagement"
            else finance
            if kind == "staff_finance"
            else other_staff
            for kind in STAFF_GROUPS
        },
    }


CLAIM_STAFF = _expect(participants=403, engagement=200, finance=200, other_staff=403)


def someone_elses(status: ClaimStatus) -> Callable[[Visit], dict[str, Any]]:
    def build(visit: Visit) -> dict[str, Any]:
        return {"pk": claim_in(status).pk}

    return build


def own(status: ClaimStatus) -> Callable[[Visit], dict[str, Any]]:
    """The visitor's own claim (someone else's for an anonymous visitor)."""

    def build(visit: Visit) -> dict[str, Any]:
        return {"pk": claim_in(status, person=visit.person).pk}

    return build


def claims_in_the_queue(visit: Visit) -> dict[str, Any]:
    claim_in(ClaimStatus.SUBMITTED)
    return {}


def claims_in_state(state: str) -> Callable[[Visit], dict[str, Any]]:
    def build(visit: Visit) -> dict[str, Any]:
        claim_in(ClaimStatus.PAID if state == "paid" else ClaimStatus.SUBMITTED)
        return {"state": state}

    return build


def claim_state(kwargs: dict[str, Any]) -> Any:
    return (
        HonorariumClaim.objects.filter(pk=kwargs["pk"])
        .values_list("status", "paid_on", "payment_reference", "approved_at")
        .get(),
        HonorariumClaim.objects.get(pk=kwargs["pk"]).events.count(),
    )


def _receipt_for(person: Any) -> ClaimReceipt:
    standard_rates()
    eligible(person)
    engagement = completed_engagement(person)
    owner = person.user
    send_claim_with_receipts(
        engagement,
        by=owner,
        method="bank_transfer",
        expenses="3.50",
        expenses_note="Bus",
        receipts=[pdf_upload("ticket.pdf")],
    )
    return ClaimReceipt.objects.get(claim__engagement=engagement)


def own_receipt(visit: Visit) -> dict[str, Any]:
    person = visit.person if visit.person is not None else make_user().person
    return {"pk": _receipt_for(person).pk}


def someone_elses_receipt(visit: Visit) -> dict[str, Any]:
    return {"pk": _receipt_for(make_user().person).pk}


TODAY = london_today().isoformat()

ENTRIES: dict[str, Entry | list[Entry]] = {
    "recruitment:claims": Entry(CLAIM_STAFF, build=claims_in_the_queue),
    "recruitment:claims_in_state": [
        Entry(CLAIM_STAFF, build=claims_in_state("late"), case="late"),
        Entry(CLAIM_STAFF, build=claims_in_state("paid"), case="paid"),
    ],
    "recruitment:claims_timeliness": Entry(CLAIM_STAFF, build=claims_in_the_queue),
    "recruitment:claim": Entry(CLAIM_STAFF, build=someone_elses(ClaimStatus.SUBMITTED)),
    "recruitment:claim_approve": [
        Entry(
            _expect(participants=403, engagement=302, finance=403, other_staff=403),
            build=someone_elses(ClaimStatus.SUBMITTED),
            case="someone else's",
            method="post",
            snapshot=claim_state,
        ),
        Entry(
            _expect(participants=403, engagement=403, finance=403, other_staff=403),
            build=own(ClaimStatus.SUBMITTED),
            case="the visitor's own",
            method="post",
            snapshot=claim_state,
        ),
    ],
    "recruitment:claim_query": [
        Entry(
            _expect(participants=403, engagement=302, finance=403, other_staff=403),
            build=someone_elses(ClaimStatus.SUBMITTED),
            case="someone else's",
            method="post",
            data={"question": "Please add the receipt for the bus."},
            snapshot=claim_state,
        ),
        Entry(
            _expect(participants=403, engagement=403, finance=403, other_staff=403),
            build=own(ClaimStatus.SUBMITTED),
            case="the visitor's own",
            method="post",
            data={"question": "Please add the receipt for the bus."},
            snapshot=claim_state,
        ),
    ],
    "recruitment:claim_mark_paid": [
        Entry(
            _expect(participants=403, engagement=403, finance=302, other_staff=403),
            build=someone_elses(ClaimStatus.APPROVED),
            case="someone else's",
            method="post",
            data={"paid_on": TODAY, "reference": "BACS 42"},
            snapshot=claim_state,
        ),
        Entry(
            _expect(participants=403, engagement=403, finance=403, other_staff=403),
            build=own(ClaimStatus.APPROVED),
            case="the visitor's own",
            method="post",
            data={"paid_on": TODAY, "reference": "BACS 42"},
            snapshot=claim_state,
        ),
    ],
    "recruitment:claim_receipt": Entry(
        _expect(participants=403, engagement=200, finance=200, other_staff=403),
        build=someone_elses_receipt,
    ),
    "paid_work:receipt": [
        Entry(
            _expect(participants=200, engagement=200, finance=200, other_staff=200),
            build=own_receipt,
            case="the visitor's own",
        ),
        Entry(
            _expect(participants=404, engagement=404, finance=404, other_staff=404),
            build=someone_elses_receipt,
            case="someone else's",
        ),
    ],
}
