"""Reads: who sees which engagements and claims; what is late and by how much; the median
time to pay per month; a person's total for the tax year against the warning threshold."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from coprod.enums import Role, StaffGroup
from coprod.models import london_today
from recruitment.enums import ClaimStatus, PaymentMethod
from recruitment.selectors import (
    MonthToPay,
    claims_for_user,
    engagements_for_user,
    late_claims,
    median_days_to_pay_by_month,
    tax_year_of,
    year_total_for_person,
)
from tests.factories.core import PersonFactory, make_staff, make_user
from tests.factories.recruitment import EngagementFactory, HonorariumClaimFactory

pytestmark = pytest.mark.django_db


# Who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("visitor", "sees"),
    [
        ("owner", {"mine"}),
        ("other_person", set()),
        ("engagement_team", {"mine", "theirs"}),
        ("finance", {"mine", "theirs"}),
        ("funding_staff", set()),
    ],
)
def test_a_person_sees_their_own_claims_and_staff_with_the_permission_see_all(visitor, sees):
    owner = make_user(roles=[Role.LEE])
    users = {
        "owner": owner,
        "other_person": make_user(roles=[Role.PWLE]),
        "engagement_team": make_staff(StaffGroup.ENGAGEMENT),
        "finance": make_staff(StaffGroup.FINANCE),
        "funding_staff": make_staff(StaffGroup.FUNDING),
    }
    mine = HonorariumClaimFactory(engagement__person=owner.person)
    theirs = HonorariumClaimFactory()
    names = {mine.pk: "mine", theirs.pk: "theirs"}

    claims = {names[claim.pk] for claim in claims_for_user(users[visitor])}
    engagements = {
        names[engagement.claim.pk] for engagement in engagements_for_user(users[visitor])
    }

    assert claims == sees
    assert engagements == sees


# Late claims --------------------------------------------------------------------------------


def test_late_claims_are_the_unpaid_ones_past_their_pay_by_date_with_how_late():
    today = date(2025, 6, 30)
    late = HonorariumClaimFactory(status=ClaimStatus.APPROVED, pay_by=date(2025, 6, 20))
    later = HonorariumClaimFactory(status=ClaimStatus.SUBMITTED, pay_by=date(2025, 6, 1))
    HonorariumClaimFactory(status=ClaimStatus.APPROVED, pay_by=today)  # due today: not late
    HonorariumClaimFactory(
        status=ClaimStatus.PAID, pay_by=date(2025, 6, 1), paid_on=date(2025, 6, 2)
    )
    HonorariumClaimFactory(status=ClaimStatus.WITHDRAWN, pay_by=date(2025, 6, 1))
    HonorariumClaimFactory(
        status=ClaimStatus.APPROVED, pay_by=date(2025, 6, 1), method=PaymentMethod.DECLINED
    )

    found = [(claim.pk, claim.late_by) for claim in late_claims(today=today)]

    assert found == [(later.pk, timedelta(days=29)), (late.pk, timedelta(days=10))]


@pytest.mark.parametrize("count", [1, 5])
def test_late_claims_is_one_query_whatever_their_number(django_assert_num_queries, count):
    for _ in range(count):
        HonorariumClaimFactory(status=ClaimStatus.APPROVED, pay_by=date(2025, 1, 1))

    with django_assert_num_queries(1):
        people = [claim.engagement.person.display_name for claim in late_claims()]

    assert len(people) == count


# Median days to pay -------------------------------------------------------------------------


def paid(days: int, paid_on: date):
    engagement = EngagementFactory(date=paid_on - timedelta(days=days), status="completed")
    return HonorariumClaimFactory(
        engagement=engagement, status=ClaimStatus.PAID, paid_on=paid_on, days_to_pay=days
    )


def test_median_days_to_pay_per_month_odd_and_even_counts():
    for days in (3, 30, 9):
        paid(days, date(2025, 5, 20))
    for days in (4, 10, 20, 6):
        paid(days, date(2025, 6, 3))
    HonorariumClaimFactory(status=ClaimStatus.APPROVED)  # not paid: not counted

    months = median_days_to_pay_by_month()

    assert months == [
        MonthToPay(date(2025, 5, 1), Decimal("9.0"), 3),
        MonthToPay(date(2025, 6, 1), Decimal("8.0"), 4),
    ]


def test_median_days_to_pay_from_a_month():
    paid(5, date(2025, 5, 31))
    paid(7, date(2025, 6, 1))

    assert median_days_to_pay_by_month(since=date(2025, 6, 1)) == [
        MonthToPay(date(2025, 6, 1), Decimal("7.0"), 1)
    ]


@pytest.mark.parametrize("per_month", [1, 6])
def test_the_median_is_computed_in_one_query(django_assert_num_queries, per_month):
    for n in range(per_month):
        paid(n + 1, date(2025, 5, 10))
        paid(n + 2, date(2025, 7, 10))

    with django_assert_num_queries(1):
        months = median_days_to_pay_by_month()

    assert [month.claims for month in months] == [per_month, per_month]


# A person's total for the year ---------------------------------------------------------------


def test_tax_year_runs_from_the_sixth_of_april():
    assert tax_year_of(date(2025, 4, 5)) == (date(2024, 4, 6), date(2025, 4, 5))
    assert tax_year_of(date(2025, 4, 6)) == (date(2025, 4, 6), date(2026, 4, 5))


def claim_for(person, on: date, fee: str, status=ClaimStatus.SUBMITTED, expenses="0"):
    return HonorariumClaimFactory(
        engagement__person=person,
        engagement__date=on,
        fee=Decimal(fee),
        expenses=Decimal(expenses),
        status=status,
        paid_on=on if status == ClaimStatus.PAID else None,
    )


def test_the_years_total_counts_fees_of_claims_not_withdrawn_in_the_tax_year(settings):
    settings.COPROD_HONORARIA_YEAR_WARNING = 1000
    person = PersonFactory()
    claim_for(person, date(2025, 4, 6), "600", ClaimStatus.PAID, expenses="80")
    claim_for(person, date(2026, 4, 5), "400.01", ClaimStatus.DRAFT)
    claim_for(person, date(2025, 6, 1), "999", ClaimStatus.WITHDRAWN)
    claim_for(person, date(2025, 4, 5), "999", ClaimStatus.PAID)  # the year before
    claim_for(PersonFactory(), date(2025, 6, 1), "999")  # someone else

    total = year_total_for_person(person, on=date(2025, 12, 1))

    assert (total.starts, total.ends) == (date(2025, 4, 6), date(2026, 4, 5))
    assert total.fees == Decimal("1000.01")
    assert total.over_threshold is True


def test_the_warning_threshold_is_a_setting(settings):
    person = PersonFactory()
    claim_for(person, london_today(), "300")

    settings.COPROD_HONORARIA_YEAR_WARNING = 300
    at_threshold = year_total_for_person(person)
    settings.COPROD_HONORARIA_YEAR_WARNING = 299
    over = year_total_for_person(person)

    assert (at_threshold.over_threshold, over.over_threshold) == (False, True)
    assert year_total_for_person(PersonFactory()).fees == Decimal("0")
