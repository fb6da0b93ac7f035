"""Recruitment's demo data: at scale 1 what a newcomer needs to try every step; at a scale, about
a hundred times the engagements per unit, in bulk, keeping the services' invariants; safe to run
again; and the claims pages keep their query counts at that size."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Max, OuterRef, Subquery
from django.urls import reverse

from coprod.enums import Role
from coprod.models import Notification, User, london_today
from recruitment import demo
from recruitment.enums import (
    ApplicationRoute,
    ApplicationStatus,
    ClaimStatus,
    EngagementStatus,
    OpportunityStatus,
    RoleSought,
)
from recruitment.models import (
    Application,
    ClaimEvent,
    Engagement,
    HonorariumClaim,
    Onboarding,
    Opportunity,
    TrainingCompletion,
    TrainingModule,
)
from recruitment.selectors import rate_in_force
from tests.queries import count_queries

pytestmark = pytest.mark.django_db


def seed(settings, scale: int = 1) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", scale=scale, stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def person_of(email: str):
    return User.objects.get(email=email).person


# Scale 1 ----------------------------------------------------------------------------------------


def test_demo_has_open_opportunities_for_pwle_and_lee_with_criteria_and_training(settings):
    seed(settings)

    open_ones = Opportunity.objects.filter(status=OpportunityStatus.OPEN)

    assert {o.role_sought for o in open_ones} == {RoleSought.PWLE, RoleSought.LEE}
    assert all(o.criteria.exists() and o.required_modules.exists() for o in open_ones)
    assert all(o.is_open for o in open_ones)
    assert Opportunity.objects.filter(status=OpportunityStatus.CLOSED).count() == 1
    assert Opportunity.objects.filter(status=OpportunityStatus.DRAFT).count() == 1


def test_demo_has_training_modules_with_completions(settings):
    seed(settings)

    assert set(TrainingModule.objects.values_list("name", flat=True)) == {
        "Induction",
        "Trauma-informed practice",
        "Reviewing proposals",
    }
    assert set(
        TrainingCompletion.objects.filter(person=person_of(demo.LEE_EMAIL)).values_list(
            "module__name", flat=True
        )
    ) == {"Induction", "Trauma-informed practice"}


def test_demo_pwle_has_a_draft_and_a_sent_application(settings):
    seed(settings)

    applications = Application.objects.filter(
        person=person_of(demo.PWLE_EMAIL), route=ApplicationRoute.SELF
    )

    assert sorted(applications.values_list("status", flat=True)) == [
        ApplicationStatus.DRAFT,
        ApplicationStatus.SUBMITTED,
    ]
    sent = applications.get(status=ApplicationStatus.SUBMITTED)
    assert sent.submitted_at is not None
    assert list(sent.events.values_list("from_status", "to_status")) == [
        ("", ApplicationStatus.DRAFT),
        (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED),
    ]


def test_demo_practitioner_referred_someone_with_their_consent(settings):
    seed(settings)

    referral = Application.objects.get(referred_by=person_of(demo.PRACTITIONER_EMAIL))

    assert referral.route == ApplicationRoute.REFERRAL
    assert referral.consent_confirmed_at is not None
    assert referral.person == person_of(demo.PWLE_EMAIL)
    assert referral.status == ApplicationStatus.SUBMITTED


def test_demo_lee_is_accepted_with_onboarding_in_progress(settings):
    seed(settings)
    lee = person_of(demo.LEE_EMAIL)

    accepted = Application.objects.get(person=lee, status=ApplicationStatus.ACCEPTED)
    onboarding = Onboarding.objects.get(person=lee)

    assert accepted.opportunity.role_sought == RoleSought.LEE
    assert list(accepted.events.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "shortlisted",
        "conversation",
        "offered",
        "accepted",
    ]
    assert onboarding.agreement_signed_on is not None
    assert onboarding.access_needs_confirmed_on is None
    assert Notification.objects.filter(
        idempotency_key=f"recruitment:application-outcome:{accepted.pk}"
    ).exists()


def test_demo_lee_has_claims_in_every_state_and_one_late(settings):
    seed(settings)
    lee = person_of(demo.LEE_EMAIL)

    claims = HonorariumClaim.objects.filter(engagement__person=lee)
    queried = claims.get(status=ClaimStatus.QUERIED)

    assert set(claims.values_list("status", flat=True)) == {
        ClaimStatus.DRAFT,
        ClaimStatus.SUBMITTED,
        ClaimStatus.QUERIED,
        ClaimStatus.APPROVED,
        ClaimStatus.PAID,
        ClaimStatus.WITHDRAWN,
    }
    assert claims.filter(status=ClaimStatus.APPROVED, pay_by__lt=london_today()).exists()
    assert queried.events.last().note == "Please add a photo of the bus ticket."
    engagements = Engagement.objects.filter(person=lee)
    assert engagements.filter(status=EngagementStatus.PLANNED).exists()
    assert engagements.filter(status=EngagementStatus.CANCELLED).exists()


def test_demo_run_twice_adds_nothing(settings):
    seed(settings)
    tables = [Engagement, HonorariumClaim, ClaimEvent, Application, Opportunity, Onboarding]
    before = {model: model.objects.count() for model in tables}

    seed(settings)

    assert {model: model.objects.count() for model in tables} == before


# At a scale -----------------------------------------------------------------------------------


def test_demo_at_a_scale_adds_about_a_hundred_times_the_engagements_per_unit(settings):
    # Recruitment's own engagements (partnerships' demo adds meeting attendance of its own).
    own = Engagement.objects.exclude(source_key__startswith="partnerships-")
    seed(settings)
    at_one = own.count()

    seed(settings, 2)
    at_two = own.count()
    seed(settings, 3)
    at_three = own.count()

    per_unit = demo.ENGAGEMENTS_PER_UNIT + demo.LEE_ENGAGEMENTS_PER_UNIT
    assert at_two - at_one == per_unit
    assert at_three - at_one == 2 * per_unit
    assert at_two - at_one >= 100 * at_one
    # --scale 100: at least 100,000.
    assert demo.ENGAGEMENTS_PER_UNIT * 99 >= 100_000
    assert Opportunity.objects.filter(title__startswith="Demo opportunity").count() == (
        2 * demo.OPPORTUNITIES_PER_UNIT
    )
    assert Application.objects.filter(
        opportunity__title__startswith="Demo opportunity"
    ).count() == (2 * demo.APPLICATIONS_PER_UNIT)


def test_demo_at_a_scale_keeps_what_the_services_keep(settings):
    seed(settings)
    seed(settings, 2)
    scale = HonorariumClaim.objects.filter(reference__startswith="DS")
    today = london_today()

    last_event = ClaimEvent.objects.filter(claim=OuterRef("pk")).order_by("-at", "-pk")
    mismatched = scale.annotate(last=Subquery(last_event.values("to_status")[:1])).exclude(
        last=F("status")
    )
    paid = scale.filter(status=ClaimStatus.PAID)

    assert scale.count() >= demo.ENGAGEMENTS_PER_UNIT * 0.85
    assert set(scale.values_list("status", flat=True)) == set(demo.PATHS)
    assert mismatched.count() == 0
    assert scale.exclude(pay_by=F("engagement__date") + timedelta(days=14)).count() == 0
    assert paid.filter(paid_on__lt=F("engagement__date")).count() == 0
    assert paid.filter(paid_on__gt=today).count() == 0
    assert all(
        claim.days_to_pay == (claim.paid_on - claim.engagement.date).days
        for claim in paid.select_related("engagement")[:200]
    )
    for claim in scale.exclude(status=ClaimStatus.DRAFT).select_related("engagement")[:200]:
        engagement = claim.engagement
        rate = rate_in_force(engagement.kind, engagement.date)
        expected_fee = rate.fee(
            hours=engagement.hours, preparation_hours=engagement.preparation_hours
        )
        assert claim.fee == expected_fee
        assert claim.allowances == engagement.allowances + rate.allowance(online=engagement.online)
    assert not Engagement.objects.filter(
        status=EngagementStatus.COMPLETED, claim__isnull=True
    ).exists()
    assert not Engagement.objects.filter(
        status=EngagementStatus.PLANNED, date__lte=today, source_key__startswith="demo-"
    ).exists()
    assert (
        Application.objects.values("opportunity")
        .annotate(n=Count("pk"), top=Max("number"))
        .exclude(n=F("top"))
        .count()
        == 0
    )


def test_claims_pages_keep_their_query_counts_at_a_scale(settings, client):
    seed(settings)
    client.force_login(User.objects.get(email="staff@example.org"))
    urls = [
        reverse("recruitment:claims"),
        reverse("recruitment:claims_in_state", kwargs={"state": "late"}),
        reverse("recruitment:claims_in_state", kwargs={"state": "paid"}),
        reverse("recruitment:claims_timeliness"),
        reverse("recruitment:payments_csv"),
    ]
    small = {url: count_queries(client, url) for url in urls}
    approved_before = HonorariumClaim.objects.filter(status=ClaimStatus.APPROVED).count()

    seed(settings, 3)
    # Seeding gives the demo accounts their password again: a new session.
    client.force_login(User.objects.get(email="staff@example.org"))
    large = {url: count_queries(client, url) for url in urls}

    assert HonorariumClaim.objects.filter(status=ClaimStatus.APPROVED).count() > (
        approved_before + 50
    )
    assert large == small


def test_demo_lee_sees_many_pages_of_paid_work_at_a_scale(settings, client):
    seed(settings)
    seed(settings, 11)
    lee = User.objects.get(email=demo.LEE_EMAIL)
    client.force_login(lee)

    response = client.get(reverse("paid_work:list"))

    assert Role.LEE in lee.person.current_roles
    assert response.context["page"].next == 2
    # Recruitment's own (partnerships' demo adds the LEE's meeting attendance).
    own = Engagement.objects.filter(person=lee.person).exclude(
        source_key__startswith="partnerships-"
    )
    assert own.count() == (len(demo.DEMO_WORK) + 10 * demo.LEE_ENGAGEMENTS_PER_UNIT)
