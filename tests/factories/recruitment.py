"""Factories for recruitment's models, and helpers that set up engagements and claims through the
services (their side effects — claim creation, events — are part of what tests rely on)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from uuid import uuid4

import factory
from django.utils import timezone

from coprod.enums import StaffGroup
from coprod.models import Person, User, london_today
from recruitment.enums import (
    ApplicationRoute,
    ApplicationStatus,
    ClaimStatus,
    Eligibility,
    EngagementKind,
    EngagementStatus,
    OpportunityStatus,
    PayBasis,
    PaymentMethod,
    RoleSought,
    WorkMode,
)
from recruitment.models import (
    Application,
    Engagement,
    HonorariumClaim,
    Opportunity,
    PaymentEligibility,
    Rate,
    SelectionCriterion,
    TrainingModule,
)
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
from recruitment.services.applications import move_application
from tests.factories.core import TEST_ACTOR, PersonFactory, make_staff

BANK = {"account_name": "A Person", "sort_code": "30-94-57", "account_number": "12345678"}


class EngagementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Engagement

    person = factory.SubFactory(PersonFactory)
    kind = EngagementKind.MEETING
    source_key = factory.Sequence(lambda n: f"test:{n}")
    date = factory.LazyFunction(lambda: london_today() - timedelta(days=3))
    hours = Decimal("2.00")
    status = EngagementStatus.PLANNED


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    kind = EngagementKind.MEETING
    effective_from = date(2000, 1, 1)
    hourly = Decimal("25.00")
    daily = Decimal("150.00")
    preparation_hourly = Decimal("20.00")
    data_allowance = Decimal("5.00")


class PaymentEligibilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaymentEligibility

    person = factory.SubFactory(PersonFactory)
    status = Eligibility.FULL
    advice_source = "Citizens Advice"
    advice_date = date(2024, 1, 1)


class HonorariumClaimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HonorariumClaim

    reference = factory.Sequence(lambda n: f"HCT{n:07d}")
    engagement = factory.SubFactory(EngagementFactory, status=EngagementStatus.COMPLETED)
    status = ClaimStatus.DRAFT
    method = PaymentMethod.BANK_TRANSFER
    pay_by = factory.LazyAttribute(lambda claim: claim.engagement.date + timedelta(days=14))


def standard_rates(on: date = date(2000, 1, 1)) -> None:
    """£25 an hour, £150 a day, preparation £20 an hour, £5 data allowance, for every kind."""
    for kind in EngagementKind:
        set_rate(
            kind,
            by=TEST_ACTOR,
            effective_from=on,
            hourly="25",
            daily="150",
            preparation_hourly="20",
            data_allowance="5",
        )


def eligible(
    person: Person,
    status: Eligibility = Eligibility.FULL,
    preference: PaymentMethod = PaymentMethod.BANK_TRANSFER,
    *,
    staff: User | None = None,
) -> PaymentEligibility:
    """Record `status` for `person` (by engagement staff) and their preference (by finance)."""
    record_payment_eligibility(
        person,
        by=staff or make_staff(StaffGroup.ENGAGEMENT),
        status=status,
        advice_source="Citizens Advice",
        advice_date=date(2024, 1, 1),
    )
    return set_payment_preference(
        person,
        by=make_staff(StaffGroup.FINANCE),
        preference=preference,
        bank_details=BANK if preference == PaymentMethod.BANK_TRANSFER else None,
        partner_organisation="Helping Hands" if preference == PaymentMethod.PARTNER else None,
    )


def completed_engagement(person: Person | None = None, **fields: object) -> Engagement:
    """An engagement recorded and completed through the services (which makes its claim)."""
    fields.setdefault("kind", EngagementKind.MEETING)
    fields.setdefault("on", london_today() - timedelta(days=3))
    fields.setdefault("hours", "2")
    fields.setdefault("source_key", f"test:{uuid4()}")
    engagement = record_engagement(person or PersonFactory(), by=TEST_ACTOR, **fields)
    return complete_engagement(engagement, by=TEST_ACTOR)


def claim_in(
    status: ClaimStatus, person: Person | None = None, **fields: object
) -> HonorariumClaim:
    """A claim brought to `status` through the services (rates and eligibility set up if not)."""
    if not Rate.objects.exists():
        standard_rates()
    person = person or PersonFactory()
    if not PaymentEligibility.objects.filter(person=person).exists():
        eligible(person)
    claim = completed_engagement(person, **fields).claim
    if status == ClaimStatus.DRAFT:
        return claim
    claim = submit_claim(claim, by=TEST_ACTOR)
    if status == ClaimStatus.SUBMITTED:
        return claim
    claim = approve_claim(claim, by=make_staff(StaffGroup.ENGAGEMENT))
    if status == ClaimStatus.APPROVED:
        return claim
    assert status == ClaimStatus.PAID
    return mark_claim_paid(
        claim, by=make_staff(StaffGroup.FINANCE), paid_on=london_today(), reference="BACS1"
    )


# Opportunities and applications ---------------------------------------------------------------


class OpportunityFactory(factory.django.DjangoModelFactory):
    """An open opportunity for PWLE, closing in two weeks."""

    class Meta:
        model = Opportunity

    title = factory.Sequence(lambda n: f"Advisory group {n}")
    summary = "Help us plan our research. Plain words, no jargon."
    role_sought = RoleSought.PWLE
    involves = "Three online meetings of two hours."
    time_commitment = "3 meetings of 2 hours"
    pay_rate = Decimal("25.00")
    pay_basis = PayBasis.HOUR
    mode = WorkMode.REMOTE
    access_support = "Data costs paid. Breaks whenever you need."
    lived_experience_sought = "People who have used support services, in any way."
    closes_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    status = OpportunityStatus.OPEN


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A draft application (move it on with the services: its events matter)."""

    class Meta:
        model = Application

    opportunity = factory.SubFactory(OpportunityFactory)
    person = factory.SubFactory(PersonFactory)
    number = factory.Sequence(lambda n: n + 1)
    why_interested = "I want things to change."
    what_they_bring = "I know how the support system works."
    support_needs = ""
    safe_contact = "Text me on weekday mornings."


# The steps that bring a draft to each status (recruitment.enums.APPLICATION_TRANSITIONS).
_STEPS_TO = {
    ApplicationStatus.DRAFT: [],
    ApplicationStatus.SUBMITTED: [ApplicationStatus.SUBMITTED],
    ApplicationStatus.SHORTLISTED: [ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED],
    ApplicationStatus.OFFERED: [
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.OFFERED,
    ],
    ApplicationStatus.ACCEPTED: [
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.OFFERED,
        ApplicationStatus.ACCEPTED,
    ],
    ApplicationStatus.UNSUCCESSFUL: [ApplicationStatus.SUBMITTED, ApplicationStatus.UNSUCCESSFUL],
    ApplicationStatus.WITHDRAWN: [ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN],
}


def application_in(
    status: ApplicationStatus,
    *,
    staff: User | None = None,
    feedback: str | None = None,
    **fields: object,
) -> Application:
    """An application (a factory draft) moved to `status` through `move_application`, each
    selection step by a member of engagement staff (`staff`), so its events are real."""
    application = ApplicationFactory(**fields)
    staff = staff or make_staff(StaffGroup.ENGAGEMENT)
    for step in _STEPS_TO[status]:
        by = TEST_ACTOR if step == ApplicationStatus.SUBMITTED else staff
        move_application(application, step, by=by, feedback=feedback)
    return application


class SelectionCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelectionCriterion

    opportunity = factory.SubFactory(OpportunityFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    max_score = 4


class SentApplicationFactory(ApplicationFactory):
    """A sent application (numbered in its opportunity), made directly: selection starts from a
    sent application."""

    number = factory.LazyAttribute(
        lambda application: (
            Application.objects.filter(opportunity=application.opportunity).count() + 1
        )
    )
    status = ApplicationStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)


def referral(opportunity: Opportunity, practitioner: Person, **fields: object) -> Application:
    """A sent application made by `practitioner` on someone's behalf, with their consent."""
    return SentApplicationFactory(
        opportunity=opportunity,
        route=ApplicationRoute.REFERRAL,
        referred_by=practitioner,
        consent_confirmed_at=timezone.now(),
        **fields,
    )


class TrainingModuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrainingModule

    name = factory.Sequence(lambda n: f"Module {n}")
