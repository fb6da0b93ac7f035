"""Assigning reviewers: by hand (refused for members kept out or not ready) and automatically
(N reviewers with at least one LEE, even loads, conflicts respected, existing kept, what could
not be filled reported, in a fixed number of queries)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from funding.enums import ConflictCategory, ConflictDecision, PanelRole, ReviewStatus
from funding.models import ConflictDeclaration, Panel, PanelMember, Review
from funding.services import assign_automatically, assign_reviewer, unassign_reviewer
from tests.factories.funding import (
    PanelFactory,
    ProposalFactory,
    make_funding_staff,
    scored_review,
    seat,
)

pytestmark = pytest.mark.django_db


def _exclude(member: PanelMember, proposal) -> None:
    ConflictDeclaration.objects.filter(member=member, proposal=proposal).update(
        conflicted=True,
        category=ConflictCategory.PERSONAL,
        description="My cousin.",
        decision=ConflictDecision.EXCLUDED,
    )


def _pairs(panel: Panel) -> set[tuple[int, int]]:
    return set(Review.objects.filter(member__panel=panel).values_list("member_id", "proposal_id"))


# By hand -----------------------------------------------------------------------------------------


def test_staff_assign_a_ready_member():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)

    review = assign_reviewer(proposal, member, by=make_funding_staff())

    assert (review.member, review.proposal, review.status) == (
        member,
        proposal,
        ReviewStatus.ASSIGNED,
    )
    assert not review.automatic


def test_a_member_kept_out_or_not_declared_cannot_be_assigned():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    excluded = seat(panel, PanelRole.LEE)
    _exclude(excluded, proposal)
    not_declared = seat(panel, PanelRole.RESEARCHER, ready=False)
    staff = make_funding_staff()

    with pytest.raises(ValidationError) as kept_out:
        assign_reviewer(proposal, excluded, by=staff)
    with pytest.raises(ValidationError) as not_ready:
        assign_reviewer(proposal, not_declared, by=staff)

    assert kept_out.value.message_dict["member"] == [
        "The member is kept out of this proposal by a conflict of interest."
    ]
    assert not_ready.value.message_dict["member"] == [
        "The member has not accepted the confidentiality terms yet."
    ]
    assert not Review.objects.exists()


def test_a_proposal_of_another_call_cannot_be_assigned():
    panel = PanelFactory()
    member = seat(panel, PanelRole.LEE)
    elsewhere = ProposalFactory()

    with pytest.raises(ValidationError):
        assign_reviewer(elsewhere, member, by=make_funding_staff())

    assert not Review.objects.exists()


def test_a_sent_review_cannot_be_unassigned_but_an_unstarted_one_can():
    panel = PanelFactory()
    first, second = ProposalFactory(call=panel.call), ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    sent = scored_review(member, first, 3)
    waiting = Review.objects.create(member=member, proposal=second)
    staff = make_funding_staff()

    with pytest.raises(ValidationError):
        unassign_reviewer(sent, by=staff)
    unassign_reviewer(waiting, by=staff)

    assert list(Review.objects.all()) == [sent]


# Automatically -----------------------------------------------------------------------------------


def test_every_proposal_gets_n_reviewers_with_an_lee_and_even_loads():
    panel = PanelFactory(reviewers_per_proposal=3)
    proposals = [ProposalFactory(call=panel.call) for _ in range(4)]
    lees = [seat(panel, PanelRole.LEE) for _ in range(2)]
    others = [seat(panel, PanelRole.RESEARCHER) for _ in range(2)] + [
        seat(panel, PanelRole.POLICYMAKER) for _ in range(2)
    ]

    report = assign_automatically(panel, by=make_funding_staff())

    assert report.created == 12
    assert report.unfilled == []
    for proposal in proposals:
        reviewers = PanelMember.objects.filter(reviews__proposal=proposal)
        assert reviewers.count() == 3
        assert reviewers.filter(role=PanelRole.LEE).exists()
    loads = [member.reviews.count() for member in lees + others]
    assert max(loads) - min(loads) <= 1
    assert all(review.automatic for review in Review.objects.all())


def test_automatic_assignment_respects_conflicts_and_undeclared_members():
    panel = PanelFactory(reviewers_per_proposal=2)
    proposal = ProposalFactory(call=panel.call)
    conflicted = seat(panel, PanelRole.LEE)
    _exclude(conflicted, proposal)
    undeclared = seat(panel, PanelRole.LEE, ready=False)
    clear = seat(panel, PanelRole.RESEARCHER)

    report = assign_automatically(panel, by=make_funding_staff())

    assert _pairs(panel) == {(clear.pk, proposal.pk)}
    assert conflicted.pk not in {member for member, _p in _pairs(panel)}
    assert undeclared.pk not in {member for member, _p in _pairs(panel)}
    [(unfilled, why)] = report.unfilled
    assert unfilled == proposal
    assert "1 of 2 reviewers" in why
    assert "No lived experience expert" in why


def test_automatic_assignment_keeps_existing_ones_and_is_the_same_run_twice():
    panel = PanelFactory(reviewers_per_proposal=2)
    proposal = ProposalFactory(call=panel.call)
    lee = seat(panel, PanelRole.LEE)
    seat(panel, PanelRole.LEE)
    researcher = seat(panel, PanelRole.RESEARCHER)
    kept = Review.objects.create(member=researcher, proposal=proposal)
    staff = make_funding_staff()

    first = assign_automatically(panel, by=staff)
    after_first = _pairs(panel)
    second = assign_automatically(panel, by=staff)

    assert first.created == 1
    assert second.created == 0
    assert after_first == _pairs(panel) == {(researcher.pk, proposal.pk), (lee.pk, proposal.pk)}
    assert Review.objects.filter(pk=kept.pk, automatic=False).exists()


def test_automatic_assignment_picks_an_lee_first_and_breaks_ties_by_seat_then_id():
    panel = PanelFactory(reviewers_per_proposal=2)
    proposal = ProposalFactory(call=panel.call)
    policymaker = seat(panel, PanelRole.POLICYMAKER)
    first_lee = seat(panel, PanelRole.LEE)
    seat(panel, PanelRole.LEE)
    researcher = seat(panel, PanelRole.RESEARCHER)
    seat(panel, PanelRole.RESEARCHER)

    assign_automatically(panel, by=make_funding_staff())

    assert _pairs(panel) == {(first_lee.pk, proposal.pk), (researcher.pk, proposal.pk)}
    assert policymaker.reviews.count() == 0


def test_a_stepped_back_member_is_not_asked_again_and_does_not_count():
    panel = PanelFactory(reviewers_per_proposal=1)
    proposal = ProposalFactory(call=panel.call)
    stepped = seat(panel, PanelRole.LEE)
    other = seat(panel, PanelRole.LEE)
    Review.objects.create(member=stepped, proposal=proposal, status=ReviewStatus.STEPPED_BACK)

    assign_automatically(panel, by=make_funding_staff())

    assert Review.objects.get(proposal=proposal, status=ReviewStatus.ASSIGNED).member == other


def test_the_applicant_on_the_panel_is_never_assigned_their_own():
    panel = PanelFactory(reviewers_per_proposal=2)
    researcher = seat(panel, PanelRole.RESEARCHER)
    own = ProposalFactory(call=panel.call, applicant=researcher.person)
    seat(panel, PanelRole.LEE)

    assign_automatically(panel, by=make_funding_staff())

    assert not Review.objects.filter(member=researcher, proposal=own).exists()
    assert ConflictDeclaration.objects.get(member=researcher, proposal=own).automatic


def _queries_to_assign(proposals: int, pairs_of_members: int = 1) -> int:
    panel = PanelFactory(reviewers_per_proposal=2)
    for _ in range(proposals):
        ProposalFactory(call=panel.call)
    for _ in range(pairs_of_members):
        seat(panel, PanelRole.LEE)
        seat(panel, PanelRole.RESEARCHER)
    seat(panel, PanelRole.LEE)
    staff = make_funding_staff()
    staff.has_perm("funding.manage_panel")  # the permission cache, outside the count
    with CaptureQueriesContext(connection) as queries:
        assign_automatically(panel, by=staff)
    return len(queries)


def test_automatic_assignment_takes_the_same_queries_for_1_and_30_proposals():
    assert _queries_to_assign(1) == _queries_to_assign(30)


def test_automatic_assignment_takes_the_same_queries_for_3_and_11_members():
    # Syncing the members' access once for them all, not member by member.
    assert _queries_to_assign(4, pairs_of_members=1) == _queries_to_assign(4, pairs_of_members=5)


def test_an_assignment_whose_member_was_excluded_since_does_not_count():
    panel = PanelFactory(reviewers_per_proposal=1)
    proposal = ProposalFactory(call=panel.call)
    first = seat(panel, PanelRole.LEE)
    second = seat(panel, PanelRole.LEE)
    Review.objects.create(member=first, proposal=proposal)
    _exclude(first, proposal)

    report = assign_automatically(panel, by=make_funding_staff())

    assert report.created == 1
    assert _pairs(panel) == {(first.pk, proposal.pk), (second.pk, proposal.pk)}
