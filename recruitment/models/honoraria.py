"""Engagements (each piece of paid involvement), the rates they are paid at, each person's payment
eligibility, and honorarium claims with their history."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coprod.fields import EncryptedJSONField, EncryptedTextField
from recruitment.enums import (
    ALLOWED_METHODS,
    ClaimStatus,
    Eligibility,
    EngagementKind,
    EngagementStatus,
    PaymentMethod,
)

ZERO = Decimal("0.00")
PENNY = Decimal("0.01")


def to_pennies(amount: Decimal) -> Decimal:
    """Money is kept in pounds and pence: half a penny rounds up (the person's way)."""
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def money_field(verbose_name: str | object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(
        verbose_name,
        max_digits=10,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO)],
        **kwargs,
    )


def hours_field(verbose_name: str | object, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=5, decimal_places=2, **kwargs)


class Engagement(models.Model):
    """One piece of paid involvement: a person, what it was, when, for how long.

    What it belongs to is a generic relation (`belongs_to`: an opportunity here, a partnership
    meeting, a funding panel), not explicit foreign keys, on purpose: partnerships and funding call
    `recruitment.services.record_engagement`, so they depend on this app; explicit keys to their
    models would make this app depend on them too (a cycle, and every new area app would need a
    migration here). Nothing here joins to those tables: the link is for display and for the app
    that made the engagement to find it again. What a generic key loses — the database does not
    check it — is covered by `source_key`: the caller's own stable name for the engagement
    ("funding.panel:12"), unique per person, which makes recording twice harmless."""

    person = models.ForeignKey(
        "coprod.Person", on_delete=models.PROTECT, related_name="engagements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EngagementKind.choices)
    title = models.CharField(
        _("what it was"),
        max_length=200,
        blank=True,
        help_text=_("A few words about the work, e.g. “Panel for call 7”. No names."),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    belongs_to = GenericForeignKey("content_type", "object_id")
    source_key = models.CharField(
        _("source key"),
        max_length=200,
        help_text=_("The recording app's own name for this engagement (unique per person)."),
    )
    date = models.DateField(_("date"))
    hours = hours_field(_("hours"))
    preparation_hours = hours_field(_("preparation hours"), default=ZERO)
    online = models.BooleanField(_("online"), default=False)
    travel = money_field(_("travel"))
    childcare = money_field(_("childcare"))
    interpreter = money_field(_("interpreter"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=EngagementStatus.choices,
        default=EngagementStatus.PLANNED,
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-date", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source_key"], name="engagement_source_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="engagement_hours_positive",
                violation_error_message=_("Hours must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(preparation_hours__gte=0)
                & Q(travel__gte=0)
                & Q(childcare__gte=0)
                & Q(interpreter__gte=0),
                name="engagement_amounts_not_negative",
                violation_error_message=_("Hours and amounts cannot be less than zero."),
            ),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["status", "date"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    @property
    def allowances(self) -> Decimal:
        """Costs the engagement reimburses (the rate's online allowance comes on top)."""
        return self.travel + self.childcare + self.interpreter


class Rate(models.Model):
    """What a kind of engagement pays from `effective_from` until the next rate of its kind.

    The rule: the hours on the day are paid at the hourly rate, up to the daily rate (a long day
    costs no more than a day); preparation (reading proposals, say) is done on other days and paid
    by the hour on top, uncapped; an online engagement adds the data allowance."""

    kind = models.CharField(_("kind"), max_length=20, choices=EngagementKind.choices)
    effective_from = models.DateField(_("takes effect on"))
    hourly = money_field(_("hourly rate"))
    daily = money_field(_("daily rate"))
    preparation_hourly = money_field(_("preparation, per hour"))
    data_allowance = money_field(
        _("data allowance"), help_text=_("Added to each online engagement (data costs).")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["kind", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "effective_from"],
                name="rate_kind_date_unique",
                violation_error_message=_("This kind already has a rate from that day."),
            ),
            models.CheckConstraint(
                condition=Q(daily__gte=F("hourly")),
                name="rate_daily_gte_hourly",
                violation_error_message=_("The daily rate cannot be less than the hourly rate."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} from {self.effective_from}"

    def fee(self, *, hours: Decimal, preparation_hours: Decimal) -> Decimal:
        """The fee for `hours` on the day (capped at the daily rate) and preparation, in pennies."""
        day = min(to_pennies(hours * self.hourly), self.daily)
        return day + to_pennies(preparation_hours * self.preparation_hourly)

    def allowance(self, *, online: bool) -> Decimal:
        return self.data_allowance if online else ZERO


class PaymentEligibility(models.Model):
    """What a person may be paid, as recorded by staff from the advice the person had (benefits,
    immigration): never inferred by the system. Until advice is recorded it is pending, and only
    declining is possible. Within it, the person's preferred way to be paid.

    Restricted: the notes (engagement team and finance), and the bank details and partner
    organisation (finance only). All encrypted."""

    person = models.OneToOneField(
        "coprod.Person", on_delete=models.PROTECT, related_name="payment_eligibility"
    )
    status = models.CharField(
        _("eligibility"), max_length=20, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    advice_source = models.CharField(
        _("advice from"),
        max_length=200,
        blank=True,
        help_text=_("Who gave the advice, e.g. “Citizens Advice benefits adviser”."),
    )
    advice_date = models.DateField(_("advice given on"), null=True, blank=True)
    review_on = models.DateField(_("review on"), null=True, blank=True)
    preference = models.CharField(
        _("how they want to be paid"),
        max_length=20,
        choices=PaymentMethod.choices,
        blank=True,
        help_text=_("Empty until chosen, or when the eligibility no longer allows the choice."),
    )
    staff_notes = EncryptedTextField(_("restricted notes for staff"), blank=True)
    # {"account_name": ..., "sort_code": ..., "account_number": ...}: finance only.
    bank_details = EncryptedJSONField(_("bank details"), null=True, blank=True)
    partner_organisation = EncryptedTextField(_("partner organisation that pays"), blank=True)
    recorded_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    RESTRICTED_NOTES_FIELDS = ("staff_notes",)
    RESTRICTED_FINANCE_FIELDS = ("bank_details", "partner_organisation")

    class Meta:
        verbose_name = _("payment eligibility")
        verbose_name_plural = _("payment eligibility")
        permissions = [
            ("view_bank_details", _("Can see and export bank and payment details")),
            ("view_eligibility_notes", _("Can see restricted notes about payment eligibility")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__isnull=True)
                | Q(advice_date__isnull=True)
                | Q(review_on__gte=F("advice_date")),
                name="eligibility_review_after_advice",
                violation_error_message=_("The review date must be after the advice."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_status_display()} (#{self.pk})"

    @property
    def allowed_methods(self) -> frozenset[str]:
        return ALLOWED_METHODS[self.status]

    def allows(self, method: str) -> bool:
        return method in self.allowed_methods


class HonorariumClaim(models.Model):
    """A claim for the pay of one completed engagement: draft → submitted → approved (or queried,
    and submitted again) → paid; withdrawn before payment. The fee and allowances are computed
    from the rates in force on the engagement's date when it is submitted; `reference` is
    pseudonymous (it is what the bank transfer carries) and stays when the person's information
    is erased, with the amounts, if the claim was paid."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, editable=False)
    engagement = models.OneToOneField(Engagement, on_delete=models.PROTECT, related_name="claim")
    status = models.CharField(
        _("status"), max_length=20, choices=ClaimStatus.choices, default=ClaimStatus.DRAFT
    )
    method = models.CharField(
        _("payment method"), max_length=20, choices=PaymentMethod.choices, blank=True
    )
    fee = money_field(_("fee"))
    allowances = money_field(_("allowances"))
    expenses = money_field(_("expenses"))
    expenses_note = models.CharField(_("what the expenses were for"), max_length=500, blank=True)
    pay_by = models.DateField(_("pay by"))
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=100, blank=True)
    # Days from the engagement to the payment: kept when paid, for the median time to pay.
    days_to_pay = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("honorarium claim")
        verbose_name_plural = _("honorarium claims")
        ordering = ["pay_by", "pk"]
        permissions = [
            ("approve_claim", _("Can approve or query honorarium claims")),
            ("mark_claim_paid", _("Can mark honorarium claims paid")),
            ("export_payments", _("Can export the payments to make")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ClaimStatus.PAID) | Q(paid_on__isnull=False),
                name="claim_paid_has_date",
                violation_error_message=_("A paid claim needs the date it was paid."),
            ),
            models.CheckConstraint(
                condition=Q(fee__gte=0) & Q(allowances__gte=0) & Q(expenses__gte=0),
                name="claim_amounts_not_negative",
                violation_error_message=_("Amounts cannot be less than zero."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "pay_by"]),
            models.Index(fields=["paid_on"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def total(self) -> Decimal:
        return self.fee + self.allowances + self.expenses


class ClaimEvent(models.Model):
    """One state change of a claim: what it was, what it became, when, who, and why (a query's
    question). The claim's history is its own table rather than read back from the audit trail:
    it is shown to the person and to staff, and the audit trail masks every value."""

    claim = models.ForeignKey(HonorariumClaim, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ClaimStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ClaimStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A process acting on its own (coprod.audit.SystemActor), when `by` is empty.
    by_process = models.CharField(max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"
