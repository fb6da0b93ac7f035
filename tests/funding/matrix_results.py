"""Results and decisions in funding's permission matrix: the staff pages are for funding staff
(403 for everyone else); the chair's results for the chair of that call's panel only (404 for
everyone else). Refused writes change nothing."""

from __future__ import annotations

from typing import Any

from coprod.models import Notification
from funding.models import Call, Decision
from tests.factories.funding import ProposalFactory
from tests.funding.permission_matrix import expect
from tests.funding.scene import scene
from tests.matrix import Entry, Visit

STAFF_ONLY = expect(participants=403, staff=403, staff_funding=200)
STAFF_WRITE = expect(participants=403, staff=403, staff_funding=302)
CHAIR_ONLY = expect(chair=200)
CHAIRS_LIST = expect(participants=403, staff=403, chair=200)
# Nobody decides on their own proposal (the check comes after the page's permission).
OWN_PROPOSAL = expect(participants=403, staff=403)


def results_call(visit: Visit) -> dict[str, Any]:
    return {"call_id": scene(visit).panel.call_id}


def proposal_in_review(visit: Visit) -> dict[str, Any]:
    found = scene(visit)
    return {"call_id": found.panel.call_id, "proposal_id": found.proposal.pk}


def own_proposal_in_review(visit: Visit) -> dict[str, Any]:
    found = scene(visit)
    if visit.person is None or found.proposal.applicant_id == visit.person.pk:
        return {"call_id": found.panel.call_id, "proposal_id": found.proposal.pk}
    own = ProposalFactory(call=found.panel.call, applicant=visit.person)
    return {"call_id": found.panel.call_id, "proposal_id": own.pk}


def decisions_on(kwargs: dict[str, Any]) -> Any:
    return list(
        Decision.objects.filter(proposal_id=kwargs["proposal_id"]).values_list(
            "outcome", "rationale"
        )
    )


def call_state(kwargs: dict[str, Any]) -> Any:
    return (
        Call.objects.filter(pk=kwargs["call_id"]).values_list("status", flat=True)[0],
        Notification.objects.count(),
    )


ENTRIES: dict[str, Entry | list[Entry]] = {
    "funding_results:calls": Entry(STAFF_ONLY, build=lambda visit: (scene(visit), {})[1]),
    "funding_results:call": Entry(STAFF_ONLY, build=results_call),
    "funding_results:csv": Entry(STAFF_ONLY, build=results_call),
    "funding_results:decision": [
        Entry(STAFF_ONLY, build=proposal_in_review, case="a proposal in review"),
        Entry(OWN_PROPOSAL, build=own_proposal_in_review, case="the visitor's own"),
        Entry(
            STAFF_WRITE,
            build=proposal_in_review,
            case="a proposal in review, decided",
            method="post",
            data={"outcome": "no", "rationale": "Not strong enough."},
            snapshot=decisions_on,
        ),
        Entry(
            OWN_PROPOSAL,
            build=own_proposal_in_review,
            case="the visitor's own, decided",
            method="post",
            data={"outcome": "fund", "rationale": "Mine."},
            snapshot=decisions_on,
            never_changes=True,
        ),
    ],
    "funding_results:decide": Entry(
        STAFF_WRITE, build=results_call, method="post", snapshot=call_state
    ),
    "funding_chair_results:call": Entry(CHAIR_ONLY, build=results_call),
    "funding_chair_results:calls": Entry(CHAIRS_LIST, build=lambda visit: (scene(visit), {})[1]),
}
