"""Reads for the reminder sweeps (recruitment.services.reminders): what is due, and who on the
staff is told. Each is one query whatever the number of rows, uses an index on its driving
table, and leaves out what was already reminded with NOT EXISTS on Reminder (whose unique key,
kind + object + occasion, is the index that lookup uses)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import CharField, Exists, OuterRef, QuerySet
from django.db.models.functions import Cast

from coprod.enums import StaffGroup
from coprod.models import User
from recruitment.enums import (
    ApplicationStatus,
    ClaimStatus,
    EngagementStatus,
    OpportunityStatus,
    PaymentMethod,
    ReminderKind,
)
from recruitment.models import Application, HonorariumClaim, PaymentEligibility, Reminder

# How long something waits before anyone is reminded: work done and not claimed, a claim not
# approved; and how long before an opportunity closes, or a claim is due to be paid, the reminder
# goes.
REMIND_AFTER = timedelta(days=3)
REMIND_BEFORE = timedelta(days=3)

# Occasions of reminders about single things (a digest's occasion is "digest:<date>").
ONCE = ""
DUE_SOON = "due-soon"
LATE = "late"


def not_reminded(kind: ReminderKind, *, about: str = "pk", occasion: object = ONCE) -> Exists:
    """True for a row with no Reminder of `kind` yet: `about` names the row's field that is the
    reminder's object, `occasion` the round (a value, or an expression on the row)."""
    return ~Exists(Reminder.objects.filter(kind=kind, object_id=OuterRef(about), occasion=occasion))


def unclaimed_work_due(*, now: datetime) -> QuerySet:
    """Engagements completed at least REMIND_AFTER ago whose claim is still a draft (a claim is
    made, as a draft, in the transaction that completes the engagement: complete_engagement),
    for people who claim themselves (an active login), not yet reminded.

    Driven by the draft claims (the index on claim status and pay-by date): drafts are the few
    claims not yet sent, however many engagements there are. Rows of (engagement id, person id,
    engagement kind, engagement date)."""
    people_with_login = User.objects.filter(person=OuterRef("engagement__person"), is_active=True)
    return (
        HonorariumClaim.objects.filter(
            status=ClaimStatus.DRAFT,
            engagement__status=EngagementStatus.COMPLETED,
            engagement__status_changed_at__lte=now - REMIND_AFTER,
            engagement__person__erased_at__isnull=True,
        )
        .filter(Exists(people_with_login))
        .filter(not_reminded(ReminderKind.CLAIM_NOT_MADE, about="engagement_id"))
        .order_by()
        .values_list(
            "engagement_id", "engagement__person_id", "engagement__kind", "engagement__date"
        )
    )


def unsent_applications_due(*, now: datetime) -> QuerySet:
    """Applications saved as drafts, to opportunities still open that close within
    REMIND_BEFORE, not yet reminded. Driven by the open opportunities closing soon (the index on
    opportunity status and closing date), then their drafts (the index on application status
    and opportunity). Rows of (application id, person id, referring practitioner's person id or
    None, opportunity title, closing moment)."""
    return (
        Application.objects.filter(
            status=ApplicationStatus.DRAFT,
            opportunity__status=OpportunityStatus.OPEN,
            opportunity__closes_at__gt=now,
            opportunity__closes_at__lte=now + REMIND_BEFORE,
            person__erased_at__isnull=True,
        )
        .filter(not_reminded(ReminderKind.APPLICATION_UNSENT))
        .order_by()
        .values_list(
            "pk", "person_id", "referred_by_id", "opportunity__title", "opportunity__closes_at"
        )
    )


def claims_waiting_for_approval(*, now: datetime) -> QuerySet[HonorariumClaim]:
    """Claims sent (or sent again after a question) more than REMIND_AFTER ago and still waiting
    for approval (the index on claim status)."""
    return HonorariumClaim.objects.filter(
        status=ClaimStatus.SUBMITTED, submitted_at__lte=now - REMIND_AFTER
    ).order_by()


def _approved_to_pay() -> QuerySet[HonorariumClaim]:
    # A declined payment is never due: nothing is paid.
    return (
        HonorariumClaim.objects.filter(status=ClaimStatus.APPROVED)
        .exclude(method=PaymentMethod.DECLINED)
        .order_by()
    )


def payments_due_soon(*, today: date) -> QuerySet:
    """Approved claims to be paid within REMIND_BEFORE (pay-by date today or in the next days),
    not yet reminded for this occasion (the index on claim status and pay-by date). Claim ids."""
    return (
        _approved_to_pay()
        .filter(pay_by__gte=today, pay_by__lte=today + REMIND_BEFORE)
        .filter(not_reminded(ReminderKind.PAYMENT_DUE_SOON, occasion=DUE_SOON))
        .values_list("pk", flat=True)
    )


def payments_late(*, today: date) -> QuerySet:
    """Approved claims past their pay-by date, not yet reminded as late. Claim ids."""
    return (
        _approved_to_pay()
        .filter(pay_by__lt=today)
        .filter(not_reminded(ReminderKind.PAYMENT_LATE, occasion=LATE))
        .values_list("pk", flat=True)
    )


def eligibility_reviews_due(*, today: date) -> QuerySet:
    """Payment eligibilities whose review date has come, not yet reminded for that review date
    (the occasion is the date: a new review date is a new reminder). One row per person, so a
    small table. Rows of (eligibility id, review date)."""
    return (
        PaymentEligibility.objects.filter(review_on__lte=today, person__erased_at__isnull=True)
        .filter(
            not_reminded(
                ReminderKind.ELIGIBILITY_REVIEW,
                occasion=Cast(OuterRef("review_on"), output_field=CharField()),
            )
        )
        .order_by()
        .values_list("pk", "review_on")
    )


def staff_to_remind(group: StaffGroup, permission: str) -> QuerySet:
    """The people behind the active staff logins in `group` whose group gives `permission`
    ("recruitment.approve_claim"): who a staff digest goes to. Superusers outside the group are
    not included: a digest is for the team that does the work. Person ids, in one query."""
    app_label, codename = permission.split(".")
    return (
        User.objects.filter(
            is_active=True,
            is_staff=True,
            person__erased_at__isnull=True,
            groups__name=group,
            groups__permissions__codename=codename,
            groups__permissions__content_type__app_label=app_label,
        )
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .distinct()
    )
