"""Self-assessment results: averages, results by role only for roles with at least three
respondents (and none when the ones left out could be worked out by subtraction), results only
for closed rounds, the trend, comments, and the "Things to do" count."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coprod.models import Person
from partnerships.enums import PartnershipRole, RoundStatus
from partnerships.models import AssessmentRound
from partnerships.selectors.assessment import (
    partnership_results,
    results_for,
    round_comments,
    rounds_to_answer_count,
    trend_of,
)
from partnerships.services.assessment import answer_round, close_round
from tests.factories.partnerships import AssessmentRoundFactory, PartnershipFactory, add_member
from tests.partnerships.assessment import VALUES, answered_by, ratings

pytestmark = pytest.mark.django_db

LEE, RESEARCHER, PRACTITIONER = (
    PartnershipRole.LEE,
    PartnershipRole.RESEARCHER,
    PartnershipRole.PRACTITIONER,
)


def d(*numbers: str) -> list[Decimal]:
    return [Decimal(number) for number in numbers]


def closed(round_: AssessmentRound) -> AssessmentRound:
    return close_round(round_, by=round_.partnership.lead)


def mixed_round(partnership=None, **fields) -> AssessmentRound:
    """3 LEEs, 2 researchers and a practitioner answered; the round is closed."""
    round_ = AssessmentRoundFactory(
        **({"partnership": partnership} if partnership else {}), **fields
    )
    answered_by(round_, LEE, 5, 4, 3, 2, 1)
    answered_by(round_, LEE, 4, 4, 4, 4, 4)
    answered_by(round_, LEE, 3, 5, 2, 2, 1)
    answered_by(round_, RESEARCHER, 2, 2, 2, 2, 2)
    answered_by(round_, RESEARCHER, 1, 3, 5, 4, 2)
    answered_by(round_, PRACTITIONER, 3, 3, 3, 3, 3)
    return closed(round_)


def test_results_hand_computed_for_mixed_roles():
    round_ = mixed_round()

    [result] = results_for([round_])

    assert result.respondents == 6
    # Everyone: value_people 18/6, networks 21/6, what_matters 19/6, trust 17/6, change 13/6.
    assert result.averages == d("3.0", "3.5", "3.2", "2.8", "2.2")
    # LEEs (3): 12/3, 13/3, 9/3, 8/3, 6/3. Researchers (2) and the practitioner (1) are left
    # out: 3 people together, so their joint average may be worked out, but no single one's.
    assert [(line.role, line.respondents, line.averages) for line in result.by_role] == [
        (LEE, 3, d("4.0", "4.3", "3.0", "2.7", "2.0"))
    ]
    assert (result.roles_left_out, result.by_role_withheld) == (True, False)


def test_a_role_with_two_respondents_is_hidden_and_with_three_shown():
    two = AssessmentRoundFactory()
    for _ in range(2):
        answered_by(two, RESEARCHER, 4)
    for _ in range(3):
        answered_by(two, LEE, 2)
    answered_by(two, PRACTITIONER, 3)
    answered_by(two, PartnershipRole.POLICYMAKER, 3)
    three = AssessmentRoundFactory()
    for _ in range(3):
        answered_by(three, RESEARCHER, 4)
    for _ in range(3):
        answered_by(three, LEE, 2)

    two_result, three_result = results_for([closed(two), closed(three)])

    assert [line.role for line in two_result.by_role] == [LEE]
    assert [line.role for line in three_result.by_role] == [LEE, RESEARCHER]
    assert three_result.by_role[1].averages == d("4.0", "4.0", "4.0", "4.0", "4.0")


@pytest.mark.parametrize("left_out", [1, 2])
def test_no_role_shown_when_the_ones_left_out_could_be_worked_out_by_subtraction(left_out):
    round_ = AssessmentRoundFactory()
    for _ in range(3):
        answered_by(round_, LEE, 5)
    for _ in range(left_out):
        answered_by(round_, RESEARCHER, 1)

    [result] = results_for([closed(round_)])

    assert result.by_role == []
    assert result.by_role_withheld is True
    assert result.averages[0] == (Decimal(15 + left_out) / (3 + left_out)).quantize(Decimal("0.1"))


def test_an_open_round_shows_only_how_many_answered():
    round_ = AssessmentRoundFactory()
    for _ in range(4):
        answered_by(round_, LEE, 4)

    [result] = results_for([round_])

    assert (result.respondents, result.shown, result.averages, result.by_role) == (
        4,
        False,
        [None] * 5,
        [],
    )


def test_a_closed_round_with_fewer_than_three_answers_shows_nothing():
    round_ = AssessmentRoundFactory()
    for _ in range(2):
        answered_by(round_, LEE, 4, comments={"networks": "Only two of us"})

    [result] = results_for([closed(round_)])

    assert (result.respondents, result.shown, result.averages) == (2, False, [None] * 5)
    assert round_comments(result) == []


def test_comments_are_grouped_by_value_without_role_in_a_random_stable_order():
    round_ = AssessmentRoundFactory()
    sent = [f"Comment {n}" for n in range(12)]
    for text in sent:
        answered_by(round_, LEE, 3, comments={"trust_power": text})
    answered_by(round_, RESEARCHER, 3, comments={"networks": "More partners"})
    result = results_for([closed(round_)])[0]

    comments = round_comments(result)

    assert [label for label, _texts in comments] == [
        "Build networks across silos",
        "Build trust and share power",
    ]
    assert comments[0][1] == ["More partners"]
    shown = comments[1][1]
    assert sorted(shown) == sorted(sent)
    assert shown != sent  # not the order they were sent in (1 in 12! to fail by chance)
    assert round_comments(result) == comments


def test_one_persons_comments_do_not_sit_at_the_same_place_under_each_value():
    # Listed in one order for every value, the comments at the same place would be one
    # person's: their comments could be read together (and recognised) as theirs.
    round_ = AssessmentRoundFactory()
    for n in range(12):
        answered_by(round_, LEE, 3, comments={value: f"{value} {n}" for value in VALUES})
    result = results_for([closed(round_)])[0]

    comments = round_comments(result)

    orders = [tuple(text.split()[1] for text in texts) for _label, texts in comments]
    assert len(orders) == 5
    assert len(set(orders)) == 5  # each value in its own order (1 in 12! to fail by chance)


def test_partnership_results_use_two_queries_whatever_the_rounds(django_assert_num_queries):
    partnership = PartnershipFactory()
    for n in range(3):
        mixed_round(partnership, title=f"Round {n}", opened_on=timezone.localdate() - timedelta(n))

    with django_assert_num_queries(2):
        results = partnership_results(partnership)

    assert [result.respondents for result in results] == [6, 6, 6]


def test_trend_has_one_point_per_shown_round_and_value_matching_the_table():
    partnership = PartnershipFactory()
    today = timezone.localdate()
    first = AssessmentRoundFactory(partnership=partnership, opened_on=today - timedelta(180))
    for _ in range(3):
        answered_by(first, LEE, 2)
    closed(first)
    second = AssessmentRoundFactory(partnership=partnership, opened_on=today, title="Second")
    for numbers in [(4, 3, 2, 5, 1), (4, 3, 2, 5, 1), (5, 3, 2, 5, 1)]:
        answered_by(second, LEE, *numbers)
    closed(second)
    AssessmentRoundFactory(partnership=partnership, opened_on=today, title="Open")

    trend = trend_of(partnership_results(partnership))

    assert [result.round.title for result in trend.rounds] == [first.title, "Second"]
    assert trend.table[1] == ("Second", d("4.3", "3.0", "2.0", "5.0", "1.0"))
    assert [[point.average for point in line.points] for line in trend.lines] == [
        list(column) for column in zip(*[averages for _title, averages in trend.table], strict=True)
    ]
    # Higher averages sit higher on the chart (smaller y).
    value_people = trend.lines[0].points
    assert value_people[1].y < value_people[0].y


# Things to do -------------------------------------------------------------------------------------


def waiting(person) -> int:
    return Person.objects.filter(pk=person.pk).annotate(n=rounds_to_answer_count()).get().n


def test_things_to_do_counts_open_rounds_not_yet_answered():
    member = add_member(PartnershipFactory())
    open_round = AssessmentRoundFactory(partnership=member.partnership)
    other = add_member(PartnershipFactory(), member.person)
    AssessmentRoundFactory(partnership=other.partnership)
    AssessmentRoundFactory(partnership=PartnershipFactory())  # not theirs
    AssessmentRoundFactory(partnership=member.partnership, status=RoundStatus.CLOSED)

    before = waiting(member.person)
    answer_round(open_round, person=member.person, ratings=ratings(3))

    assert (before, waiting(member.person)) == (2, 1)


def test_things_to_do_leaves_out_rounds_past_closing_and_former_members():
    today = timezone.localdate()
    member = add_member(PartnershipFactory())
    AssessmentRoundFactory(partnership=member.partnership, closes_on=today - timedelta(days=1))
    former = add_member(
        PartnershipFactory(),
        member.person,
        joined_on=today - timedelta(9),
        left_on=today - timedelta(1),
    )
    AssessmentRoundFactory(partnership=former.partnership)

    assert waiting(member.person) == 0
