"""What an engagement pays: the rate in force on its date, hourly up to the daily rate,
preparation on top, the online allowance; in pounds and pence, never floats."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coprod.enums import StaffGroup
from recruitment.enums import ClaimStatus, EngagementKind
from recruitment.models import Rate, to_pennies
from recruitment.selectors import rate_in_force
from recruitment.services import set_rate, submit_claim
from tests.factories.core import TEST_ACTOR, PersonFactory, make_staff
from tests.factories.recruitment import RateFactory, completed_engagement, eligible

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hours", "preparation", "fee"),
    [
        ("2", "0", "50.00"),  # 2 × £25
        ("6", "0", "150.00"),  # exactly a day
        ("7.5", "0", "150.00"),  # more than a day's worth: the daily rate caps it
        ("7.5", "3", "210.00"),  # preparation is on top, uncapped
        ("1.25", "0.1", "33.25"),  # 31.25 + 2.00
    ],
    ids=["hourly", "a-day", "capped", "capped-plus-preparation", "fractions"],
)
def test_fee_is_hourly_up_to_the_daily_rate_with_preparation_on_top(hours, preparation, fee):
    rate = RateFactory.build(hourly=Decimal("25"), daily=Decimal("150"), preparation_hourly=20)

    amount = rate.fee(hours=Decimal(hours), preparation_hours=Decimal(preparation))

    assert amount == Decimal(fee)
    assert amount.as_tuple().exponent == -2


def test_half_pennies_round_up_to_the_persons_advantage():
    rate = RateFactory.build(hourly=Decimal("22.50"), daily=Decimal("500"), preparation_hourly=0)

    assert rate.fee(hours=Decimal("1.25"), preparation_hours=Decimal("0")) == Decimal("28.13")
    assert to_pennies(Decimal("0.005")) == Decimal("0.01")


def test_money_is_computed_in_decimal_not_floats():
    """2.05 × £10.50 is £21.525 exactly, so £21.53; in floats it is 21.52499…, so £21.52."""
    rate = RateFactory.build(hourly=Decimal("10.50"), daily=Decimal("500"), preparation_hourly=0)

    assert rate.fee(hours=Decimal("2.05"), preparation_hours=Decimal("0")) == Decimal("21.53")


def test_the_rate_in_force_is_the_latest_that_took_effect_by_the_date():
    set_rate(
        EngagementKind.PANEL, by=TEST_ACTOR, effective_from=date(2025, 4, 1), hourly=20, daily=100
    )
    set_rate(
        EngagementKind.PANEL, by=TEST_ACTOR, effective_from=date(2025, 10, 1), hourly=30, daily=150
    )
    set_rate(
        EngagementKind.MEETING, by=TEST_ACTOR, effective_from=date(2025, 9, 1), hourly=99, daily=99
    )

    before = rate_in_force(EngagementKind.PANEL, date(2025, 3, 31))
    old = rate_in_force(EngagementKind.PANEL, date(2025, 9, 30))
    new = rate_in_force(EngagementKind.PANEL, date(2025, 10, 1))

    assert before is None
    assert (old.hourly, new.hourly) == (Decimal("20.00"), Decimal("30.00"))


def test_a_claim_is_paid_at_the_rate_in_force_on_its_engagements_date_after_a_mid_year_change():
    set_rate(
        EngagementKind.PANEL, by=TEST_ACTOR, effective_from=date(2025, 4, 1), hourly=20, daily=100
    )
    set_rate(
        EngagementKind.PANEL, by=TEST_ACTOR, effective_from=date(2025, 10, 1), hourly=30, daily=150
    )
    person = PersonFactory()
    eligible(person)
    summer = completed_engagement(person, kind=EngagementKind.PANEL, on=date(2025, 9, 30), hours=2)
    autumn = completed_engagement(person, kind=EngagementKind.PANEL, on=date(2025, 10, 1), hours=2)

    summer_claim = submit_claim(summer.claim, by=TEST_ACTOR)
    autumn_claim = submit_claim(autumn.claim, by=TEST_ACTOR)

    assert (summer_claim.fee, autumn_claim.fee) == (Decimal("40.00"), Decimal("60.00"))


def test_a_claim_keeps_its_amounts_when_the_rate_changes_after_submission():
    set_rate(
        EngagementKind.REVIEW, by=TEST_ACTOR, effective_from=date(2020, 1, 1), hourly=20, daily=100
    )
    person = PersonFactory()
    eligible(person)
    claim = submit_claim(
        completed_engagement(person, kind=EngagementKind.REVIEW).claim, by=TEST_ACTOR
    )

    set_rate(
        EngagementKind.REVIEW, by=TEST_ACTOR, effective_from=date(2020, 1, 1), hourly=90, daily=900
    )

    claim.refresh_from_db()
    assert (claim.status, claim.fee) == (ClaimStatus.SUBMITTED, Decimal("40.00"))
    assert Rate.objects.get(kind=EngagementKind.REVIEW).hourly == Decimal("90.00")


def test_allowances_are_the_engagements_costs_plus_the_online_data_allowance():
    set_rate(
        EngagementKind.MEETING,
        by=TEST_ACTOR,
        effective_from=date(2020, 1, 1),
        hourly=25,
        daily=150,
        data_allowance="5",
    )
    person = PersonFactory()
    eligible(person)
    engagement = completed_engagement(
        person, online=True, travel="12.40", childcare="30", interpreter="0"
    )

    claim = submit_claim(engagement.claim, by=TEST_ACTOR, expenses="3.333")

    assert (claim.fee, claim.allowances, claim.expenses) == (
        Decimal("50.00"),
        Decimal("47.40"),
        Decimal("3.33"),
    )
    assert claim.total == Decimal("100.73")


def test_submitting_without_a_rate_says_what_is_missing():
    person = PersonFactory()
    eligible(person)
    claim = completed_engagement(person, kind=EngagementKind.TRAINING, on=date(2025, 5, 3)).claim

    with pytest.raises(ValidationError, match="No rate is set for training on 2025-05-03"):
        submit_claim(claim, by=TEST_ACTOR)

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DRAFT


@pytest.mark.parametrize(
    ("amounts", "message"),
    [
        ({"hourly": -1, "daily": 10}, "The hourly rate cannot be less than zero."),
        ({"hourly": 50, "daily": 40}, "The daily rate cannot be less than the hourly rate."),
        ({"hourly": "ten", "daily": 40}, "The hourly rate must be a number."),
    ],
    ids=["negative", "daily-below-hourly", "not-a-number"],
)
def test_a_bad_rate_is_refused_and_nothing_saved(amounts, message):
    with pytest.raises(ValidationError) as error:
        set_rate(
            EngagementKind.PANEL,
            by=make_staff(StaffGroup.FINANCE),
            effective_from=date(2025, 1, 1),
            **amounts,
        )

    assert error.value.messages == [message]
    assert Rate.objects.exists() is False
