"""Permission-matrix entries for proposal files and the staff pages of calls (joined with the
rest in permission_matrix.py).

A proposal's file is fetched by its applicant (drafts included), by funding staff once the
proposal is sent, and by panel members who may open the proposal (assigned or not, and the
chair); a member kept out by a conflict, other people and other staff get 404. A file is removed
only by its applicant while the proposal is a draft (anyone else: 404; a sent proposal's file
stays). The staff pages of calls are for funding staff (everyone else signed in: 403)."""

from __future__ import annotations

from typing import Any

from funding.enums import ProposalStatus
from funding.models import Proposal, ProposalAttachment
from tests.factories.funding import CallFactory, ProposalFactory
from tests.funding.files import PDF, upload
from tests.funding.permission_matrix import OWN, _visitor_or_someone, expect
from tests.funding.scene import scene
from tests.matrix import Entry, Visit

# Staff pages of calls: funding staff only.
STAFF_CALLS = expect(participants=403, staff=403, staff_funding=200)
# A sent proposal's file, the panel set up around the visitor.
PANEL_FILE = expect(
    staff_funding=200,
    applicant=200,
    member_assigned=200,
    member_unassigned=200,
    member_conflicted=404,
    chair=200,
)
# Removing a file from the visitor's own draft; from a sent proposal (nobody: it stays).
REMOVED = {key: 302 if value == 200 else value for key, value in OWN.items()}
SENT_REMOVED = expect(applicant=302)


def attach(proposal: Proposal) -> ProposalAttachment:
    attachment = ProposalAttachment(
        proposal=proposal, original_name="plan.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("plan.pdf", upload("plan.pdf", PDF), save=True)
    return attachment


def panel_file(visit: Visit) -> dict[str, Any]:
    return {"attachment_id": attach(scene(visit).proposal).pk}


def own_draft_file(visit: Visit) -> dict[str, Any]:
    proposal = ProposalFactory(
        applicant=_visitor_or_someone(visit), status=ProposalStatus.DRAFT, submitted_at=None
    )
    return {"attachment_id": attach(proposal).pk}


def someone_elses_draft_file(visit: Visit) -> dict[str, Any]:
    proposal = ProposalFactory(status=ProposalStatus.DRAFT, submitted_at=None)
    return {"attachment_id": attach(proposal).pk}


def attachment_kept(kwargs: dict[str, Any]) -> Any:
    return list(
        ProposalAttachment.objects.filter(pk=kwargs["attachment_id"]).values_list("pk", "file")
    )


def calls_with_proposals(visit: Visit) -> dict[str, Any]:
    call = CallFactory()
    ProposalFactory(call=call)
    return {"call_id": call.pk}


ENTRIES = {
    "funding:attachment": [
        Entry(PANEL_FILE, build=panel_file, case="a sent proposal's, panel around the visitor"),
        Entry(OWN, build=own_draft_file, case="the visitor's draft's"),
        Entry(expect(), build=someone_elses_draft_file, case="someone else's draft's"),
    ],
    "funding:remove_attachment": [
        Entry(
            REMOVED,
            build=own_draft_file,
            case="the visitor's draft's",
            method="post",
            snapshot=attachment_kept,
        ),
        Entry(
            SENT_REMOVED,
            build=panel_file,
            case="a sent proposal's, panel around the visitor",
            method="post",
            snapshot=attachment_kept,
            never_changes=True,
        ),
        Entry(
            expect(),
            build=someone_elses_draft_file,
            case="someone else's draft's",
            method="post",
            snapshot=attachment_kept,
        ),
    ],
    "funding_calls:list": Entry(STAFF_CALLS, build=lambda visit: (CallFactory(), {})[1]),
    "funding_calls:call": Entry(STAFF_CALLS, build=calls_with_proposals),
}
