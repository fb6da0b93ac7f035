"""Recruitment's demo data (`manage.py seed_demo`): rates, and the demo LEE's paid work in each
state a claim can show them (paid, waiting for payment, not claimed yet, not happened yet).
Safe to run again: engagements are found by their source key, and each is only moved forward.
The volume does not grow with the scale: the portal's list is one page of one query however long
it is (tests/recruitment/test_portal.py measures that with more rows)."""

from __future__ import annotations

from datetime import date, timedelta

from coprod.audit import SystemActor
from coprod.demo import STAFF_EMAIL, demo_user
from coprod.doors import DemoRun
from coprod.models import User, london_today
from recruitment.enums import ClaimStatus, Eligibility, EngagementKind, EngagementStatus
from recruitment.models import HonorariumClaim, PaymentEligibility, Rate
from recruitment.services import (
    approve_claim,
    complete_engagement,
    mark_claim_paid,
    record_engagement,
    record_payment_eligibility,
    set_payment_preference,
    set_rate,
    submit_claim,
)

SEEDER = SystemActor("command:seed_demo")
LEE_EMAIL = "lee@example.org"

# Source key, kind, days ago (negative: still to come), hours, title, the claim's state.
DEMO_WORK = [
    ("demo:1", EngagementKind.ADVISORY, 60, "2", "Advisory group", ClaimStatus.PAID),
    ("demo:2", EngagementKind.PANEL, 20, "3", "Funding panel", ClaimStatus.APPROVED),
    ("demo:3", EngagementKind.REVIEW, 10, "2", "Reading proposals", ClaimStatus.SUBMITTED),
    ("demo:4", EngagementKind.MEETING, 3, "1.5", "Project meeting", ClaimStatus.DRAFT),
    ("demo:5", EngagementKind.TRAINING, -7, "2", "Induction", None),
]
ORDER = [ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.APPROVED, ClaimStatus.PAID]


def seed(run: DemoRun) -> None:
    staff = demo_user(STAFF_EMAIL)
    lee = demo_user(LEE_EMAIL)
    if not Rate.objects.exists():
        for kind in EngagementKind:
            set_rate(
                kind,
                by=SEEDER,
                effective_from=date(2020, 1, 1),
                hourly="25",
                daily="150",
                preparation_hourly="20",
                data_allowance="5",
            )
    if not PaymentEligibility.objects.filter(person=lee.person).exists():
        record_payment_eligibility(
            lee.person,
            by=staff,
            status=Eligibility.FULL,
            advice_source="Citizens Advice benefits adviser",
            advice_date=london_today() - timedelta(days=90),
        )
        set_payment_preference(lee.person, by=lee, preference="voucher")
    today = london_today()
    for key, kind, days_ago, hours, title, target in DEMO_WORK:
        engagement = record_engagement(
            lee.person,
            by=SEEDER,
            kind=kind,
            on=today - timedelta(days=days_ago),
            hours=hours,
            source_key=key,
            title=title,
        )
        if target is None:
            continue
        if engagement.status == EngagementStatus.PLANNED:
            engagement = complete_engagement(engagement, by=SEEDER)
        claim = engagement.claim
        _advance(claim, target, staff=staff, lee=lee)


def _advance(claim: HonorariumClaim, target: ClaimStatus, *, staff: User, lee: User) -> None:
    """Move the claim forward to `target`, from wherever an earlier run left it."""
    while ORDER.index(claim.status) < ORDER.index(target):
        if claim.status == ClaimStatus.DRAFT:
            claim = submit_claim(claim, by=lee)
        elif claim.status == ClaimStatus.SUBMITTED:
            claim = approve_claim(claim, by=staff)
        else:
            claim = mark_claim_paid(
                claim, by=staff, paid_on=london_today(), reference=f"DEMO-{claim.pk}"
            )
