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
    _fill_meeting_availability(user)


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
