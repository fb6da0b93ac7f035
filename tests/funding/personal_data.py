"""The canary for funding (tests/coprod/test_data_rights.py): `word` in every personal field
this app holds about the person, through the services — a submitted proposal found ineligible
with a reason, and a draft."""

from __future__ import annotations

from decimal import Decimal

from coprod.enums import Role
from coprod.models import User
from coprod.services.roles import grant_role
from funding.services import keep_proposal, record_eligibility, start_proposal, submit_proposal
from tests.factories.funding import CallFactory, make_funding_staff
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
