"""Who sees which calls and proposals; a person's proposals in their download and gone after
erasure."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coprod import doors
from coprod.enums import Role, StaffGroup
from funding.enums import CallStatus, ProposalStatus
from funding.models import Proposal
from funding.selectors import calls_for_user, proposals_for_user
from tests.factories.core import make_staff, make_user
from tests.factories.funding import (
    CallFactory,
    ProposalFactory,
    make_funding_staff,
    make_researcher,
)

pytestmark = pytest.mark.django_db


def test_researchers_see_open_calls_only_and_funding_staff_see_all():
    open_call = CallFactory()
    CallFactory(status=CallStatus.DRAFT)
    CallFactory(closes_at=timezone.now() - timedelta(minutes=1))
    CallFactory(opens_at=timezone.now() + timedelta(days=1))
    researcher = make_researcher()

    assert list(calls_for_user(researcher, roles=frozenset({Role.RESEARCHER}))) == [open_call]
    assert calls_for_user(make_funding_staff(), roles=frozenset()).count() == 4


def test_other_roles_and_other_staff_see_no_calls():
    CallFactory()
    lee = make_user(roles=[Role.LEE])

    assert calls_for_user(lee, roles=frozenset({Role.LEE})).count() == 0
    assert calls_for_user(make_staff(StaffGroup.FINANCE), roles=frozenset()).count() == 0


def test_an_applicant_sees_their_own_proposals_and_funding_staff_all():
    researcher = make_researcher()
    mine = ProposalFactory(applicant=researcher.person)
    ProposalFactory()

    assert list(proposals_for_user(researcher)) == [mine]
    assert proposals_for_user(make_researcher()).count() == 0
    assert proposals_for_user(make_funding_staff()).count() == 2
    assert proposals_for_user(make_staff(StaffGroup.ENGAGEMENT)).count() == 0


def test_a_person_s_proposals_are_in_their_download():
    researcher = make_researcher()
    ProposalFactory(applicant=researcher.person, title="Mine", ineligible_reason="Too big")
    ProposalFactory(title="Not mine")

    data = doors.personal_data()["funding"].export(researcher.person)

    assert [p["title"] for p in data["proposals"]] == ["Mine"]
    assert data["proposals"][0]["ineligible_reason"] == "Too big"


def test_erasure_deletes_the_person_s_proposals_only():
    researcher = make_researcher()
    ProposalFactory(applicant=researcher.person)
    other = ProposalFactory()

    doors.personal_data()["funding"].erase(researcher.person, by=make_funding_staff())

    assert list(Proposal.objects.all()) == [other]


def test_funding_staff_do_not_see_someone_elses_draft():
    draft = ProposalFactory(status=ProposalStatus.DRAFT)
    sent = ProposalFactory(status=ProposalStatus.SUBMITTED)
    staff = make_funding_staff()

    assert list(proposals_for_user(staff)) == [sent]
    assert list(proposals_for_user(draft.applicant.user)) == [draft]


def test_erasing_a_reviewer_keeps_their_scores_for_the_results_without_their_name_or_words():
    from funding.enums import ConflictCategory, ConflictDecision, PanelRole
    from funding.models import ConflictDeclaration, PanelMember, Review, Score, SlotAnswer
    from funding.selectors.results import results_of
    from tests.factories.funding import PanelFactory, open_poll, scored_review, seat

    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    other = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    kept = seat(panel, PanelRole.RESEARCHER)
    review = scored_review(member, proposal, 4, comment="As a survivor I felt", feedback="Mine")
    Score.objects.filter(review=review).update(comment="My own story")
    ConflictDeclaration.objects.filter(member=member, proposal=other).update(
        conflicted=True,
        category=ConflictCategory.SUPPORTS_ME,
        description="They are my support worker",
        decision=ConflictDecision.EXCLUDED,
    )
    scored_review(kept, proposal, 2)
    poll = open_poll(panel)
    SlotAnswer.objects.create(slot=poll.slots.first(), member=member, answer="yes")
    before = {row.pk: row for row in results_of(panel.call)}[proposal.pk]

    doors.personal_data()["funding"].erase(member.person, by=make_funding_staff())

    seat_after = PanelMember.objects.get(pk=member.pk)
    review.refresh_from_db()
    assert seat_after.person_id is None
    assert seat_after.role == PanelRole.LEE
    assert (review.comment, review.feedback) == ("", "")
    assert set(Score.objects.filter(review=review).values_list("comment", flat=True)) == {""}
    assert Score.objects.filter(review=review).exclude(value=None).count() > 0
    assert not ConflictDeclaration.objects.filter(member=member).exclude(description="").exists()
    assert not SlotAnswer.objects.filter(member=member).exists()
    assert Review.objects.filter(member=kept).exists()
    after = {row.pk: row for row in results_of(panel.call)}[proposal.pk]
    assert (after.mean, after.lee_reviews) == (before.mean, before.lee_reviews) != (None, 0)
