"""Funding calls, their weighted criteria, and the proposals researchers send to them."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.enums import CallStatus, Eligibility, ProposalStatus, ScoredBy

SUMMARY_MAX_LENGTH = 1200
# The criterion every call keeps (funding.services.create_call adds it).
LIVED_EXPERIENCE_KEY = "lived_experience"


def money_field(verbose_name: str, **kwargs: object) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=12, decimal_places=2, **kwargs)


class Call(models.Model):
    """A call for research proposals, public once open: nothing here is personal."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(
        _("what the call is for"),
        help_text=_("Plain language: short sentences, everyday words."),
    )
    budget = money_field(_("budget"), validators=[MinValueValidator(Decimal("0.01"))])
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    eligibility = models.TextField(_("who can apply"))
    status = models.CharField(
        _("status"), max_length=10, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("funding call")
        verbose_name_plural = _("funding calls")
        ordering = ["closes_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gt=0),
                name="funding_call_budget_positive",
                violation_error_message=_("The budget must be more than zero."),
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": _("The call must close after it opens.")}, code="closes_before"
            )
        if self.pk and self.budget is not None:
            largest = (
                self.proposals.exclude(status=ProposalStatus.WITHDRAWN)
                .aggregate(largest=models.Max("requested_amount"))
                .get("largest")
            )
            if largest is not None and self.budget < largest:
                raise ValidationError(
                    {
                        "budget": _(
                            "The budget cannot be less than the largest amount already asked "
                            "for in a proposal (£%(largest)s)."
                        )
                        % {"largest": Decimal(largest).quantize(Decimal("0.01"))}
                    },
                    code="budget_below_requested",
                )

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status == CallStatus.OPEN and self.opens_at <= now < self.closes_at


class Criterion(models.Model):
    """What reviewers score, with plain-language guidance, weighted within the call."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=200)
    guidance = models.TextField(_("guidance for reviewers"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    scored_by = models.CharField(
        _("who scores it"), max_length=10, choices=ScoredBy.choices, default=ScoredBy.EVERYONE
    )
    # Marks the lived experience criterion, which cannot be deleted.
    key = models.CharField(max_length=30, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "key"],
                condition=~Q(key=""),
                name="funding_criterion_key_once_per_call",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_lived_experience(self) -> bool:
        return self.key == LIVED_EXPERIENCE_KEY

    # What scoring rests on: fixed once the call is open (proposals are written to them).
    FIXED_ONCE_OPEN = ("weight", "scale_max", "scored_by")

    def clean(self) -> None:
        """Once the call is open, no criterion is added and none is re-weighted, re-scaled or
        given to other scorers: researchers wrote to them, and reviewers score against them. Its
        name, guidance and order can still be corrected."""
        from django.core.exceptions import ValidationError

        if not self.call_id or self.call.status == CallStatus.DRAFT:
            return
        if self.pk is None:
            raise ValidationError(
                _("The call is open: no criterion can be added to it now."), code="call_open"
            )
        before = Criterion.objects.filter(pk=self.pk).values(*self.FIXED_ONCE_OPEN).first()
        if before is None:
            return
        changed = {
            name: _("The call is open: this cannot be changed now (it was %(before)s).")
            % {"before": before[name]}
            for name in self.FIXED_ONCE_OPEN
            if getattr(self, name) != before[name]
        }
        if changed:
            raise ValidationError(changed, code="call_open")

    def delete(self, *args: object, **kwargs: object):  # type: ignore[override]
        from django.core.exceptions import ValidationError

        if self.is_lived_experience:
            raise ValidationError(
                _("Every call keeps its criterion about involving people with lived experience.")
            )
        if self.call.status != CallStatus.DRAFT:
            raise ValidationError(
                _("The call is open: its criteria cannot be deleted now."), code="call_open"
            )
        return super().delete(*args, **kwargs)


class Proposal(models.Model):
    """A researcher's proposal to a call. A draft survives sign-out; once submitted it is
    read-only to its applicant (who may withdraw it)."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    applicant = models.ForeignKey(
        "coprod.Person",
        on_delete=models.PROTECT,
        related_name="funding_proposals",
        verbose_name=_("applicant"),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("plain-language summary"),
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text=_(
            "Up to 1,200 characters, in words anyone on the panel can follow: short sentences, "
            "everyday words. We show a reading-age hint: it is only a hint."
        ),
    )
    description = models.TextField(_("full description"), blank=True)
    requested_amount = money_field(
        _("amount requested"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    team = models.TextField(_("team members"), blank=True)
    lived_experience_involvement = models.TextField(
        _("how people with lived experience will be involved and paid"), blank=True
    )
    content_warning = models.CharField(
        _("content warning"),
        max_length=300,
        blank=True,
        help_text=_("Optional: topics a reader may find distressing."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted on"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    eligibility = models.CharField(
        _("eligibility"), max_length=10, choices=Eligibility.choices, default=Eligibility.UNCHECKED
    )
    ineligible_reason = models.TextField(_("why it is not eligible"), blank=True)
    eligibility_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    eligibility_checked_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["call", "pk"]
        permissions = [
            ("check_eligibility", _("Can check a proposal's eligibility")),
            # Granted on single proposals (django-guardian) to the panel members assigned to
            # them and not kept out by a conflict (funding.services.panels).
            ("review_proposal", _("Can open and score a proposal as a panel member")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "applicant"],
                condition=~Q(status=ProposalStatus.WITHDRAWN),
                name="funding_one_live_proposal_per_call",
                violation_error_message=_("You already have a proposal for this call."),
            ),
            models.CheckConstraint(
                condition=Q(requested_amount__isnull=True) | Q(requested_amount__gt=0),
                name="funding_proposal_amount_positive",
                violation_error_message=_("The amount requested must be more than zero."),
            ),
        ]
        indexes = [models.Index(fields=["applicant", "status"])]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.requested_amount is not None
            and self.call_id
            and self.requested_amount > self.call.budget
        ):
            raise ValidationError(
                {
                    "requested_amount": _(
                        "The amount requested cannot be more than the call's budget (£%(budget)s)."
                    )
                    % {"budget": self.call.budget}
                },
                code="over_budget",
            )
