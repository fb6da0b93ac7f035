"""Reminders sent: one row per reminder per thing per occasion."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recruitment.enums import ReminderKind


class Reminder(models.Model):
    """ "This reminder, about this thing, on this occasion, has been queued." The unique
    constraint makes a sweep that runs twice (or dies half way and runs again) queue each
    reminder once: the row and its outbox message are saved in one transaction.

    `object_id` is the claim, engagement, application or eligibility the reminder is about (its
    kind says which); `occasion` names the round (a date for a digest, "late" or "due-soon" for
    a claim). A staff digest's row has the recipient's person as `object_id` and
    "digest:<date>" as occasion (recruitment.services.reminders).

    `batch` is the sweep that inserted the row: a sweep inserts its rows ignoring those already
    there, then reads back the ones carrying its own batch, which are the reminders it (and no
    other sweep) is to send."""

    kind = models.CharField(max_length=30, choices=ReminderKind.choices)
    object_id = models.PositiveBigIntegerField()
    occasion = models.CharField(max_length=40, default="")
    notification = models.ForeignKey(
        "coprod.Notification", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    batch = models.UUIDField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "occasion"], name="reminder_once"),
        ]
        indexes = [models.Index(fields=["batch"], name="reminder_batch")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.occasion}"
