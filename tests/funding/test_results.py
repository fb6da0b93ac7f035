"""The results of a call, computed by the database: the same hand-computed example on SQLite and
on PostgreSQL (CI runs this module on both)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from coprod.enums import StaffGroup
from funding.enums import PanelRole
from funding.models import Review, Score
from funding.selectors.results import results_calls_for_user, results_of
from tests.factories.core import make_staff
from tests.factories.funding import (
    PanelFactory,
    ProposalFactory,
    make_funding_staff,
    scored_review,
    seat,
)
from tests.funding.results_example import build_example

pytestmark = pytest.mark.django_db


def rows(call):
    return {row.title: row for row in results_of(call)}


def test_results_match_the_hand_computed_example():
    call = build_example().call

    found = rows(call)

    assert sorted(found) == ["A", "B", "C", "D"]
    a, b, c, d = (found[name] for name in "ABCD")
    assert (a.mean, a.median, a.spread) == pytest.approx((65, 60, 30))
    assert (b.mean, b.median, b.spread) == pytest.approx((620 / 9, 260 / 3, 80))
    assert (c.mean, c.median, c.spread) == pytest.approx((190 / 3, 190 / 3, 100 / 3))
    assert (d.mean, d.median, d.spread) == pytest.approx((60, 60, 0))


def test_results_count_and_average_by_seat_erased_members_included():
    call = build_example().call

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
    call = build_example().call

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
    call = build_example().call
    call.panel.lee_flag_threshold = Decimal("9.5")
    call.panel.disagreement_threshold = Decimal("29.99")
    call.panel.save()

    found = rows(call)

    assert (found["A"].lee_flag, found["A"].disagreement_flag) == (True, True)


def test_results_rank_by_mean_only_with_an_lee_review_with_a_running_total():
    call = build_example().call

    ordered = [(row.title, row.ranked, row.rank, row.running_total) for row in results_of(call)]

    assert ordered == [
        ("B", True, 1, Decimal("50000")),
        ("A", True, 2, Decimal("80000")),
        ("D", True, 3, Decimal("90000")),
        ("C", False, 1, Decimal("20000")),
    ]


def test_median_leaves_out_a_sent_review_without_a_score():
    panel = PanelFactory()
    proposal = ProposalFactory(call=panel.call)
    scored_review(seat(panel, PanelRole.LEE), proposal, 2)  # 40
    scored_review(seat(panel, PanelRole.RESEARCHER), proposal, 4)  # 80
    scored_review(seat(panel, PanelRole.POLICYMAKER), proposal, {})  # sent, nothing scored

    row = results_of(panel.call).get(pk=proposal.pk)

    assert (row.mean, row.median, row.spread) == pytest.approx((60, 60, 40))


def test_only_funding_staff_get_calls_with_results_from_the_selector():
    call = build_example().call
    chair = call.panel.members.get(is_chair=True).person.user

    found = {
        "funding staff": list(results_calls_for_user(make_funding_staff())),
        "other staff": list(results_calls_for_user(make_staff(StaffGroup.ENGAGEMENT))),
        "chair": list(results_calls_for_user(chair)),
    }

    assert found == {"funding staff": [call], "other staff": [], "chair": []}


def test_a_stray_score_on_an_lee_only_criterion_does_not_count_in_another_seat_s_review():
    example = build_example()
    voice = example.call.criteria.get(name="Voice")
    review = Review.objects.get(member=example.researcher, proposal=example.proposals["A"])
    # Written around the scoring service, which offers LEE-only criteria to LEE seats alone.
    Score.objects.create(review=review, criterion=voice, value=1)

    a = rows(example.call)["A"]

    assert (a.researcher_mean, a.mean) == pytest.approx((60, 65))
