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
