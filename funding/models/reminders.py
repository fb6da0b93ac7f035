"""Funding reminders sent: one row per reminder per thing per occasion (the same pattern as
recruitment.models.Reminder: the row and its outbox message are saved in one transaction, so a
sweep that runs twice or dies half way sends each reminder once)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from funding.enums import FundingReminderKind


class FundingReminder(models.Model):
    """`object_id` is the review (scoring) or the membership (meeting) the reminder is for;
    `occasion` names the round ("3-days", "1-day", or with the poll's id)."""

    kind = models.CharField(max_length=20, choices=FundingReminderKind.choices)
    object_id = models.PositiveBigIntegerField()
    occasion = models.CharField(max_length=40, default="")
    notification = models.ForeignKey(
        "coprod.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    batch = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("funding reminder")
        verbose_name_plural = _("funding reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "occasion"], name="funding_reminder_once"
            ),
        ]
        indexes = [models.Index(fields=["batch"], name="funding_reminder_batch")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.occasion}"
