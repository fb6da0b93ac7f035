""" "Your reviews" reads the member's grants through `funding.permissions.granted` (one index probe
per review); it must list exactly the proposals `openable_proposals_for_user` says they may open."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from guardian.shortcuts import assign_perm

from funding.enums import ConflictCategory, ConflictDecision, Eligibility, ProposalStatus
from funding.models import ConflictDeclaration, Review
from funding.permissions import openable_proposals_for_user, sync_proposal_access
from funding.selectors.reviews import reviews_for_user
from tests.factories.funding import PanelFactory, ProposalFactory, seat

pytestmark = pytest.mark.django_db


def listed(user) -> set[str]:
    return {review.proposal.title for review in reviews_for_user(user)}


def openable_and_assigned(user) -> set[str]:
    assigned = Review.objects.filter(member__person_id=user.person_id).values("proposal_id")
    return set(
        openable_proposals_for_user(user).filter(pk__in=assigned).values_list("title", flat=True)
    )


def test_my_reviews_lists_exactly_the_assigned_proposals_the_member_may_open():
    panel = PanelFactory()
    titles = [
        "Open",
        "Found eligible",
        "Withdrawn",
        "Ineligible",
        "Kept out",
        "Group grant",
        "Another permission",
    ]
    proposals = {title: ProposalFactory(call=panel.call, title=title) for title in titles}
    member, other = seat(panel), seat(panel)
    user = member.person.login
    # Kept out by a conflict; only the other member (another login) holds a grant on it.
    ConflictDeclaration.objects.filter(member=member, proposal=proposals["Kept out"]).update(
        conflicted=True, category=ConflictCategory.WORK, decision=ConflictDecision.EXCLUDED
    )
    # Not declared at all: no grant of theirs, but one through a group, and another permission
    # on the proposal (neither lets a member open it).
    ConflictDeclaration.objects.filter(
        member=member, proposal__in=[proposals["Group grant"], proposals["Another permission"]]
    ).delete()
    sync_proposal_access([member, other])
    group = Group.objects.create(name="A group with a proposal")
    user.groups.add(group)
    assign_perm("funding.review_proposal", group, proposals["Group grant"])
    assign_perm("funding.view_proposal", user, proposals["Another permission"])
    # The panel no longer deals with these (the grants outlive it: no sync).
    type(proposals["Open"]).objects.filter(pk=proposals["Withdrawn"].pk).update(
        status=ProposalStatus.WITHDRAWN
    )
    type(proposals["Open"]).objects.filter(pk=proposals["Ineligible"].pk).update(
        eligibility=Eligibility.INELIGIBLE
    )
    type(proposals["Open"]).objects.filter(pk=proposals["Found eligible"].pk).update(
        eligibility=Eligibility.ELIGIBLE
    )
    for proposal in proposals.values():
        Review.objects.create(member=member, proposal=proposal)

    assert listed(user) == {"Open", "Found eligible"}
    assert listed(user) == openable_and_assigned(user)
    assert listed(other.person.login) == set()

    user.is_active = False
    user.save(update_fields=["is_active"])
    assert listed(user) == openable_and_assigned(user) == set()
