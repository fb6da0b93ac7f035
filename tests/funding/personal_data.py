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
    _fill_panel_seat(user, word)


# Panels (helper "panels"): a seat on a panel, with a conflict declared in the person's words.
def _fill_panel_seat(user: User, word: str) -> None:
    from funding.enums import ConflictCategory, PanelRole
    from funding.services import Answer, accept_confidentiality, add_member, declare_conflicts
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
    declare_conflicts(member, {proposal.pk: answer}, by=user)
