"""A funding panel set up around one visitor, for the permission matrix and page tests.

The matrix's funding visitors (see VISITORS) are told apart by `visit.kind`: `scene(visit)` puts
the visitor where their kind says — the applicant of the proposal, a member assigned to it, a
member of the panel not assigned to it, a member kept out of it by a conflict, or the chair —
and everyone else where a real panel would have them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from coprod.enums import Role
from funding.enums import ConflictCategory, ConflictDecision, PanelRole
from funding.models import ConflictDeclaration, Panel, PanelMember, Proposal, Review
from funding.permissions import sync_proposal_access
from tests.factories.core import make_user
from tests.factories.funding import PanelFactory, ProposalFactory, declare_clear, seat
from tests.matrix import Visit

# The funding matrix's own kinds of visitor (beside tests.matrix.BASE_VISITORS).
VISITORS = {
    "applicant": lambda: make_user(roles=[Role.RESEARCHER]),
    "member_assigned": lambda: make_user(roles=[Role.PWLE, Role.LEE]),
    "member_unassigned": lambda: make_user(roles=[Role.PWLE, Role.LEE]),
    "member_conflicted": lambda: make_user(roles=[Role.PWLE, Role.LEE]),
    "chair": lambda: make_user(roles=[Role.POLICYMAKER]),
}
MEMBER_KINDS = ("member_assigned", "member_unassigned", "member_conflicted", "chair")


@dataclass
class Scene:
    panel: Panel
    proposal: Proposal
    # The visitor's own seat, if their kind has one.
    member: PanelMember | None
    # An assigned LEE who is not the visitor (their review exists, not yet sent).
    other_review: Review


def scene(visit: Visit, *, scoring: str = "open") -> Scene:
    """A panel whose call has one proposal, scoring `scoring` ("open", "closed" — deadline
    passed — or "not_started"), with a chair, an LEE, a researcher and a policymaker, the LEE
    assigned. The visitor joins as their kind says (others are not on the panel)."""
    now = timezone.now()
    panel = PanelFactory(
        scoring_started_at=None if scoring == "not_started" else now - timedelta(days=3),
        scoring_deadline=now - timedelta(hours=1)
        if scoring == "closed"
        else now + timedelta(days=7),
    )
    applicant = visit.person if visit.kind == "applicant" else None
    proposal = ProposalFactory(call=panel.call, **({"applicant": applicant} if applicant else {}))
    if visit.kind != "chair":
        seat(panel, PanelRole.POLICYMAKER, is_chair=True)
    other = seat(panel, PanelRole.LEE)
    seat(panel, PanelRole.RESEARCHER)
    other_review = Review.objects.create(member=other, proposal=proposal)
    member = None
    if visit.kind in MEMBER_KINDS and visit.person is not None:
        role = PanelRole.POLICYMAKER if visit.kind == "chair" else PanelRole.LEE
        member = PanelMember.objects.create(
            panel=panel, person=visit.person, role=role, is_chair=visit.kind == "chair"
        )
        declare_clear(member)
        if visit.kind == "member_assigned":
            Review.objects.create(member=member, proposal=proposal)
        if visit.kind == "member_conflicted":
            ConflictDeclaration.objects.filter(member=member, proposal=proposal).update(
                conflicted=True,
                category=ConflictCategory.SUPPORTS_ME,
                description="They support me now.",
                decision=ConflictDecision.EXCLUDED,
            )
            Review.objects.create(member=member, proposal=proposal)
            sync_proposal_access([member])
    return Scene(panel=panel, proposal=proposal, member=member, other_review=other_review)
