"""The canary for funding (tests/coprod/test_data_rights.py): `word` in every personal field
this app holds about the person, through the services — a submitted proposal found ineligible
with a reason, and a draft."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from coprod.enums import Role
from coprod.models import User
from coprod.services.roles import grant_role
from funding.enums import PanelRole
from funding.models import PanelMember, Review
from funding.services import (
    keep_proposal,
    record_eligibility,
    reopen_review,
    save_review,
    start_proposal,
    submit_proposal,
    submit_review,
)
from funding.services.reviews import criteria_for
from tests.factories.funding import (
    CallFactory,
    PanelFactory,
    ProposalFactory,
    declare_clear,
    make_funding_staff,
)
from tests.funding.files import pdf_upload


def fill(user: User, word: str) -> None:
    grant_role(user.person, Role.RESEARCHER, by=make_funding_staff())
    call = CallFactory()
    fields = {
        "title": f"{word} title",
        "summary": f"{word} summary.",
        "description": f"{word} description",
        "requested_amount": Decimal("100.00"),
        "team": f"{word} team",
        "lived_experience_involvement": f"{word} involvement",
        "content_warning": f"{word} warning",
    }
    sent = start_proposal(call, by=user, **fields)
    submit_proposal(sent, by=user)
    record_eligibility(sent, by=make_funding_staff(), eligible=False, reason=f"{word} reason")
    start_proposal(CallFactory(), by=user, **fields)
    # Proposal files (the "files" slice): a file whose name holds the word, on a draft.
    keep_proposal(
        CallFactory(),
        by=user,
        draft=None,
        fields={"title": f"{word} files title"},
        files=[pdf_upload(f"{word} plan.pdf")],
    )
    _fill_review(user, word)
    _fill_meeting_availability(user)
    _fill_decision(user, word, fields)
    _fill_panel_seat(user, word)


def _fill_review(user: User, word: str) -> None:
    """Scoring online: `user` sits as an LEE and writes a review through the services (notes,
    feedback, a comment on each score), which staff reopen with a reason and the member sends
    again."""
    panel = PanelFactory(scoring_started_at=timezone.now() - timedelta(days=1))
    proposal = ProposalFactory(call=panel.call)
    member = PanelMember.objects.create(panel=panel, person=user.person, role=PanelRole.LEE)
    declare_clear(member)
    review = Review.objects.create(member=member, proposal=proposal)
    criteria = criteria_for(member, proposal.call_id)
    text = {
        "comments": {criterion.pk: f"{word} score comment" for criterion in criteria},
        "comment": f"{word} notes for the panel",
        "feedback": f"{word} feedback",
    }
    save_review(review, by=user, scores={}, **text)
    submit_review(review, by=user, scores={c.pk: 3 for c in criteria}, **text)
    reopen_review(review, by=make_funding_staff(), reason=f"{word} reopen reason")
    submit_review(review, by=user, scores={c.pk: 4 for c in criteria}, **text)


def _fill_meeting_availability(user: User) -> None:
    """Panel meetings: the person sits on a panel (as an LEE) and answers its meeting poll
    through the service; the poll closes with their answer and an invitation is queued to them.
    No free text of theirs here: a poll's title and place are staff's words."""
    from funding.enums import Availability, PanelRole
    from funding.models import PanelMember
    from funding.services.meetings import answer_poll, close_poll
    from tests.factories.funding import PanelFactory, open_poll, seat

    panel = PanelFactory()
    chair = seat(panel, PanelRole.POLICYMAKER, ready=False, is_chair=True)
    member = PanelMember.objects.create(panel=panel, person=user.person, role=PanelRole.LEE)
    poll = open_poll(panel)
    every_slot_yes = {slot.pk: Availability.YES for slot in poll.slots.all()}
    answer_poll(poll, chair, by=make_funding_staff(), answers=every_slot_yes)
    answer_poll(poll, member, by=user, answers=every_slot_yes)
    close_poll(poll, by=make_funding_staff())


def _fill_decision(user: User, word: str, fields: dict) -> None:
    """Results and decisions: their eligible proposal decided with words about it, and the
    decision sent to them when the call is decided (a message)."""
    from funding.enums import CallStatus, DecisionOutcome
    from funding.services import decide_call, move_call, record_decision

    staff = make_funding_staff()
    call = CallFactory()
    proposal = start_proposal(call, by=user, **fields)
    submit_proposal(proposal, by=user)
    record_eligibility(proposal, by=staff, eligible=True)
    move_call(call, CallStatus.CLOSED, by=staff)
    move_call(call, CallStatus.IN_REVIEW, by=staff)
    record_decision(
        proposal,
        by=staff,
        outcome=DecisionOutcome.FUND_WITH_CONDITIONS,
        rationale=f"{word} rationale",
        conditions=f"{word} conditions",
        dissent=f"{word} dissent",
        lee_view=f"{word} weighed",
        feedback=f"{word} feedback",
    )
    decide_call(call, by=staff)


# Panels (helper "panels"): a seat on a panel, with a conflict declared in the person's words.
def _fill_panel_seat(user: User, word: str) -> None:
    from funding.enums import ConflictCategory, ConflictDecision, PanelRole
    from funding.services import (
        Answer,
        accept_confidentiality,
        add_member,
        decide_conflict,
        declare_conflicts,
    )
    from tests.factories.funding import PanelFactory, ProposalFactory

    staff = make_funding_staff()
    grant_role(user.person, Role.LEE, by=staff)
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    member = add_member(panel, user.person, by=staff, role=PanelRole.LEE)
    accept_confidentiality(member, by=user)
    answer = Answer(
        conflicted=True, category=ConflictCategory.SUPPORTS_ME, description=f"{word} conflict"
    )
    (declaration,) = declare_conflicts(member, {proposal.pk: answer}, by=user)
    # Staff's reason for letting them take part is about them (what ties them to the applicant).
    decide_conflict(
        declaration, by=staff, decision=ConflictDecision.CONTINUE, reason=f"{word} takes part"
    )
