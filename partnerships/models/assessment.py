"""The five-values self-assessment: rounds that staff open for a partnership, and the members'
answers.

Answers are anonymous by construction. Who has answered a round (`AssessmentParticipation`,
to refuse a second answer) and what was answered (`AssessmentResponse` with its
`AssessmentAnswer`s) are kept apart with nothing joining them: a response carries only the role
the member held in the partnership (for results by role), no person, no time, and a random id (so
the order rows were saved in does not link a response to a participation)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.enums import CoproductionValue, PartnershipRole, Rating, RoundStatus
from partnerships.models.partnerships import Partnership


class AssessmentRound(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="assessment_rounds"
    )
    title = models.CharField(
        _("name of the round"), max_length=120, help_text=_("For example: Spring 2026.")
    )
    opened_on = models.DateField(_("opened on"))
    closes_on = models.DateField(_("answers close on"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    opened_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("self-assessment round")
        verbose_name_plural = _("self-assessment rounds")
        ordering = ["partnership", "opened_on", "pk"]
        constraints = [
            # One open round per partnership at a time.
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(status=RoundStatus.OPEN),
                name="partnerships_one_open_round",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class AssessmentParticipation(models.Model):
    """That a person has answered a round (and when): never linked to what they answered."""

    round = models.ForeignKey(
        AssessmentRound, on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        "coprod.Person", on_delete=models.CASCADE, related_name="assessment_participations"
    )
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("self-assessment participation")
        verbose_name_plural = _("self-assessment participations")
        constraints = [
            models.UniqueConstraint(fields=["round", "person"], name="partnerships_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} answered {self.round_id}"


class AssessmentResponse(models.Model):
    """One member's anonymous answers to a round: only their role in the partnership."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey(AssessmentRound, on_delete=models.CASCADE, related_name="responses")
    role = models.CharField(max_length=20, choices=PartnershipRole.choices)

    class Meta:
        verbose_name = _("self-assessment response")
        verbose_name_plural = _("self-assessment responses")
        indexes = [models.Index(fields=["round", "role"], name="partnerships_response_role")]

    def __str__(self) -> str:
        return f"{self.round_id} ({self.role})"


class AssessmentAnswer(models.Model):
    response = models.ForeignKey(
        AssessmentResponse, on_delete=models.CASCADE, related_name="answers"
    )
    value = models.CharField(max_length=20, choices=CoproductionValue.choices)
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("self-assessment answer")
        verbose_name_plural = _("self-assessment answers")
        constraints = [
            models.UniqueConstraint(fields=["response", "value"], name="partnerships_value_once"),
            models.CheckConstraint(
                condition=Q(rating__gte=Rating.NOT_AT_ALL) & Q(rating__lte=Rating.FULLY),
                name="partnerships_rating_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.rating}"
