"""Funding's demo data: the three calls a newcomer walks through, and the volume at a scale."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from coprod.models import User
from funding.demo import CLOSED_CALL, OPEN_CALL, REVIEW_CALL
from funding.enums import CallStatus, PanelRole, ProposalStatus, ReviewStatus, ScoredBy
from funding.models import Call, PanelMember, Proposal, Review, Score
from funding.permissions import may_open_proposal, openable_proposals_for_user

pytestmark = pytest.mark.django_db


def seed(settings, scale: int = 1) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", scale=scale, stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def user(email: str) -> User:
    return User.objects.select_related("person").get(email=email)


def test_an_open_call_with_criteria_and_the_researchers_draft(settings):
    seed(settings)

    call = Call.objects.get(title=OPEN_CALL)
    researcher = user("researcher@example.org")

    assert call.is_open
    assert call.criteria.filter(key="lived_experience").exists()
    assert call.criteria.filter(scored_by=ScoredBy.LEES).count() == 1
    assert Proposal.objects.get(call=call, applicant=researcher.person).status == (
        ProposalStatus.DRAFT
    )


def test_a_closed_call_whose_panel_has_not_declared_yet(settings):
    seed(settings)

    call = Call.objects.get(title=CLOSED_CALL)
    lee, policymaker = user("lee@example.org"), user("policymaker@example.org")
    members = PanelMember.objects.filter(panel__call=call)

    assert call.status == CallStatus.CLOSED
    assert call.proposals.filter(status=ProposalStatus.SUBMITTED).count() == 4
    assert members.get(person=policymaker.person).is_chair
    assert members.get(person=lee.person).role == PanelRole.LEE
    assert not members.filter(confidentiality_accepted_at__isnull=False).exists()
    assert not Review.objects.filter(proposal__call=call).exists()
    assert call.panel.polls.get().slots.count() == 3
    # Nothing of a proposal opens to a member before they accept the terms and declare.
    assert not any(may_open_proposal(lee, p) for p in call.proposals.all())


def test_a_call_in_review_where_the_demo_lee_has_reviews_in_every_state(settings):
    seed(settings)

    call = Call.objects.get(title=REVIEW_CALL)
    lee = user("lee@example.org")
    theirs = Review.objects.filter(proposal__call=call, member__person=lee.person)

    assert call.status == CallStatus.IN_REVIEW
    assert call.panel.scoring_started_at is not None
    assert sorted(theirs.values_list("status", flat=True)) == sorted(
        [ReviewStatus.SUBMITTED, ReviewStatus.DRAFT, ReviewStatus.ASSIGNED]
    )
    assert set(openable_proposals_for_user(lee)) == set(call.proposals.all())
    sent = Review.objects.filter(proposal__call=call, status=ReviewStatus.SUBMITTED)
    # Every proposal has a sent review from an LEE and from someone else, so results show.
    for proposal in call.proposals.all():
        roles = set(sent.filter(proposal=proposal).values_list("member__role", flat=True))
        assert PanelRole.LEE in roles
        assert len(roles) >= 2


def test_seeding_twice_adds_nothing(settings):
    seed(settings)
    counts = (Call.objects.count(), Proposal.objects.count(), Review.objects.count())

    seed(settings)

    assert (Call.objects.count(), Proposal.objects.count(), Review.objects.count()) == counts


def test_at_a_scale_calls_in_review_with_proposals_and_scores(settings):
    seed(settings, scale=3)
    before = (Proposal.objects.count(), Score.objects.count())

    out = seed(settings, scale=3)

    assert (Proposal.objects.count(), Score.objects.count()) == before
    scale_proposals = Proposal.objects.filter(title__startswith="Scale proposal")
    assert scale_proposals.count() == 2 * 53
    assert "Funding at scale 3" not in out  # the second run adds nothing
    assert Score.objects.filter(review__proposal__in=scale_proposals).count() > 8 * 53
    lee = user("lee@example.org")
    assert Review.objects.filter(member__person=lee.person, proposal__in=scale_proposals).exists()
