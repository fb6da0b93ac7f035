"""Funding calls and proposals through their services: each rule refused with a clear message
and nothing changed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from coprod.models import Notification
from funding.enums import CallStatus, Eligibility, ProposalStatus
from funding.models import LIVED_EXPERIENCE_KEY, Call, Criterion, Proposal
from funding.services import (
    create_call,
    move_call,
    record_eligibility,
    save_proposal,
    start_proposal,
    submit_proposal,
    withdraw_proposal,
)
from tests.factories.core import make_staff, make_user
from tests.factories.funding import (
    CallFactory,
    CriterionFactory,
    ProposalFactory,
    make_funding_staff,
    make_researcher,
)

pytestmark = pytest.mark.django_db

FULL = {
    "title": "What helps",
    "summary": "We will ask survivors what helps them. We will pay them.",
    "description": "Two years of interviews.",
    "requested_amount": Decimal("20000.00"),
    "team": "Dr A",
    "lived_experience_involvement": "Paid LEE co-researchers.",
}


def new_call(by, **overrides):
    fields = {
        "title": "Safe housing",
        "description": "Research on safe housing.",
        "budget": Decimal("30000.00"),
        "opens_at": timezone.now(),
        "closes_at": timezone.now() + timedelta(days=10),
        "eligibility": "Anyone.",
        **overrides,
    }
    return create_call(by=by, **fields)


# Calls -----------------------------------------------------------------------------------------


def test_a_new_call_is_a_draft_with_its_lived_experience_criterion():
    call = new_call(make_funding_staff())

    assert call.status == CallStatus.DRAFT
    criteria = list(call.criteria.all())
    assert [c.key for c in criteria] == [LIVED_EXPERIENCE_KEY]
    assert criteria[0].weight > 0


def test_creating_a_call_needs_the_funding_team():
    with pytest.raises(ValidationError):
        new_call(make_staff(StaffGroup.ENGAGEMENT))

    assert Call.objects.count() == 0


def test_a_call_closing_before_it_opens_is_refused():
    now = timezone.now()
    with pytest.raises(ValidationError) as error:
        new_call(make_funding_staff(), opens_at=now, closes_at=now - timedelta(hours=1))

    assert "close after it opens" in str(error.value)
    assert Call.objects.count() == 0


def test_the_lived_experience_criterion_cannot_be_deleted():
    call = new_call(make_funding_staff())
    criterion = call.criteria.get()

    with pytest.raises(ValidationError):
        criterion.delete()

    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_other_criteria_can_be_deleted():
    call = new_call(make_funding_staff())
    other = CriterionFactory(call=call)

    other.delete()

    assert list(call.criteria.values_list("key", flat=True)) == [LIVED_EXPERIENCE_KEY]


def test_a_call_opens_with_a_future_closing_time_and_weighted_criteria():
    staff = make_funding_staff()
    call = new_call(staff)

    move_call(call, CallStatus.OPEN, by=staff)

    call.refresh_from_db()
    assert call.status == CallStatus.OPEN
    assert call.status_changed_at is not None


def test_a_call_cannot_open_after_its_closing_time():
    staff = make_funding_staff()
    call = new_call(staff, opens_at=timezone.now() - timedelta(days=3))
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(minutes=1))

    with pytest.raises(ValidationError) as error:
        move_call(call, CallStatus.OPEN, by=staff)

    assert "closing time has passed" in str(error.value)
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT


def test_a_call_cannot_open_with_a_criterion_weighted_zero():
    staff = make_funding_staff()
    call = new_call(staff)
    CriterionFactory(call=call, weight=0)

    with pytest.raises(ValidationError) as error:
        move_call(call, CallStatus.OPEN, by=staff)

    assert "weight above zero" in str(error.value)
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT


def test_a_call_cannot_open_without_its_lived_experience_criterion():
    staff = make_funding_staff()
    call = new_call(staff)
    Criterion.objects.filter(call=call).delete()  # bypassing the model, as a raw query would
    CriterionFactory(call=call)

    with pytest.raises(ValidationError) as error:
        move_call(call, CallStatus.OPEN, by=staff)

    assert "lived experience" in str(error.value)
    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT


def test_a_call_moves_only_one_step_at_a_time():
    staff = make_funding_staff()
    call = new_call(staff)

    with pytest.raises(ValidationError):
        move_call(call, CallStatus.DECIDED, by=staff)

    move_call(call, CallStatus.OPEN, by=staff)
    move_call(call, CallStatus.CLOSED, by=staff)
    move_call(call, CallStatus.IN_REVIEW, by=staff)
    move_call(call, CallStatus.DECIDED, by=staff)
    assert Call.objects.get(pk=call.pk).status == CallStatus.DECIDED


def test_moving_a_call_needs_the_funding_team():
    call = new_call(make_funding_staff())

    with pytest.raises(ValidationError):
        move_call(call, CallStatus.OPEN, by=make_staff(StaffGroup.FINANCE))

    assert Call.objects.get(pk=call.pk).status == CallStatus.DRAFT


# Proposals -------------------------------------------------------------------------------------


def test_a_researcher_saves_a_draft_then_submits_it():
    researcher = make_researcher()
    call = CallFactory()

    draft = start_proposal(call, by=researcher, title="Working title")
    assert draft.status == ProposalStatus.DRAFT
    save_proposal(draft, by=researcher, **FULL)
    submit_proposal(draft, by=researcher)

    proposal = Proposal.objects.get()
    assert proposal.applicant == researcher.person
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.submitted_at is not None
    assert proposal.summary == FULL["summary"]


def test_only_researchers_make_proposals():
    someone = make_user(roles=[Role.LEE])

    with pytest.raises(ValidationError):
        start_proposal(CallFactory(), by=someone, **FULL)

    assert Proposal.objects.count() == 0


def test_a_proposal_to_a_call_not_open_is_refused():
    call = CallFactory(status=CallStatus.DRAFT)

    with pytest.raises(ValidationError) as error:
        start_proposal(call, by=make_researcher(), **FULL)

    assert "not open" in str(error.value)
    assert Proposal.objects.count() == 0


def test_submitting_after_the_closing_time_is_refused_and_the_draft_kept():
    researcher = make_researcher()
    call = CallFactory()
    draft = start_proposal(call, by=researcher, **FULL)
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError) as error:
        submit_proposal(draft, by=researcher)

    assert "closed on" in str(error.value)
    assert "Your draft is still saved" in str(error.value)
    assert Proposal.objects.get().status == ProposalStatus.DRAFT


def test_submitting_needs_every_required_field():
    researcher = make_researcher()
    draft = start_proposal(CallFactory(), by=researcher, title="Only a title")

    with pytest.raises(ValidationError) as error:
        submit_proposal(draft, by=researcher)

    assert set(error.value.message_dict) == {
        "summary",
        "description",
        "requested_amount",
        "lived_experience_involvement",
    }
    assert Proposal.objects.get().status == ProposalStatus.DRAFT


def test_an_amount_over_the_budget_is_refused():
    researcher = make_researcher()
    call = CallFactory(budget=Decimal("1000.00"))

    with pytest.raises(ValidationError) as error:
        start_proposal(call, by=researcher, **{**FULL, "requested_amount": Decimal("1000.01")})

    assert "more than the call's budget" in str(error.value)
    assert Proposal.objects.count() == 0


def test_the_amount_can_equal_the_budget():
    researcher = make_researcher()
    call = CallFactory(budget=Decimal("1000.00"))

    start_proposal(call, by=researcher, **{**FULL, "requested_amount": Decimal("1000.00")})

    assert Proposal.objects.get().requested_amount == Decimal("1000.00")


def test_a_summary_over_the_limit_is_refused():
    researcher = make_researcher()

    with pytest.raises(ValidationError) as error:
        start_proposal(CallFactory(), by=researcher, **{**FULL, "summary": "a" * 1201})

    assert "summary" in error.value.message_dict
    assert Proposal.objects.count() == 0


def test_a_submitted_proposal_cannot_be_changed_by_its_applicant():
    researcher = make_researcher()
    proposal = ProposalFactory(applicant=researcher.person)

    with pytest.raises(ValidationError) as error:
        save_proposal(proposal, by=researcher, title="Changed")

    assert "cannot be changed" in str(error.value)
    assert Proposal.objects.get().title == proposal.title


def test_nobody_else_saves_someone_s_draft():
    owner = make_researcher()
    draft = start_proposal(CallFactory(), by=owner, title="Mine")

    with pytest.raises(ValidationError):
        save_proposal(draft, by=make_researcher(), title="Theirs")

    assert Proposal.objects.get().title == "Mine"


def test_the_applicant_withdraws_a_submitted_proposal():
    researcher = make_researcher()
    proposal = ProposalFactory(applicant=researcher.person)

    withdraw_proposal(proposal, by=researcher)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.withdrawn_at is not None


def test_only_the_applicant_withdraws():
    proposal = ProposalFactory()

    for someone in (make_researcher(), make_funding_staff()):
        with pytest.raises(ValidationError):
            withdraw_proposal(proposal, by=someone)

    assert Proposal.objects.get().status == ProposalStatus.SUBMITTED


# Eligibility -----------------------------------------------------------------------------------


def test_funding_staff_find_a_proposal_ineligible_and_the_applicant_is_told():
    proposal = ProposalFactory()

    record_eligibility(proposal, by=make_funding_staff(), eligible=False, reason="Outside UK")

    proposal.refresh_from_db()
    assert proposal.eligibility == Eligibility.INELIGIBLE
    assert proposal.ineligible_reason == "Outside UK"
    message = Notification.objects.get()
    assert message.person == proposal.applicant
    assert message.kind == "funding_eligibility"
    assert "Outside UK" in str(message.content)


def test_recording_the_same_outcome_twice_tells_the_applicant_once():
    proposal = ProposalFactory()
    staff = make_funding_staff()

    record_eligibility(proposal, by=staff, eligible=True)
    record_eligibility(proposal, by=staff, eligible=True)

    assert Notification.objects.filter(person=proposal.applicant).count() == 1


def test_ineligible_needs_a_reason():
    proposal = ProposalFactory()

    with pytest.raises(ValidationError) as error:
        record_eligibility(proposal, by=make_funding_staff(), eligible=False, reason="  ")

    assert "ineligible_reason" in error.value.message_dict
    assert Proposal.objects.get().eligibility == Eligibility.UNCHECKED
    assert Notification.objects.count() == 0


def test_eligibility_needs_the_funding_team():
    proposal = ProposalFactory()

    with pytest.raises(ValidationError):
        record_eligibility(proposal, by=make_staff(StaffGroup.ENGAGEMENT), eligible=True)

    assert Proposal.objects.get().eligibility == Eligibility.UNCHECKED
    assert Notification.objects.count() == 0


def test_a_draft_s_eligibility_is_not_checked():
    researcher = make_researcher()
    draft = start_proposal(CallFactory(), by=researcher, **FULL)

    with pytest.raises(ValidationError):
        record_eligibility(draft, by=make_funding_staff(), eligible=True)

    assert Proposal.objects.get().eligibility == Eligibility.UNCHECKED


def test_funding_staff_do_not_check_their_own_proposal():
    staff = make_funding_staff()
    researcher = make_researcher()
    researcher.is_staff = True
    researcher.save(update_fields=["is_staff"])
    researcher.groups.set(staff.groups.all())
    proposal = ProposalFactory(applicant=researcher.person)

    with pytest.raises(ValidationError):
        record_eligibility(proposal, by=researcher, eligible=True)

    assert Proposal.objects.get().eligibility == Eligibility.UNCHECKED
    assert Notification.objects.count() == 0


def test_an_outcome_changed_back_is_told_again():
    proposal = ProposalFactory()
    staff = make_funding_staff()

    record_eligibility(proposal, by=staff, eligible=True)
    record_eligibility(proposal, by=staff, eligible=False, reason="Outside UK")
    record_eligibility(proposal, by=staff, eligible=True)

    told = Notification.objects.filter(person=proposal.applicant).order_by("pk")
    assert len(told) == 3
    assert "It is eligible" in str(told[2].content)
