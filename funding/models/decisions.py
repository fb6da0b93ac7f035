"""The panel's decision on a proposal, and the feedback its applicant gets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from funding.enums import DecisionOutcome
from funding.models.calls import Proposal


class Decision(models.Model):
    """Fund, fund with conditions, or do not fund, with the rationale and any dissent. When the
    results flagged a difference between LEE scores and the rest, `lee_view` (how the LEE view
    was weighed) is required. Sent to the applicant when the call is decided."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="decision")
    outcome = models.CharField(_("decision"), max_length=12, choices=DecisionOutcome.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    rationale = models.TextField(_("rationale"))
    dissent = models.TextField(_("dissent"), blank=True)
    lee_flag_raised = models.BooleanField(default=False, editable=False)
    lee_view = models.TextField(_("how the lived experience view was weighed"), blank=True)
    feedback = models.TextField(_("feedback for the applicant"), blank=True)
    decided_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    feedback_sent_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        permissions = [("decide_proposal", _("Can record funding decisions"))]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.outcome}"
