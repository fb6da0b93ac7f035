"""Funding's portal pages in the permission matrix (tests/matrix.py): calls are seen by
researchers when open and by funding staff always; proposals by their applicant only (staff use
the admin); a refused write changes nothing."""

from __future__ import annotations

from typing import Any

from coprod.enums import Role
from coprod.models import Person
from funding.enums import CallStatus, ProposalStatus
from funding.models import Proposal
from tests.factories.core import make_person
from tests.factories.funding import CallFactory, ProposalFactory
from tests.funding.scene import VISITORS
from tests.matrix import (
    LOGIN,
    MFA,
    PARTICIPANT_ROLES,
    STAFF_GROUPS,
    Entry,
    Expect,
    Expected,
    Matrix,
    Visit,
    signed_in,
)


def expect(
    *,
    anonymous: Expected = LOGIN,
    staff_no_mfa: Expected = MFA,
    participants: Expected = 404,
    staff: Expected = 404,
    **kinds: Expected,
) -> Expect:
    answers = {
        "anonymous": anonymous,
        **dict.fromkeys(PARTICIPANT_ROLES, participants),
        "staff_no_mfa": staff_no_mfa,
        **dict.fromkeys(STAFF_GROUPS, staff),
    }
    # Funding's own visitors answer like their base role unless told otherwise: the applicant
    # like a researcher, the members like an LEE, the chair like a policymaker.
    answers |= {
        "applicant": kinds.get("researcher", participants),
        "member_assigned": kinds.get("lee", participants),
        "member_unassigned": kinds.get("lee", participants),
        "member_conflicted": kinds.get("lee", participants),
        "chair": kinds.get("policymaker", participants),
    }
    assert not set(kinds) - set(answers)
    return {**answers, **kinds}


# The list: researchers only (others are refused); the open call: researchers and funding staff.
CALLS = expect(participants=403, staff=403, researcher=200)
SEES_OPEN = expect(researcher=200, staff_funding=200)
SEES_DRAFT = expect(staff_funding=200)
# A draft call: only funding staff see it, and they do not propose.
DRAFT_PROPOSED = expect(staff_funding=403)
MAY_PROPOSE = expect(researcher=200, staff_funding=403)
PROPOSED = expect(researcher=302, staff_funding=403)
OWN = {**signed_in(200), **dict.fromkeys(VISITORS, 200)}
NOT_THEIRS = expect()

PROPOSAL = {
    "title": "Matrix proposal",
    "summary": "Short and clear.",
    "description": "Details.",
    "requested_amount": "100",
    "lived_experience_involvement": "Paid co-researchers.",
}


def _visitor_or_someone(visit: Visit) -> Person:
    return visit.person or make_person(roles=[Role.RESEARCHER])


def calls(visit: Visit) -> dict[str, Any]:
    CallFactory()
    CallFactory(status=CallStatus.DRAFT)
    return {}


def call(**fields: Any):
    def build(visit: Visit) -> dict[str, Any]:
        return {"call_id": CallFactory(**fields).pk}

    return build


def own_proposal(status: ProposalStatus):
    def build(visit: Visit) -> dict[str, Any]:
        return {
            "proposal_id": ProposalFactory(applicant=_visitor_or_someone(visit), status=status).pk
        }

    return build


def someone_elses_proposal(visit: Visit) -> dict[str, Any]:
    return {"proposal_id": ProposalFactory().pk}


def proposals_to_call(kwargs: dict[str, Any]) -> Any:
    return list(Proposal.objects.filter(call_id=kwargs["call_id"]).values_list("pk", "status"))


def proposal_state(kwargs: dict[str, Any]) -> Any:
    return Proposal.objects.filter(pk=kwargs["proposal_id"]).values_list(
        "status", "withdrawn_at", "title"
    )[0]


ENTRIES: dict[str, Entry | list[Entry]] = {
    "funding:calls": Entry(CALLS, build=calls),
    "funding:call": [
        Entry(SEES_OPEN, build=call(), case="open"),
        Entry(SEES_DRAFT, build=call(status=CallStatus.DRAFT), case="a draft"),
    ],
    "funding:propose": [
        Entry(MAY_PROPOSE, build=call(), case="open"),
        Entry(
            PROPOSED,
            build=call(),
            case="open, sent",
            method="post",
            data={**PROPOSAL, "send": ""},
            snapshot=proposals_to_call,
        ),
        Entry(
            DRAFT_PROPOSED,
            build=call(status=CallStatus.DRAFT),
            case="a draft call, sent",
            method="post",
            data={**PROPOSAL, "send": ""},
            snapshot=proposals_to_call,
        ),
    ],
    "funding:proposals": Entry(OWN, build=lambda visit: (ProposalFactory(), {})[1]),
    "funding:proposal": [
        Entry(OWN, build=own_proposal(ProposalStatus.SUBMITTED), case="the visitor's"),
        Entry(NOT_THEIRS, build=someone_elses_proposal, case="someone else's"),
    ],
    "funding:withdraw": [
        Entry(OWN, build=own_proposal(ProposalStatus.SUBMITTED), case="the visitor's"),
        Entry(NOT_THEIRS, build=someone_elses_proposal, case="someone else's"),
        Entry(
            NOT_THEIRS,
            build=someone_elses_proposal,
            case="someone else's, withdrawn",
            method="post",
            snapshot=proposal_state,
            never_changes=True,
        ),
    ],
}

# Each area keeps its entries in its own module, which uses `expect` above (so imported here).
from tests.funding import (  # noqa: E402
    matrix_files,
    matrix_meetings,
    matrix_panels,
    matrix_results,
    matrix_reviews,
    matrix_scoring_window,
)

MATRIX = Matrix(
    entries={
        **ENTRIES,
        **matrix_files.ENTRIES,
        **matrix_panels.ENTRIES,
        **matrix_reviews.ENTRIES,
        **matrix_meetings.ENTRIES,
        **matrix_results.ENTRIES,
        **matrix_scoring_window.ENTRIES,
    },
    visitors=VISITORS,
)
