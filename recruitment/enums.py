"""States and kinds for engagements and honoraria."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EngagementKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PANEL = "panel", _("Panel")
    REVIEW = "review", _("Review")
    ADVISORY = "advisory", _("Advisory")
    TRAINING = "training", _("Training")


class EngagementStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Eligibility(models.TextChoices):
    """What the person may receive, from the advice they had (recorded by staff, never inferred)."""

    PENDING = "pending", _("Waiting for advice")
    FULL = "full", _("Full payment")
    VOUCHERS_ONLY = "vouchers_only", _("Vouchers only")
    EXPENSES_ONLY = "expenses_only", _("Expenses only")


class PaymentMethod(models.TextChoices):
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    VOUCHER = "voucher", _("Voucher")
    PARTNER = "partner", _("Through a partner organisation")
    DECLINED = "declined", _("I do not want to be paid")


# The methods each eligibility allows. Declining is always allowed. Until advice is recorded, the
# system pays nothing: it never pushes money at someone who may not be allowed to receive it.
ALLOWED_METHODS: dict[str, frozenset[str]] = {
    Eligibility.PENDING: frozenset({PaymentMethod.DECLINED}),
    Eligibility.FULL: frozenset(PaymentMethod.values),
    Eligibility.VOUCHERS_ONLY: frozenset({PaymentMethod.VOUCHER, PaymentMethod.DECLINED}),
    # Reimbursing costs at cost: money to an account or through a partner, never a voucher.
    Eligibility.EXPENSES_ONLY: frozenset(
        {PaymentMethod.BANK_TRANSFER, PaymentMethod.PARTNER, PaymentMethod.DECLINED}
    ),
}

# Methods by which money leaves the centre (a declined claim pays nothing).
PAYING_METHODS = frozenset(
    {PaymentMethod.BANK_TRANSFER, PaymentMethod.VOUCHER, PaymentMethod.PARTNER}
)


class ClaimStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent yet")
    SUBMITTED = "submitted", _("Waiting for approval")
    QUERIED = "queried", _("We have a question")
    APPROVED = "approved", _("Approved, waiting to be paid")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Claims still on their way to being paid (what can be late).
OPEN_CLAIM_STATES = frozenset(
    {ClaimStatus.DRAFT, ClaimStatus.SUBMITTED, ClaimStatus.QUERIED, ClaimStatus.APPROVED}
)
# Claims counted in a person's total for the year: everything not withdrawn.
COUNTED_CLAIM_STATES = OPEN_CLAIM_STATES | {ClaimStatus.PAID}


# Opportunities and applications ---------------------------------------------------------------


class OpportunityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    FILLED = "filled", _("Filled")


class RoleSought(models.TextChoices):
    """Who an opportunity is for: the two paid roles of the role model (coprod.enums.Role)."""

    PWLE = "pwle", _("People with lived experience")
    LEE = "lee", _("Lived experience experts")


class PayBasis(models.TextChoices):
    HOUR = "hour", _("per hour")
    DAY = "day", _("per day")
    SESSION = "session", _("per session")


class WorkMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    REMOTE = "remote", _("Online")
    HYBRID = "hybrid", _("In person or online")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Not sent yet")
    SUBMITTED = "submitted", _("Sent")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    CONVERSATION = "conversation", _("Invited to a conversation")
    OFFERED = "offered", _("Offered a place")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    UNSUCCESSFUL = "unsuccessful", _("Not selected this time")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Where selection can go from each state (staff move forward; the person accepts, declines or
# withdraws). The ending states are the ones that send the person a message with feedback.
APPLICATION_TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset({ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN}),
    ApplicationStatus.SUBMITTED: frozenset(
        {
            ApplicationStatus.SHORTLISTED,
            ApplicationStatus.UNSUCCESSFUL,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.SHORTLISTED: frozenset(
        {
            ApplicationStatus.CONVERSATION,
            ApplicationStatus.OFFERED,
            ApplicationStatus.UNSUCCESSFUL,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.CONVERSATION: frozenset(
        {ApplicationStatus.OFFERED, ApplicationStatus.UNSUCCESSFUL, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.OFFERED: frozenset(
        {ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.ACCEPTED: frozenset(),
    ApplicationStatus.DECLINED: frozenset(),
    ApplicationStatus.UNSUCCESSFUL: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}
FINAL_APPLICATION_STATES = frozenset(
    {
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.UNSUCCESSFUL,
        ApplicationStatus.WITHDRAWN,
    }
)
# Applications staff work on (the pipeline).
IN_SELECTION_STATES = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.CONVERSATION,
        ApplicationStatus.OFFERED,
    }
)


class ApplicationRoute(models.TextChoices):
    SELF = "self", _("Applied themselves")
    REFERRAL = "referral", _("Referred by a practitioner")


# Onboarding and training ----------------------------------------------------------------------


class OnboardingStep(models.TextChoices):
    AGREEMENT_SIGNED = "agreement_signed", _("Agreement signed")
    PAYMENT_PREFERENCE_SET = "payment_preference_set", _("How you want to be paid is set")
    ACCESS_NEEDS_CONFIRMED = "access_needs_confirmed", _("Access and support needs confirmed")


# Reminders ------------------------------------------------------------------------------------


class ReminderKind(models.TextChoices):
    CLAIM_NOT_MADE = "claim_not_made", _("Work done, no claim after 3 days")
    APPROVAL_WAITING = "approval_waiting", _("Claims waiting for approval")
    PAYMENT_DUE_SOON = "payment_due_soon", _("Approved claims due to be paid in 3 days")
    PAYMENT_LATE = "payment_late", _("Approved claims paid late")
    APPLICATION_UNSENT = "application_unsent", _("Application not sent, closing in 3 days")
    ELIGIBILITY_REVIEW = "eligibility_review", _("Payment eligibility due for review")


# Opportunities: where each status can go (recruitment.services.selection moves them). ---------

OPPORTUNITY_TRANSITIONS: dict[str, frozenset[str]] = {
    OpportunityStatus.DRAFT: frozenset({OpportunityStatus.OPEN}),
    OpportunityStatus.OPEN: frozenset({OpportunityStatus.CLOSED, OpportunityStatus.FILLED}),
    OpportunityStatus.CLOSED: frozenset({OpportunityStatus.FILLED}),
    OpportunityStatus.FILLED: frozenset(),
}
# The steps staff take on an application (the person accepts, declines or withdraws).
STAFF_DECISIONS = frozenset(
    {
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.CONVERSATION,
        ApplicationStatus.OFFERED,
        ApplicationStatus.UNSUCCESSFUL,
    }
)
# While the shortlist is blind, staff can only shortlist or turn down: a conversation or an offer
# means contacting the person, which needs their name.
BLIND_DECISIONS = frozenset({ApplicationStatus.SHORTLISTED, ApplicationStatus.UNSUCCESSFUL})
# Scores can be changed until the decision (an offer or an end).
SCORABLE_STATES = frozenset(
    {ApplicationStatus.SUBMITTED, ApplicationStatus.SHORTLISTED, ApplicationStatus.CONVERSATION}
)
# Shortlisted or further: what "fix the shortlist" needs at least one of.
SHORTLISTED_OR_FURTHER = frozenset(
    {
        ApplicationStatus.SHORTLISTED,
        ApplicationStatus.CONVERSATION,
        ApplicationStatus.OFFERED,
        ApplicationStatus.ACCEPTED,
        ApplicationStatus.DECLINED,
    }
)
