"""The outbox: every message the system sends, with what was sent when."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coprod.enums import HoldReason, NotificationCategory, NotificationStatus
from coprod.fields import EncryptedJSONField, EncryptedTextField
from coprod.models.people import Person


class Notification(models.Model):
    """One message to one person. `idempotency_key` is unique, so the same notification is never
    created (or sent) twice. Content is encrypted at rest; staff lists show kind and status only."""

    idempotency_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=80)
    category = models.CharField(
        max_length=20, choices=NotificationCategory.choices, default=NotificationCategory.GENERAL
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        help_text=_("Empty only for account emails to an address with no account."),
    )
    # {"full": {"subject", "body"}, "neutral": {"subject", "body"}}; which one goes out depends on
    # the person's preferences at the moment of sending.
    content = EncryptedJSONField()
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NotificationStatus.choices,
        default=NotificationStatus.QUEUED,
    )
    hold_reason = models.CharField(
        _("why it is held"), max_length=30, choices=HoldReason.choices, blank=True
    )
    send_after = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # What actually went out.
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_to = EncryptedTextField(blank=True)
    sent_variant = models.CharField(max_length=10, blank=True)
    routed_via = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("routed through"),
    )
    # Never personal data: an exception class name and a short reason.
    last_error = models.CharField(max_length=200, blank=True)
    handled_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_note = EncryptedTextField(_("how it was handled"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "send_after"])]

    def __str__(self) -> str:
        return f"{self.kind} ({self.get_status_display()})"
