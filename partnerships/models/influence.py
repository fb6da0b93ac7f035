"""Decisions, tensions and influence: the decision log (with any tension and how it was
resolved), the barriers the partnership meets, and "you said, we did"."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from partnerships.enums import BarrierKind, BarrierStatus, TensionStatus, YouSaidStatus
from partnerships.models.partnerships import Partnership


class Decision(models.Model):
    """An entry of the decision log. A tension (a disagreement between participants) is recorded
    with the views held and how it was resolved, or that it remains open."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="decisions")
    decided_on = models.DateField(_("decided on"))
    summary = models.TextField(_("what was decided"))
    decided_by = models.CharField(
        _("who decided"),
        max_length=300,
        help_text=_("For example: the whole partnership, by consensus."),
    )
    tension_status = models.CharField(
        _("tension or disagreement"),
        max_length=10,
        choices=TensionStatus.choices,
        default=TensionStatus.NONE,
    )
    tension = models.TextField(_("what the disagreement was about"), blank=True)
    views_held = models.TextField(_("the views held"), blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    recorded_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(tension_status=TensionStatus.NONE) | ~Q(tension=""),
                name="partnerships_tension_described",
            ),
            models.CheckConstraint(
                condition=~Q(tension_status=TensionStatus.RESOLVED) | ~Q(resolution=""),
                name="partnerships_tension_resolution",
            ),
        ]

    def __str__(self) -> str:
        return self.summary[:60]


class Barrier(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="barriers")
    kind = models.CharField(_("kind of barrier"), max_length=20, choices=BarrierKind.choices)
    description = models.TextField(_("what the barrier is"))
    action = models.TextField(_("what is being done about it"), blank=True)
    status = models.CharField(
        max_length=10, choices=BarrierStatus.choices, default=BarrierStatus.OPEN
    )
    raised_on = models.DateField(_("noticed on"))
    addressed_on = models.DateField(_("dealt with on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")
        ordering = ["status", "-raised_on", "pk"]
        indexes = [models.Index(fields=["status", "kind"], name="partnerships_barrier_open")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:40]}"


class YouSaidItem(models.Model):
    """ "You said, we did": lived experience input, the response and what changed.

    `given_by` is who said it (a member; shown by display name, or as "anonymous" when
    `anonymous`). Closing the item (any status but open) tells them what came of it, once, through
    the outbox. `keep_words` is their agreement that their words stay after they ask for their
    information to be deleted (without it, erasure empties `said`)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="you_said")
    given_by = models.ForeignKey(
        "coprod.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="you_said_items",
    )
    anonymous = models.BooleanField(_("show as anonymous"), default=False)
    keep_words = models.BooleanField(
        _("their words may stay if they ask us to delete their information"), default=False
    )
    said = models.TextField(_("what was said"))
    said_on = models.DateField(_("said on"))
    response = models.TextField(_("our response"), blank=True)
    what_changed = models.TextField(_("what changed"), blank=True)
    status = models.CharField(
        max_length=15, choices=YouSaidStatus.choices, default=YouSaidStatus.OPEN
    )
    reason = models.TextField(
        _("why not (fully) acted on"),
        blank=True,
        help_text=_("Needed when it was only partly acted on, or not at all."),
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("you said, we did")
        verbose_name_plural = _("you said, we did")
        ordering = ["-said_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=YouSaidStatus.OPEN)
                | Q(status=YouSaidStatus.ACTED_ON)
                | ~Q(reason=""),
                name="partnerships_you_said_reason",
            ),
        ]
        indexes = [models.Index(fields=["status", "said_on"], name="partnerships_you_said_open")]

    def __str__(self) -> str:
        return self.said[:60]
