"""Helpers for the self-assessment tests: ratings for all five values, a member answering."""

from __future__ import annotations

from partnerships.enums import CoproductionValue, PartnershipRole
from partnerships.models import AssessmentRound, PartnershipMember
from partnerships.services.assessment import answer_round
from tests.factories.partnerships import add_member

VALUES = [value.value for value in CoproductionValue]


def ratings(*numbers: int) -> dict[str, int]:
    """`ratings(4)`: 4 for every value; `ratings(1, 2, 3, 4, 5)`: one per value, in order."""
    numbers = numbers * len(VALUES) if len(numbers) == 1 else numbers
    return dict(zip(VALUES, numbers, strict=True))


def form_data(*numbers: int, **comments: str) -> dict[str, str]:
    data = {value: str(number) for value, number in ratings(*numbers).items()}
    data.update({f"{value}_comment": text for value, text in comments.items()})
    return data


def answered_by(
    round_: AssessmentRound,
    role: str = PartnershipRole.LEE,
    *numbers: int,
    comments: dict[str, str] | None = None,
) -> PartnershipMember:
    """A new member in `role` who answers `round_` with `numbers` (see `ratings`)."""
    member = add_member(round_.partnership, role=role)
    answer_round(
        round_, person=member.person, ratings=ratings(*(numbers or (3,))), comments=comments
    )
    return member
