"""Panels through their services: building a panel, the composition rule, starting scoring,
confidentiality and declarations, deciding conflicts — each refusal with nothing changed, and
access to proposals following every change (the guardian grants)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from guardian.models import UserObjectPermission

from coprod.enums import Role
from coprod.models import Notification
from funding.enums import (
    CallStatus,
    ConflictCategory,
    ConflictDecision,
    PanelRole,
    ProposalStatus,
    ReviewStatus,
)
from funding.models import ConflictDeclaration, Panel, PanelMember, Review
from funding.permissions import may_open_proposal, may_see_panel_scores, openable_proposals
from funding.services import (
    Answer,
    accept_confidentiality,
    add_member,
    answer_field,
    composition_problems,
    create_panel,
    decide_conflict,
    declare_conflicts,
    may_decide_conflict,
    remove_member,
    set_chair,
    start_scoring,
    update_panel,
)
from tests.factories.core import make_person, make_user
from tests.factories.funding import (
    CallFactory,
    PanelFactory,
    ProposalFactory,
    declare_clear,
    make_funding_staff,
    scored_review,
    seat,
)

pytestmark = pytest.mark.django_db


def _grants(user) -> set[int]:
    return {
        int(pk)
        for pk in UserObjectPermission.objects.filter(
            user=user, permission__codename="review_proposal"
        ).values_list("object_pk", flat=True)
    }


def _full_panel(**fields) -> Panel:
    panel = PanelFactory(**fields)
    seat(panel, PanelRole.LEE, is_chair=True)
    seat(panel, PanelRole.RESEARCHER)
    seat(panel, PanelRole.POLICYMAKER)
    return panel


# Building a panel -------------------------------------------------------------------------------


def test_staff_create_a_panel_for_a_draft_call_with_its_settings():
    call = CallFactory(status=CallStatus.DRAFT)

    panel = create_panel(call, by=make_funding_staff(), reviewers_per_proposal=2, lee_one_in=2)

    assert (panel.call, panel.reviewers_per_proposal, panel.lee_one_in) == (call, 2, 2)


def test_a_call_gets_one_panel_and_none_once_decided():
    staff = make_funding_staff()
    panel = PanelFactory()
    decided = CallFactory(status=CallStatus.DECIDED)

    with pytest.raises(ValidationError) as again:
        create_panel(panel.call, by=staff)
    with pytest.raises(ValidationError) as late:
        create_panel(decided, by=staff)

    assert again.value.code == "exists"
    assert late.value.code == "decided"
    assert Panel.objects.count() == 1


def test_only_panel_managers_create_panels():
    call = CallFactory()

    with pytest.raises(ValidationError):
        create_panel(call, by=make_user(roles=[Role.RESEARCHER]))

    assert not Panel.objects.exists()


def test_terms_cannot_change_once_a_member_accepted_them():
    panel = PanelFactory()
    seat(panel, PanelRole.LEE)

    with pytest.raises(ValidationError) as refused:
        update_panel(panel, by=make_funding_staff(), confidentiality_terms="New terms")

    assert "confidentiality_terms" in refused.value.message_dict
    panel.refresh_from_db()
    assert panel.confidentiality_terms != "New terms"


def test_a_seat_needs_the_matching_role():
    panel = PanelFactory()
    researcher = make_person(roles=[Role.RESEARCHER])

    with pytest.raises(ValidationError) as refused:
        add_member(panel, researcher, by=make_funding_staff(), role=PanelRole.LEE)

    assert list(refused.value.message_dict) == ["role"]
    assert not PanelMember.objects.exists()


def test_adding_the_applicant_of_a_proposal_excludes_them_from_it_at_once():
    panel = PanelFactory()
    researcher = make_person(roles=[Role.RESEARCHER])
    own = ProposalFactory(call=panel.call, applicant=researcher)

    member = add_member(panel, researcher, by=make_funding_staff(), role=PanelRole.RESEARCHER)

    declaration = ConflictDeclaration.objects.get(member=member)
    assert (declaration.proposal, declaration.category, declaration.decision) == (
        own,
        ConflictCategory.OWN_PROPOSAL,
        ConflictDecision.EXCLUDED,
    )
    assert declaration.automatic


def test_a_panel_has_one_chair():
    panel = PanelFactory()
    first = seat(panel, PanelRole.LEE, is_chair=True)
    second = seat(panel, PanelRole.POLICYMAKER)

    set_chair(second, by=make_funding_staff())

    assert list(PanelMember.objects.filter(is_chair=True)) == [second]
    first.refresh_from_db()
    assert not first.is_chair


def test_removing_a_member_takes_their_access_away():
    panel = PanelFactory(scoring_started_at=None)
    proposal = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    user = member.person.user
    assert _grants(user) == {proposal.pk}

    remove_member(member, by=make_funding_staff())

    assert not PanelMember.objects.exists()
    assert _grants(user) == set()
    assert not may_open_proposal(user, proposal)


def test_a_member_with_sent_reviews_stays_once_scoring_started():
    panel = PanelFactory(scoring_started_at=timezone.now())
    proposal = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    scored_review(member, proposal, 3)

    with pytest.raises(ValidationError) as refused:
        remove_member(member, by=make_funding_staff())

    assert refused.value.code == "has_sent_reviews"
    assert Review.objects.filter(member=member, status=ReviewStatus.SUBMITTED).count() == 1


# Composition -------------------------------------------------------------------------------------


def test_composition_lists_what_is_missing():
    panel = PanelFactory()
    for role in (PanelRole.LEE, PanelRole.RESEARCHER, PanelRole.RESEARCHER, PanelRole.RESEARCHER):
        seat(panel, role)

    problems = composition_problems(panel)

    assert problems == [
        "At least 2 of its 4 members must be lived experience experts (one in every 3): it has 1.",
        "It has no member in the seat “Policymaker”.",
    ]


def test_composition_met_with_a_third_lees_and_every_seat():
    panel = _full_panel()

    assert composition_problems(panel) == []


# Starting scoring --------------------------------------------------------------------------------


def test_start_scoring_is_refused_while_the_rule_is_not_met():
    panel = PanelFactory(scoring_started_at=None, call__status=CallStatus.CLOSED)
    seat(panel, PanelRole.RESEARCHER)

    with pytest.raises(ValidationError) as refused:
        start_scoring(panel, by=make_funding_staff())

    assert list(refused.value.message_dict) == ["override_reason"]
    panel.refresh_from_db()
    assert panel.scoring_started_at is None
    assert panel.call.status == CallStatus.CLOSED


def test_start_scoring_with_an_override_records_who_why_and_when():
    panel = PanelFactory(scoring_started_at=None, call__status=CallStatus.CLOSED)
    seat(panel, PanelRole.RESEARCHER)
    staff = make_funding_staff()

    start_scoring(panel, by=staff, override_reason="Two LEEs fell ill; agreed with the board.")

    panel.refresh_from_db()
    assert panel.override_reason == "Two LEEs fell ill; agreed with the board."
    assert panel.overridden_by == staff
    assert panel.overridden_at is not None
    assert panel.scoring_started_by == staff


def test_start_scoring_moves_a_closed_call_to_review_and_tells_the_members(
    django_capture_on_commit_callbacks, mailoutbox
):
    panel = PanelFactory(scoring_started_at=None, call__status=CallStatus.CLOSED)
    seat(panel, PanelRole.LEE, is_chair=True)
    seat(panel, PanelRole.RESEARCHER)
    seat(panel, PanelRole.POLICYMAKER)

    with django_capture_on_commit_callbacks(execute=True):
        start_scoring(panel, by=make_funding_staff())

    panel.refresh_from_db()
    assert panel.scoring_started_at is not None
    assert panel.call.status == CallStatus.IN_REVIEW
    assert not panel.override_reason
    told = Notification.objects.filter(kind="funding_panel_scoring")
    assert {message.person for message in told} == {member.person for member in panel.members.all()}


def test_start_scoring_needs_a_deadline_in_the_future_and_a_closed_call():
    staff = make_funding_staff()
    late = _full_panel(
        scoring_started_at=None,
        call__status=CallStatus.CLOSED,
        scoring_deadline=timezone.now() - timedelta(hours=1),
    )
    still_open = _full_panel(scoring_started_at=None, call__status=CallStatus.OPEN)

    with pytest.raises(ValidationError) as no_deadline:
        start_scoring(late, by=staff)
    with pytest.raises(ValidationError) as call_open:
        start_scoring(still_open, by=staff)

    assert list(no_deadline.value.message_dict) == ["scoring_deadline"]
    assert call_open.value.code == "call_not_closed"
    assert not Panel.objects.filter(scoring_started_at__isnull=False).exists()


# Confidentiality and declarations -----------------------------------------------------------------


def _new_member(panel: Panel, role=PanelRole.LEE) -> PanelMember:
    return seat(panel, role, ready=False)


def test_nothing_opens_before_the_terms_and_the_declaration():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = _new_member(panel)
    user = member.person.user

    accept_confidentiality(member, by=user)
    accepted_only = may_open_proposal(user, proposal)
    declare_conflicts(member, {proposal.pk: Answer(conflicted=False)}, by=user)

    assert not accepted_only
    assert may_open_proposal(user, proposal)
    member.refresh_from_db()
    assert member.declarations_done_at is not None


def test_declaring_before_accepting_the_terms_is_refused():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = _new_member(panel)

    with pytest.raises(ValidationError) as refused:
        declare_conflicts(member, {proposal.pk: Answer(conflicted=False)}, by=member.person.user)

    assert refused.value.code == "terms_first"
    assert not ConflictDeclaration.objects.exists()


def test_a_wrong_answer_saves_none_and_names_each_field():
    panel = PanelFactory()
    first, second, third = (ProposalFactory(call=panel.call) for _ in range(3))
    member = _new_member(panel)
    user = member.person.user
    accept_confidentiality(member, by=user)

    with pytest.raises(ValidationError) as refused:
        declare_conflicts(
            member,
            {
                first.pk: Answer(conflicted=False),
                second.pk: Answer(conflicted=True, category="", description=""),
            },
            by=user,
        )

    assert sorted(refused.value.message_dict) == sorted(
        [
            answer_field(second.pk, "category"),
            answer_field(second.pk, "description"),
            answer_field(third.pk, "conflict"),
        ]
    )
    assert not ConflictDeclaration.objects.exists()
    assert _grants(user) == set()


def test_own_proposal_is_never_a_category_a_member_chooses():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = _new_member(panel)
    user = member.person.user
    accept_confidentiality(member, by=user)
    answer = Answer(conflicted=True, category=ConflictCategory.OWN_PROPOSAL, description="Mine")

    with pytest.raises(ValidationError) as refused:
        declare_conflicts(member, {proposal.pk: answer}, by=user)

    assert list(refused.value.message_dict) == [answer_field(proposal.pk, "category")]


def test_a_declared_conflict_keeps_the_member_out_until_decided():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = _new_member(panel)
    user = member.person.user
    accept_confidentiality(member, by=user)

    declare_conflicts(
        member,
        {
            proposal.pk: Answer(
                conflicted=True,
                category=ConflictCategory.SUPPORTS_ME,
                description="Their caseworker supports me.",
            )
        },
        by=user,
    )

    declaration = ConflictDeclaration.objects.get()
    assert declaration.decision == ConflictDecision.PENDING
    assert not may_open_proposal(user, proposal)


def test_a_proposal_arriving_later_is_declared_then():
    panel = PanelFactory()
    first = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    user = member.person.user
    later = ProposalFactory(call=panel.call)

    declare_conflicts(member, {later.pk: Answer(conflicted=False)}, by=user)

    assert _grants(user) == {first.pk, later.pk}


def test_only_the_member_declares_for_their_seat():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = _new_member(panel)
    accept_confidentiality(member, by=member.person.user)

    with pytest.raises(ValidationError):
        declare_conflicts(
            member, {proposal.pk: Answer(conflicted=False)}, by=make_user(roles=[Role.LEE])
        )

    assert not ConflictDeclaration.objects.exists()


# Deciding conflicts -----------------------------------------------------------------------------


def _conflicted(panel: Panel, proposal) -> ConflictDeclaration:
    member = _new_member(panel)
    user = member.person.user
    accept_confidentiality(member, by=user)
    answers = {other.pk: Answer(conflicted=False) for other in panel.call.proposals.all()}
    answers[proposal.pk] = Answer(
        conflicted=True, category=ConflictCategory.USED_SERVICES, description="Used them."
    )
    declare_conflicts(member, answers, by=user)
    return ConflictDeclaration.objects.get(member=member, proposal=proposal)


def test_waiving_needs_a_reason_and_then_opens_the_proposal():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    declaration = _conflicted(panel, proposal)
    staff = make_funding_staff()

    with pytest.raises(ValidationError) as refused:
        decide_conflict(declaration, by=staff, decision=ConflictDecision.WAIVED)
    closed_before = may_open_proposal(declaration.member.person.user, proposal)
    decide_conflict(declaration, by=staff, decision=ConflictDecision.WAIVED, reason="Long ago.")

    assert list(refused.value.message_dict) == ["decision_reason"]
    assert not closed_before
    declaration.refresh_from_db()
    assert (declaration.decision, declaration.decided_by) == (ConflictDecision.WAIVED, staff)
    assert may_open_proposal(declaration.member.person.user, proposal)


def test_excluding_after_a_waiver_takes_access_and_scores_away():
    now = timezone.now()
    panel = PanelFactory(
        scoring_started_at=now - timedelta(days=3), scoring_deadline=now - timedelta(hours=1)
    )
    proposal = ProposalFactory(call=panel.call)
    declaration = _conflicted(panel, proposal)
    user = declaration.member.person.user
    staff = make_funding_staff()
    decide_conflict(declaration, by=staff, decision=ConflictDecision.CONTINUE, reason="Minor.")
    saw_scores_before = may_see_panel_scores(user, proposal)

    decide_conflict(declaration, by=staff, decision=ConflictDecision.EXCLUDED)

    assert saw_scores_before
    assert _grants(user) == set()
    assert not may_open_proposal(user, proposal)
    assert not may_see_panel_scores(user, proposal)


def test_the_chair_decides_but_not_their_own_nor_on_a_proposal_they_are_conflicted_on():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    other = ProposalFactory(call=panel.call)
    chair = seat(panel, PanelRole.POLICYMAKER, is_chair=True, ready=False)
    chair_user = chair.person.user
    accept_confidentiality(chair, by=chair_user)
    conflict = Answer(conflicted=True, category=ConflictCategory.WORK, description="Colleague.")
    declare_conflicts(
        chair, {proposal.pk: Answer(conflicted=False), other.pk: conflict}, by=chair_user
    )
    on_proposal = _conflicted(panel, proposal)
    on_other = _conflicted(panel, other)
    own = ConflictDeclaration.objects.get(member=chair, proposal=other)

    assert may_decide_conflict(chair_user, on_proposal)
    assert not may_decide_conflict(chair_user, on_other)
    assert not may_decide_conflict(chair_user, own)
    with pytest.raises(ValidationError):
        decide_conflict(own, by=chair_user, decision=ConflictDecision.WAIVED, reason="Fine")
    own.refresh_from_db()
    assert own.decision == ConflictDecision.PENDING


def test_an_ordinary_member_cannot_decide():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    declaration = _conflicted(panel, proposal)
    member = seat(panel, PanelRole.RESEARCHER)

    with pytest.raises(ValidationError):
        decide_conflict(
            declaration, by=member.person.user, decision=ConflictDecision.WAIVED, reason="ok"
        )

    declaration.refresh_from_db()
    assert declaration.decision == ConflictDecision.PENDING


def test_an_applicant_on_two_panels_is_excluded_only_from_their_own_proposal():
    staff = make_funding_staff()
    researcher = make_person(roles=[Role.RESEARCHER])
    elsewhere = PanelFactory()
    add_member(elsewhere, researcher, by=staff, role=PanelRole.RESEARCHER)
    panel = PanelFactory()
    own = ProposalFactory(call=panel.call, applicant=researcher)

    member = add_member(panel, researcher, by=staff, role=PanelRole.RESEARCHER)

    assert list(ConflictDeclaration.objects.values_list("member_id", "proposal_id")) == [
        (member.pk, own.pk)
    ]


def test_an_applicant_never_opens_their_own_proposal_whatever_is_on_record():
    """The rule itself excludes the applicant, beside the automatic conflict: a "no conflict"
    row on their own proposal (written by hand in the admin, or left from an import) opens
    nothing."""
    panel = PanelFactory()
    member = seat(panel, PanelRole.RESEARCHER, ready=False)
    own = ProposalFactory(call=panel.call, applicant=member.person)
    ConflictDeclaration.objects.create(member=member, proposal=own, conflicted=False)

    declare_clear(member)

    assert list(openable_proposals(member)) == []
    assert not may_open_proposal(member.person.user, own)


def test_staff_who_sit_on_the_panel_do_not_decide_their_own_conflict():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    staff = make_funding_staff(person=make_person(roles=[Role.LEE]))
    member = PanelMember.objects.create(panel=panel, person=staff.person, role=PanelRole.LEE)
    accept_confidentiality(member, by=staff)
    conflict = Answer(conflicted=True, category=ConflictCategory.WORK, description="Colleague.")
    declare_conflicts(member, {proposal.pk: conflict}, by=staff)
    own = ConflictDeclaration.objects.get(member=member, proposal=proposal)

    with pytest.raises(ValidationError):
        decide_conflict(own, by=staff, decision=ConflictDecision.WAIVED, reason="Fine.")

    own.refresh_from_db()
    assert (may_decide_conflict(staff, own), own.decision) == (False, ConflictDecision.PENDING)


def test_syncing_grants_only_proposals_before_the_members_panel():
    panel = PanelFactory()
    kept = ProposalFactory(call=panel.call)
    withdrawn = ProposalFactory(call=panel.call, status=ProposalStatus.WITHDRAWN)
    elsewhere = ProposalFactory(call=PanelFactory().call)
    member = seat(panel, PanelRole.LEE, ready=False)
    for proposal in (withdrawn, elsewhere):  # rows no service writes, by hand or by import
        ConflictDeclaration.objects.create(member=member, proposal=proposal, conflicted=False)

    declare_clear(member)

    granted = UserObjectPermission.objects.filter(user=member.person.user)
    assert sorted(granted.values_list("object_pk", flat=True)) == [str(kept.pk)]
