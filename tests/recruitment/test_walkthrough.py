"""The whole recruitment journey of the README's "Recruitment, step by step", through the real
pages, as the people who do each step: engagement staff publish an opportunity; a person with
lived experience applies (a draft first, then sent) and a practitioner refers someone they
support; staff shortlist both without names, fix the shortlist, offer the person a place and
turn the referral down with feedback; the person reads the note about payment and accepts;
staff record training and onboarding, the payment eligibility and an engagement (in the admin,
which saves through the services) and complete it; the person claims; staff approve; finance
downloads the payments CSV (the only place with the legal name) and marks the claim paid. Then
the reminder sweeps, run again and again around a claim left as a draft, remind exactly once.

One flow, a helper per step; each step asserts what it changed (statuses, rows, rendered
text, the messages queued and to whom)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse

from coprod.enums import (
    ConsentPurpose,
    ContactChannel,
    HoldReason,
    NotificationStatus,
    Role,
    StaffGroup,
)
from coprod.models import Notification, Person, User
from coprod.services.contact import update_safe_contact
from recruitment import tasks
from recruitment.enums import (
    ApplicationRoute,
    ApplicationStatus,
    ClaimStatus,
    Eligibility,
    EngagementStatus,
    OpportunityStatus,
    PaymentMethod,
    ReminderKind,
)
from recruitment.models import (
    Application,
    Engagement,
    HonorariumClaim,
    Onboarding,
    Opportunity,
    PaymentEligibility,
    Reminder,
    TrainingCompletion,
    TrainingModule,
)
from recruitment.services import complete_engagement, record_engagement
from tests.factories.core import (
    TEST_ACTOR,
    UserFactory,
    backdate_consent_texts,
    make_person,
    make_staff,
)
from tests.factories.recruitment import (
    OpportunityFactory,
    SelectionCriterionFactory,
    TrainingModuleFactory,
    standard_rates,
)

pytestmark = pytest.mark.django_db

# Monday 14 June 2027, 10:00 in London: every step happens at this moment (time stands still).
NOW = datetime(2027, 6, 14, 9, tzinfo=UTC)
TODAY = date(2027, 6, 14)
SELECTION = "/staff/recruitment/opportunities/"
LEGAL_NAME = "Roberta Quince-Halloway"
PWLE_ANSWERS = {
    "why_interested": "I want services to listen to people like me.",
    "what_they_bring": "I know what it is like to wait for help.",
    "support_needs": "Breaks every hour.",
    "safe_contact": "Email only, weekday mornings.",
}
OFFER_FEEDBACK = "Your ideas about waiting for help were exactly what we need."
TURN_DOWN_FEEDBACK = "Many people applied; please apply again for the next panel."


@dataclass
class Cast:
    """The signed-in browsers of the journey, and who is behind them."""

    staff: Client
    staff_user: User
    finance: Client
    pwle: Client
    pwle_user: User
    practitioner: Client
    practitioner_user: User
    supported: Person  # someone the practitioner supports (no login)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def outcome_messages() -> list[tuple[Person, str]]:
    """The applications' outcome messages in the outbox: (to whom, which outcome)."""
    return [
        (notification.person, notification.content["full"]["subject"])
        for notification in Notification.objects.filter(kind="application_outcome").order_by("pk")
    ]


@pytest.fixture
def cast(time_machine) -> Cast:
    time_machine.move_to(NOW, tick=False)
    backdate_consent_texts()
    standard_rates()
    # Engagement staff and finance: staff logins with TOTP set up (as after the MFA code).
    staff_user = make_staff(StaffGroup.ENGAGEMENT)
    finance_user = make_staff(StaffGroup.FINANCE)
    pwle_person = make_person(
        roles=[Role.PWLE],
        consents=[ConsentPurpose.CONTACT],
        chosen_name="Robin",
        legal_name=LEGAL_NAME,
        contact_email="robin@example.org",
    )
    pwle_user = UserFactory(person=pwle_person, email="robin.login@example.org")
    practitioner_person = make_person(roles=[Role.PRACTITIONER], chosen_name="Alex")
    practitioner_user = UserFactory(person=practitioner_person)
    supported = make_person(roles=[Role.PWLE], chosen_name="Marlowe")
    # Marlowe is reached only through Alex, their support worker.
    update_safe_contact(
        supported,
        by=staff_user,
        confirm=False,
        channels=[ContactChannel.SUPPORT_WORKER],
        support_worker=practitioner_person,
    )
    return Cast(
        staff=signed_in(staff_user),
        staff_user=staff_user,
        finance=signed_in(finance_user),
        pwle=signed_in(pwle_user),
        pwle_user=pwle_user,
        practitioner=signed_in(practitioner_user),
        practitioner_user=practitioner_user,
        supported=supported,
    )


# The steps -------------------------------------------------------------------------------------


def staff_publish(cast: Cast) -> tuple[Opportunity, TrainingModule]:
    """A draft written in the admin (with what staff look for and the training needed) is
    published with the status form on its staff page."""
    module = TrainingModuleFactory(name="Induction")
    opportunity = OpportunityFactory(
        title="Help us choose which projects to fund",
        status=OpportunityStatus.DRAFT,
        closes_at=NOW + timedelta(days=21),
        places=1,
    )
    opportunity.required_modules.set([module])
    SelectionCriterionFactory(opportunity=opportunity, name="Thinks about who a project helps")
    assert "Help us choose" not in page(cast.pwle.get(reverse("opportunities:list")))

    pipeline = page(cast.staff.get(f"{SELECTION}{opportunity.pk}/"))
    assert "Publish (open for applications)" in pipeline
    done = page(
        cast.staff.post(f"{SELECTION}{opportunity.pk}/status/", {"to": "open"}, follow=True)
    )

    opportunity.refresh_from_db()
    assert (opportunity.status, opportunity.published_at) == (OpportunityStatus.OPEN, NOW)
    assert "The opportunity is now “Open”." in done
    return opportunity, module


def pwle_apply(cast: Cast, opportunity: Opportunity) -> Application:
    """The person finds it in the portal's list, saves a draft, comes back and sends it."""
    listed = page(cast.pwle.get(reverse("opportunities:list")))
    assert "Help us choose which projects to fund" in listed
    detail = page(cast.pwle.get(f"/portal/opportunities/{opportunity.pk}/"))
    assert f"/portal/opportunities/{opportunity.pk}/apply/" in detail
    apply_url = f"/portal/opportunities/{opportunity.pk}/apply/"

    saved = page(
        cast.pwle.post(
            apply_url,
            {"why_interested": PWLE_ANSWERS["why_interested"], "save": "Save and finish later"},
            follow=True,
        )
    )
    application = Application.objects.get(opportunity=opportunity, person=cast.pwle_user.person)
    assert application.status == ApplicationStatus.DRAFT
    assert "Your answers are saved." in saved
    assert PWLE_ANSWERS["why_interested"] in page(cast.pwle.get(apply_url))

    sent = page(
        cast.pwle.post(apply_url, {**PWLE_ANSWERS, "send": "Send my application"}, follow=True)
    )

    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.route == ApplicationRoute.SELF
    assert application.submitted_at == NOW
    assert "Your application is sent." in sent
    return application


def practitioner_refer(cast: Cast, opportunity: Opportunity) -> Application:
    """The practitioner refers someone they support, who agreed, and sends the referral."""
    refer_url = f"/portal/opportunities/{opportunity.pk}/refer/"
    form = page(cast.practitioner.get(refer_url))
    assert "Marlowe" in form

    sent = page(
        cast.practitioner.post(
            refer_url,
            {
                "person": str(cast.supported.pk),
                "display_name": "",
                "consent": "on",
                "why_interested": "Marlowe wants funders to hear from survivors.",
                "what_they_bring": "Years of using support services.",
                "support_needs": "",
                "safe_contact": "Only through me, on weekdays.",
                "send": "Send the referral",
            },
            follow=True,
        )
    )

    referral = Application.objects.get(opportunity=opportunity, person=cast.supported)
    assert (referral.status, referral.route) == (
        ApplicationStatus.SUBMITTED,
        ApplicationRoute.REFERRAL,
    )
    assert referral.referred_by == cast.practitioner_user.person
    assert "Your referral is sent." in sent
    assert "Marlowe" in page(cast.practitioner.get("/portal/opportunities/referrals/"))
    return referral


def decide(cast: Cast, application: Application, to: str, **fields: str) -> str:
    url = f"{SELECTION}{application.opportunity_id}/applications/{application.pk}/decide/"
    return page(cast.staff.post(url, {"to": to, **fields}, follow=True))


def staff_select(cast: Cast, own: Application, referral: Application) -> None:
    """Shortlist both without names, fix the shortlist, offer the person a place and turn the
    referral down with feedback."""
    opportunity = own.opportunity
    blind = page(cast.staff.get(f"{SELECTION}{opportunity.pk}/"))
    assert ("Applicant 1" in blind, "Applicant 2" in blind) == (True, True)
    for name in ("Robin", "Marlowe", "Alex", LEGAL_NAME):
        assert name not in blind
    criterion = opportunity.criteria.get()
    scored = cast.staff.post(
        f"{SELECTION}{opportunity.pk}/applications/{own.pk}/score/",
        {f"score_{criterion.pk}": "4", f"comment_{criterion.pk}": "Clear and concrete."},
    )
    assert scored.status_code == 302
    for application in (own, referral):
        done = decide(cast, application, "shortlisted", reason="Meets the criterion.")
        assert "Done: the application is now “Shortlisted”." in done

    fixed = page(cast.staff.post(f"{SELECTION}{opportunity.pk}/fix-shortlist/", follow=True))
    assert "The shortlist is fixed. Names are now shown." in fixed
    assert ("Robin" in fixed, "Marlowe" in fixed, "Alex" in fixed) == (True, True, True)
    assert LEGAL_NAME not in fixed

    decide(cast, own, "offered", reason="Highest score.", feedback=OFFER_FEEDBACK)
    decide(cast, referral, "unsuccessful", reason="One place only.", feedback=TURN_DOWN_FEEDBACK)

    own.refresh_from_db()
    referral.refresh_from_db()
    assert (own.status, referral.status) == (
        ApplicationStatus.OFFERED,
        ApplicationStatus.UNSUCCESSFUL,
    )
    # The referral's outcome, with the feedback, is queued for Marlowe and held: a referred
    # person has given no consent to be contacted (staff reach them through the practitioner,
    # who sees the outcome on their referrals page). The offer itself sends no message yet.
    assert outcome_messages() == [
        (cast.supported, "About your application for Help us choose which projects to fund")
    ]
    turned_down = Notification.objects.get(kind="application_outcome")
    assert (turned_down.status, turned_down.hold_reason) == (
        NotificationStatus.HELD,
        HoldReason.NO_CONTACT_CONSENT,
    )
    assert TURN_DOWN_FEEDBACK in turned_down.content["full"]["body"]
    referrals = page(cast.practitioner.get("/portal/opportunities/referrals/"))
    assert "Not selected this time" in referrals


def pwle_accept(cast: Cast, own: Application) -> None:
    """The person reads the note about payment on the offer page and accepts."""
    yours = page(cast.pwle.get(reverse("opportunities:applications")))
    offer_url = f"/portal/opportunities/applications/{own.pk}/offer/"
    assert offer_url in yours
    offer = page(cast.pwle.get(offer_url))
    assert "Before you answer: being paid" in offer
    assert "benefits, such as Universal Credit" in offer
    assert "Citizens Advice: call 0800 144 8848 (free)" in offer
    assert "We never decide it for you." in offer

    accepted = page(cast.pwle.post(offer_url, {"answer": "accept"}, follow=True))

    own.refresh_from_db()
    assert own.status == ApplicationStatus.ACCEPTED
    assert "The place is accepted." in accepted
    assert Onboarding.objects.filter(person=cast.pwle_user.person).exists()
    assert outcome_messages() == [
        (cast.supported, "About your application for Help us choose which projects to fund"),
        (cast.pwle_user.person, "You are taking part in Help us choose which projects to fund"),
    ]
    offered = Notification.objects.filter(kind="application_outcome").latest("pk")
    assert offered.status == NotificationStatus.QUEUED
    assert OFFER_FEEDBACK in offered.content["full"]["body"]


def staff_train_and_onboard(cast: Cast, own: Application, module: TrainingModule) -> None:
    """On "Who is ready", record the training; on the person's onboarding page, the agreement
    signed and the access needs confirmed."""
    opportunity_pk = own.opportunity_id
    ready = page(cast.staff.get(f"{SELECTION}{opportunity_pk}/ready/"))
    assert "Robin" in ready
    recorded = page(
        cast.staff.post(
            f"{SELECTION}{opportunity_pk}/ready/record/",
            {"application": str(own.pk), "module": str(module.pk), "completed_on": "2027-06-10"},
            follow=True,
        )
    )
    assert "Recorded: Robin completed “Induction”." in recorded
    assert TrainingCompletion.objects.get(person=cast.pwle_user.person).completed_on == date(
        2027, 6, 10
    )

    onboarding_url = f"{SELECTION}{opportunity_pk}/applications/{own.pk}/onboarding/"
    for step in ("agreement_signed", "access_needs_confirmed"):
        done = page(
            cast.staff.post(onboarding_url, {"step": step, "on": TODAY.isoformat()}, follow=True)
        )
        assert "The step is recorded." in done

    onboarding = Onboarding.objects.get(person=cast.pwle_user.person)
    assert (onboarding.agreement_signed_on, onboarding.access_needs_confirmed_on) == (
        TODAY,
        TODAY,
    )


def staff_record_eligibility(cast: Cast) -> None:
    """In the admin, "Payment eligibilities" → Add: what the person may be paid, from the advice
    they had, and how they want to be paid."""
    person = cast.pwle_user.person
    response = cast.staff.post(
        "/admin/recruitment/paymenteligibility/add/",
        {
            "person": person.pk,
            "status": Eligibility.FULL,
            "advice_source": "Citizens Advice benefits adviser",
            "advice_date": "2027-06-01",
            "review_on": "",
            "preference": PaymentMethod.VOUCHER,
            "staff_notes": "",
        },
    )
    assert response.status_code == 302
    eligibility = PaymentEligibility.objects.get(person=person)
    assert (eligibility.status, eligibility.preference, eligibility.recorded_by) == (
        Eligibility.FULL,
        PaymentMethod.VOUCHER,
        cast.staff_user,
    )


def staff_record_engagement(cast: Cast) -> Engagement:
    """In the admin, "Engagements" → Add (saved through recruitment.services.record_engagement),
    then the action "Mark completed (and make the claim)" on the list."""
    person = cast.pwle_user.person
    added = cast.staff.post(
        "/admin/recruitment/engagement/add/",
        {
            "person": person.pk,
            "kind": "panel",
            "title": "Funding panel",
            "date": (TODAY - timedelta(days=1)).isoformat(),
            "hours": "2",
            "preparation_hours": "1",
            "travel": "0",
            "childcare": "0",
            "interpreter": "0",
        },
    )
    assert added.status_code == 302
    engagement = Engagement.objects.get(person=person)
    assert engagement.status == EngagementStatus.PLANNED
    assert engagement.source_key.startswith("admin:")

    cast.staff.post(
        "/admin/recruitment/engagement/",
        {"action": "complete", "_selected_action": [engagement.pk]},
    )

    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.COMPLETED
    assert engagement.claim.status == ClaimStatus.DRAFT
    return engagement


def pwle_claim(cast: Cast, engagement: Engagement) -> HonorariumClaim:
    """On "Paid work", the person claims, paid as they chose (vouchers)."""
    paid_work = page(cast.pwle.get("/portal/paid-work/"))
    claim_url = f"/portal/paid-work/{engagement.pk}/claim/"
    assert "You have not claimed yet." in paid_work
    assert claim_url in paid_work
    form = page(cast.pwle.get(claim_url))
    assert "How do you want to be paid?" in form

    sent = page(
        cast.pwle.post(
            claim_url,
            {"method": PaymentMethod.VOUCHER, "expenses": "", "expenses_note": ""},
            follow=True,
        )
    )

    claim = HonorariumClaim.objects.get(engagement=engagement)
    assert (claim.status, claim.method) == (ClaimStatus.SUBMITTED, PaymentMethod.VOUCHER)
    # 2 hours at £25, 1 hour's preparation at £20; in person, no allowances.
    assert (claim.fee, claim.total) == (70, 70)
    assert "Thank you. Your claim is sent." in sent
    assert "We have your claim. We will pay you by 27 June 2027." in sent
    return claim


def staff_approve(cast: Cast, claim: HonorariumClaim) -> None:
    """In the claims queue (waiting for approval), open the claim and approve it."""
    queue = page(cast.staff.get("/staff/recruitment/claims/"))
    assert claim.reference in queue
    detail = page(cast.staff.get(f"/staff/recruitment/claims/{claim.pk}/"))
    assert "Robin" in detail
    assert LEGAL_NAME not in queue + detail
    assert "Approve for payment" in detail

    approved = page(cast.staff.post(f"/staff/recruitment/claims/{claim.pk}/approve/", follow=True))

    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert f"Claim {claim.reference} is approved." in approved


def finance_export_and_pay(cast: Cast, claim: HonorariumClaim) -> None:
    """Finance downloads the payments to make, then marks the claim paid on its page."""
    approved_queue = page(cast.finance.get("/staff/recruitment/claims/in/approved/"))
    assert claim.reference in approved_queue
    assert LEGAL_NAME not in approved_queue

    download = cast.finance.get("/staff/recruitment/payments.csv")

    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="payments-2027-06-14.csv"'
    rows = list(csv.DictReader(io.StringIO(download.content.decode())))
    assert [
        (row["reference"], row["method"], row["legal_name"], row["amount"], row["pay_by"])
        for row in rows
    ] == [(claim.reference, "Voucher", LEGAL_NAME, "70.00", "2027-06-27")]

    paid_page = page(
        cast.finance.post(
            f"/staff/recruitment/claims/{claim.pk}/paid/",
            {"paid_on": TODAY.isoformat(), "reference": "VOUCHER-0614"},
            follow=True,
        )
    )

    claim.refresh_from_db()
    assert (claim.status, claim.paid_on, claim.payment_reference, claim.days_to_pay) == (
        ClaimStatus.PAID,
        TODAY,
        "VOUCHER-0614",
        1,
    )
    assert f"Claim {claim.reference} is marked paid." in paid_page
    assert LEGAL_NAME not in paid_page
    assert "Paid on 14 June 2027." in page(cast.pwle.get("/portal/paid-work/"))


def run_every_reminder_sweep() -> None:
    """What Celery beat runs (recruitment/contributions.py), each task as the worker runs it."""
    for task in (
        tasks.remind_unclaimed_work,
        tasks.remind_unsent_applications,
        tasks.remind_claims_waiting_for_approval,
        tasks.remind_payments_due_soon,
        tasks.remind_late_payments,
        tasks.remind_eligibility_reviews,
    ):
        task.delay().get()


def reminders_fire_once(cast: Cast, time_machine, capture) -> None:
    """A second piece of work, completed today and left unclaimed: the sweeps, run every day
    and twice on the day it is due, remind the person exactly once, three days after."""
    person = cast.pwle_user.person
    second = complete_engagement(
        record_engagement(
            person, by=TEST_ACTOR, kind="meeting", on=TODAY, hours="1", source_key="walk:second"
        ),
        by=TEST_ACTOR,
    )
    before = set(Notification.objects.values_list("pk", flat=True))

    for moment in (
        NOW + timedelta(days=2),  # not due yet
        NOW + timedelta(days=4),  # due: completed 4 days ago, the claim still a draft
        NOW + timedelta(days=4, hours=1),  # the next hourly run
        NOW + timedelta(days=5),  # the next day
    ):
        time_machine.move_to(moment, tick=False)
        with capture(execute=True):
            run_every_reminder_sweep()

    new = Notification.objects.exclude(pk__in=before)
    assert [(n.person, n.kind) for n in new] == [(person, "reminder_claim_not_made")]
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.object_id, reminder.notification) == (
        ReminderKind.CLAIM_NOT_MADE,
        second.pk,
        new.get(),
    )
    assert new.get().created_at == NOW + timedelta(days=4)


# The journey -----------------------------------------------------------------------------------


def test_recruitment_step_by_step_as_the_readme_walks_it(
    cast, time_machine, django_capture_on_commit_callbacks
):
    opportunity, module = staff_publish(cast)
    own = pwle_apply(cast, opportunity)
    referral = practitioner_refer(cast, opportunity)
    staff_select(cast, own, referral)
    pwle_accept(cast, own)
    staff_train_and_onboard(cast, own, module)
    staff_record_eligibility(cast)
    engagement = staff_record_engagement(cast)
    claim = pwle_claim(cast, engagement)
    staff_approve(cast, claim)
    finance_export_and_pay(cast, claim)
    reminders_fire_once(cast, time_machine, django_capture_on_commit_callbacks)
