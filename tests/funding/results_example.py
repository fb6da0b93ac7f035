"""A call with hand-computed results (tests/funding/test_results.py has the numbers), for the
results, decisions and page tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from funding.enums import Eligibility, PanelRole, ProposalStatus, ReviewStatus, ScoredBy
from funding.models import Call, PanelMember, Proposal, Review, Score
from tests.factories.funding import (
    CriterionFactory,
    PanelFactory,
    ProposalFactory,
    scored_review,
    seat,
)


@dataclass
class Example:
    call: Call
    proposals: dict[str, Proposal]
    lee: PanelMember
    researcher: PanelMember
    # The chair.
    policymaker: PanelMember


def build_example() -> Example:
    """Three criteria with different scales and weights, one for LEEs only:

    - lived experience (weight 1, out of 5, everyone); method (weight 2, out of 10, everyone);
      survivor voice (weight 1, out of 5, LEEs only).

    A review's score = Σ(value / scale × weight) / Σ(weight of the criteria it scored) × 100.
    """
    panel = PanelFactory(call__budget=Decimal("100000"))
    call = panel.call
    lived = call.criteria.get(key="lived_experience")
    method = CriterionFactory(call=call, name="Method", weight=2, scale_max=10)
    voice = CriterionFactory(
        call=call, name="Voice", weight=1, scale_max=5, scored_by=ScoredBy.LEES
    )
    proposals = {
        name: ProposalFactory(call=call, title=name, requested_amount=Decimal(amount))
        for name, amount in (("A", "30000"), ("B", "50000"), ("C", "20000"), ("D", "10000"))
    }
    ProposalFactory(call=call, title="withdrawn", status=ProposalStatus.WITHDRAWN)
    ineligible = ProposalFactory(call=call, title="ineligible", eligibility=Eligibility.INELIGIBLE)
    lee = seat(panel, PanelRole.LEE)
    erased = seat(panel, PanelRole.LEE)
    researcher = seat(panel, PanelRole.RESEARCHER)
    policymaker = seat(panel, PanelRole.POLICYMAKER, is_chair=True)
    a, b, c, d = (proposals[name] for name in "ABCD")
    # A: 85, 55 (LEEs), 60, 60 (a tie) → mean 65, median (60 + 60) / 2 = 60, spread 30.
    scored_review(lee, a, {lived: 5, method: 8, voice: 4})  # (1 + 1.6 + 0.8) / 4 = 85
    scored_review(erased, a, {lived: 3, method: 6, voice: 2})  # (0.6 + 1.2 + 0.4) / 4 = 55
    scored_review(researcher, a, {lived: 3, method: 6})  # (0.6 + 1.2) / 3 = 60
    scored_review(policymaker, a, {lived: 2, method: 7})  # (0.4 + 1.4) / 3 = 60
    # B: 20 (LEE), 100, 86⅔ → mean 68⁸⁄₉, median 86⅔, spread 80, LEE 20 v. others 93⅓.
    scored_review(lee, b, {lived: 1, method: 2, voice: 1})  # (0.2 + 0.4 + 0.2) / 4 = 20
    scored_review(researcher, b, {lived: 5, method: 10})  # (1 + 2) / 3 = 100
    scored_review(policymaker, b, {lived: 4, method: 9})  # (0.8 + 1.8) / 3 = 86⅔
    # C: no LEE review sent (the LEE's draft does not count) → not ranked.
    scored_review(researcher, c, {lived: 4, method: 8})  # (0.8 + 1.6) / 3 = 80
    scored_review(policymaker, c, {lived: 3, method: 4})  # (0.6 + 0.8) / 3 = 46⅔
    draft = Review.objects.create(member=lee, proposal=c, status=ReviewStatus.DRAFT)
    Score.objects.create(review=draft, criterion=lived, value=5)
    # D: one LEE review that scored only the LEE criterion (an empty score beside it) → 60.
    review = scored_review(lee, d, {voice: 3})
    Score.objects.create(review=review, criterion=lived, value=None)
    # Scores on a proposal found ineligible are left out with it.
    scored_review(lee, ineligible, 5)
    PanelMember.objects.filter(pk=erased.pk).update(person=None)
    return Example(call, proposals, lee, researcher, policymaker)
