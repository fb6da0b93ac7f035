"""The results of a call, computed by the database: the same hand-computed example on SQLite and
on PostgreSQL (CI runs this module on both)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from funding.enums import Eligibility, PanelRole, ProposalStatus, ReviewStatus, ScoredBy
from funding.models import PanelMember, Review, Score
from funding.selectors.results import results_of
from tests.factories.funding import (
    CriterionFactory,
    PanelFactory,
    ProposalFactory,
    scored_review,
    seat,
)

pytestmark = pytest.mark.django_db


def build_example():
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
    return call


def rows(call):
    return {row.title: row for row in results_of(call)}


def test_results_match_the_hand_computed_example():
    call = build_example()

    found = rows(call)

    assert sorted(found) == ["A", "B", "C", "D"]
    a, b, c, d = (found[name] for name in "ABCD")
    assert (a.mean, a.median, a.spread) == pytest.approx((65, 60, 30))
    assert (b.mean, b.median, b.spread) == pytest.approx((620 / 9, 260 / 3, 80))
    assert (c.mean, c.median, c.spread) == pytest.approx((190 / 3, 190 / 3, 100 / 3))
    assert (d.mean, d.median, d.spread) == pytest.approx((60, 60, 0))


def test_results_count_and_average_by_seat_erased_members_included():
    call = build_example()

    found = rows(call)

    a, b, c, d = (found[name] for name in "ABCD")
    counts = [
        (row.review_count, row.lee_reviews, row.researcher_reviews, row.policymaker_reviews)
        for row in (a, b, c, d)
    ]
    assert counts == [(4, 2, 1, 1), (3, 1, 1, 1), (2, 0, 1, 1), (1, 1, 0, 0)]
    assert (a.lee_mean, a.researcher_mean, a.policymaker_mean, a.others_mean) == pytest.approx(
        (70, 60, 60, 60)
    )
    assert (b.lee_mean, b.others_mean) == pytest.approx((20, 280 / 3))
    assert (c.lee_mean, c.researcher_mean, c.policymaker_mean) == (
        None,
        pytest.approx(80),
        pytest.approx(140 / 3),
    )
    assert (d.lee_mean, d.others_mean) == (pytest.approx(60), None)


def test_results_flag_lee_difference_and_disagreement_above_the_thresholds_only():
    call = build_example()

    found = rows(call)

    flags = {name: (row.lee_flag, row.disagreement_flag) for name, row in found.items()}
    # A: LEE 70 v. 60 (10 ≤ 15) and a spread of exactly 30 (not more than 30): no flag.
    # C has no LEE review and D no other review: no LEE flag without both.
    assert flags == {
        "A": (False, False),
        "B": (True, True),
        "C": (False, True),
        "D": (False, False),
    }


def test_results_flags_follow_the_panels_thresholds():
    call = build_example()
    call.panel.lee_flag_threshold = Decimal("9.5")
    call.panel.disagreement_threshold = Decimal("29.99")
    call.panel.save()

    found = rows(call)

    assert (found["A"].lee_flag, found["A"].disagreement_flag) == (True, True)


def test_results_rank_by_mean_only_with_an_lee_review_with_a_running_total():
    call = build_example()

    ordered = [(row.title, row.ranked, row.rank, row.running_total) for row in results_of(call)]

    assert ordered == [
        ("B", True, 1, Decimal("50000")),
        ("A", True, 2, Decimal("80000")),
        ("D", True, 3, Decimal("90000")),
        ("C", False, 1, Decimal("20000")),
    ]
