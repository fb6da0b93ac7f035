"""Reads for engagements and honoraria: what each user may see, rates in force, timeliness and
totals. Every list is one query whatever its length; sums and medians are computed by the
database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DurationField,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncMonth

from coprod.models import Person, User, london_today
from coprod.selectors import count_subquery, visible_to
from recruitment.enums import (
    COUNTED_CLAIM_STATES,
    OPEN_CLAIM_STATES,
    ClaimStatus,
    EngagementStatus,
    PaymentMethod,
)
from recruitment.models import (
    ZERO,
    ClaimEvent,
    Engagement,
    HonorariumClaim,
    PaymentEligibility,
    Rate,
)
from recruitment.selectors.opportunities import applications_personal_data


def engagements_for_user(user: User) -> QuerySet[Engagement]:
    """Engagements a user may see: all of them for staff with the permission; a person their own."""
    return visible_to(
        user,
        Engagement.objects.select_related("person"),
        staff_permission="recruitment.view_engagement",
        owner="person",
    )


def claims_for_user(user: User) -> QuerySet[HonorariumClaim]:
    """Claims a user may see: all of them for staff with the permission; a person their own."""
    return visible_to(
        user,
        HonorariumClaim.objects.select_related("engagement__person"),
        staff_permission="recruitment.view_honorariumclaim",
        owner="engagement__person",
    )


def engagements_of_person(person: Person) -> QuerySet[Engagement]:
    """A person's own engagements, newest first, each with its claim (one query for a page). The
    portal's lists and pages use this, never `engagements_for_user`: a member of staff who
    opens the portal sees their own paid work there, not everyone's."""
    return Engagement.objects.filter(person=person).select_related("claim").order_by("-date", "-pk")


def claimable_engagements(person: Person | Any) -> QuerySet[Engagement]:
    """Completed engagements of `person` (a Person, or OuterRef("pk")) whose claim is not sent
    yet: a draft, or none made."""
    return Engagement.objects.filter(person=person, status=EngagementStatus.COMPLETED).filter(
        Q(claim__isnull=True) | Q(claim__status=ClaimStatus.DRAFT)
    )


def claimable_count() -> count_subquery:
    """For the portal's "Things to do": how many pieces of work the person can claim for."""
    return count_subquery(claimable_engagements(OuterRef("pk")))


def rate_in_force(kind: str, on: date) -> Rate | None:
    """The rate for `kind` that took effect most recently on or before `on`."""
    return (
        Rate.objects.filter(kind=kind, effective_from__lte=on).order_by("-effective_from").first()
    )


def eligibility_for_person(person: Person) -> PaymentEligibility:
    """The person's recorded eligibility, or an unsaved pending one (nothing recorded yet)."""
    found = PaymentEligibility.objects.filter(person=person).first()
    return found or PaymentEligibility(person=person)


# Timeliness ----------------------------------------------------------------------------------


def late_claims(*, today: date | None = None) -> QuerySet[HonorariumClaim]:
    """Claims not yet paid whose pay-by date has passed, latest first, each with `late_by` (a
    timedelta: how long past its pay-by date). A declined payment is never late: nothing is paid."""
    today = today or london_today()
    return (
        HonorariumClaim.objects.filter(status__in=OPEN_CLAIM_STATES, pay_by__lt=today)
        .exclude(method=PaymentMethod.DECLINED)
        .select_related("engagement__person")
        .annotate(
            late_by=ExpressionWrapper(
                Value(today, output_field=DateField()) - F("pay_by"),
                output_field=DurationField(),
            )
        )
        .order_by("pay_by", "pk")
    )


@dataclass(frozen=True)
class MonthToPay:
    month: date
    median_days: Decimal
    claims: int


def median_days_to_pay_by_month(*, since: date | None = None) -> list[MonthToPay]:
    """For each month in which claims were paid (from `since`): the median number of days from
    engagement to payment, and how many claims. One query: the rows are ranked by the database
    (a window), and only the one or two middle rows of each month are averaged there."""
    paid = HonorariumClaim.objects.filter(status=ClaimStatus.PAID, days_to_pay__isnull=False)
    if since is not None:
        paid = paid.filter(paid_on__gte=since)
    ranked = paid.annotate(
        month=TruncMonth("paid_on"),
        position=Window(RowNumber(), partition_by=TruncMonth("paid_on"), order_by="days_to_pay"),
        size=Window(Count("pk"), partition_by=TruncMonth("paid_on")),
    ).values("month", "days_to_pay", "position", "size")
    inner_sql, params = ranked.query.sql_with_params()
    quote = connection.ops.quote_name
    # The middle row (odd count) or the two middle rows (even count), averaged.
    sql = (
        f"SELECT {quote('month')}, AVG({quote('days_to_pay')}), MAX({quote('size')}) "  # noqa: S608
        f"FROM ({inner_sql}) ranked "
        f"WHERE {quote('position')} IN (({quote('size')} + 1) / 2, ({quote('size')} + 2) / 2) "
        f"GROUP BY {quote('month')} ORDER BY {quote('month')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        MonthToPay(_as_date(month), Decimal(str(median)).quantize(Decimal("0.1")), int(size))
        for month, median, size in rows
    ]


def _as_date(value: Any) -> date:
    """A month as the database returns it (a date, a datetime, or text on SQLite)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if hasattr(value, "date"):
        return value.date()
    return value


# A person's total for the year ----------------------------------------------------------------


def tax_year_of(day: date) -> tuple[date, date]:
    """The UK tax year holding `day`: 6 April to 5 April, both inclusive."""
    start_year = day.year if (day.month, day.day) >= (4, 6) else day.year - 1
    return date(start_year, 4, 6), date(start_year + 1, 4, 5)


@dataclass(frozen=True)
class YearTotal:
    starts: date
    ends: date
    fees: Decimal
    threshold: Decimal

    @property
    def over_threshold(self) -> bool:
        return self.fees > self.threshold


def year_total_for_person(person: Person, *, on: date | None = None) -> YearTotal:
    """The fees of a person's claims (not withdrawn) for engagements in the tax year holding `on`,
    against the warning threshold (settings.COPROD_HONORARIA_YEAR_WARNING). Fees only: expenses
    and allowances repay costs and are not earnings. Claims not yet paid count: the warning is
    for a total the person *would* pass. A payment the person declined is never made, so its fee
    does not count. One query."""
    starts, ends = tax_year_of(on or london_today())
    fees = (
        HonorariumClaim.objects.filter(
            engagement__person=person,
            engagement__date__range=(starts, ends),
            status__in=COUNTED_CLAIM_STATES,
        )
        .exclude(method=PaymentMethod.DECLINED)
        .aggregate(total=Coalesce(Sum("fee"), Value(ZERO)))["total"]
    )
    return YearTotal(starts, ends, Decimal(fees), Decimal(settings.COPROD_HONORARIA_YEAR_WARNING))


# Finance -------------------------------------------------------------------------------------


def payments_to_make() -> QuerySet[HonorariumClaim]:
    """Approved claims that pay money, oldest pay-by first, with everything the export needs in
    the one query (the engagement, the person and their eligibility)."""
    return (
        HonorariumClaim.objects.filter(status=ClaimStatus.APPROVED)
        .exclude(method=PaymentMethod.DECLINED)
        .select_related("engagement__person__payment_eligibility")
        .order_by("pay_by", "pk")
    )


# A person's own data (coprod.doors.PersonalData: this app's export) -----------------------------


def _money(amount: Decimal) -> str:
    return f"{amount:.2f}"


def recruitment_personal_data(person: Person) -> dict[str, Any]:
    """Everything this app holds about `person`, restricted fields included (bank details too:
    it is their own download), JSON-ready. Three queries, and three for applications."""
    eligibility = PaymentEligibility.objects.filter(person=person).first()
    engagements = (
        Engagement.objects.filter(person=person).select_related("claim").order_by("date", "pk")
    )
    engagement_list = []
    for engagement in engagements:
        claim = getattr(engagement, "claim", None)
        engagement_list.append(
            {
                "what": engagement.get_kind_display(),
                "title": engagement.title,
                "date": engagement.date.isoformat(),
                "hours": str(engagement.hours),
                "preparation_hours": str(engagement.preparation_hours),
                "online": engagement.online,
                "travel": _money(engagement.travel),
                "childcare": _money(engagement.childcare),
                "interpreter": _money(engagement.interpreter),
                "status": engagement.get_status_display(),
                "claim": None if claim is None else _claim_data(claim),
            }
        )
    events = {}
    for event in (
        ClaimEvent.objects.filter(claim__engagement__person=person)
        .select_related("claim")
        .order_by("at", "pk")
    ):
        events.setdefault(event.claim.reference, []).append(
            {
                "from": event.get_from_status_display(),
                "to": event.get_to_status_display(),
                "at": event.at.isoformat(),
                "note": event.note,
            }
        )
    for item in engagement_list:
        if item["claim"] is not None:
            item["claim"]["history"] = events.get(item["claim"]["reference"], [])
    return {
        "payment": None
        if eligibility is None
        else {
            "eligibility": eligibility.get_status_display(),
            "advice_from": eligibility.advice_source,
            "advice_date": _iso(eligibility.advice_date),
            "review_on": _iso(eligibility.review_on),
            "how_you_want_to_be_paid": eligibility.get_preference_display(),
            "notes_by_staff": eligibility.staff_notes,
            "bank_details": eligibility.bank_details,
            "partner_organisation": eligibility.partner_organisation,
        },
        "engagements": engagement_list,
        # Their applications (with the history of each) and the referrals they made.
        **applications_personal_data(person),
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _claim_data(claim: HonorariumClaim) -> dict[str, Any]:
    return {
        "reference": claim.reference,
        "status": claim.get_status_display(),
        "method": claim.get_method_display(),
        "fee": _money(claim.fee),
        "allowances": _money(claim.allowances),
        "expenses": _money(claim.expenses),
        "expenses_note": claim.expenses_note,
        "pay_by": claim.pay_by.isoformat(),
        "paid_on": _iso(claim.paid_on),
        "payment_reference": claim.payment_reference,
    }
