"""The canary for funding (tests/coprod/test_data_rights.py): `word` in every personal field
this app holds about the person, through the services — a submitted proposal found ineligible
with a reason, and a draft."""

from __future__ import annotations

from decimal import Decimal

from coprod.enums import Role
from coprod.models import User
from coprod.services.roles import grant_role
from funding.services import record_eligibility, start_proposal, submit_proposal
from tests.factories.funding import CallFactory, make_funding_staff


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
    _fill_decision(user, word, fields)


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
