"""Partnership reminders sent: one row per reminder per thing per occasion (the pattern of
funding.models.FundingReminder: the row and its outbox message are saved in one transaction, so
a sweep that runs twice or dies half way sends each reminder once)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.enums import PartnershipReminderKind


class PartnershipReminder(models.Model):
    """`object_id` is the agreement (review due) or the "you said" item (open too long);
    `occasion` names the round (e.g. "30-days:2027-01-31", so a new review date reminds again)."""

    kind = models.CharField(max_length=20, choices=PartnershipReminderKind.choices)
    object_id = models.PositiveBigIntegerField()
    occasion = models.CharField(max_length=40, default="")
    notification = models.ForeignKey(
        "coprod.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    batch = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("partnership reminder")
        verbose_name_plural = _("partnership reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "occasion"], name="partnerships_reminder_once"
            ),
        ]
        indexes = [models.Index(fields=["batch"], name="partnerships_reminder_batch")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.occasion}"
