"""A member's review of one proposal, and a score for each criterion."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from funding.enums import ReviewStatus
from funding.models.calls import Criterion, Proposal
from funding.models.panels import PanelMember


class Review(models.Model):
    """An assignment of a proposal to a panel member, and the review they write for it: scores
    saved as a draft, then sent (locked; staff may reopen it with a reason). Stepping back needs
    no reason and does not count against the member."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="reviews")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reviews")
    status = models.CharField(
        _("status"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.ASSIGNED
    )
    assigned_at = models.DateTimeField(auto_now_add=True)
    assigned_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    automatic = models.BooleanField(_("assigned automatically"), default=False)
    comment = models.TextField(_("notes for the panel"), blank=True)
    feedback = models.TextField(_("feedback for the applicant"), blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    stepped_back_at = models.DateTimeField(null=True, blank=True)
    # An assisted review: staff entered it after talking it through with the member.
    assisted_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopened_at = models.DateTimeField(null=True, blank=True)
    reopened_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("why it was reopened"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["proposal", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "proposal"], name="funding_review_once"),
        ]
        indexes = [models.Index(fields=["proposal", "status"], name="funding_review_status")]

    def __str__(self) -> str:
        return f"{self.proposal_id} / {self.member_id}"


class Score(models.Model):
    """A score for one criterion (from 1 to the criterion's highest score), with a comment."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("score"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["review", "criterion__order", "criterion"]
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="funding_score_once"),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__gte=1), name="funding_score_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"
