"""Invitations: how PWLE, LEEs, practitioners and policymakers get a login."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coprod.enums import InvitationStatus, Role
from coprod.fields import EncryptedTextField
from coprod.models.people import Person


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A single-use link that lasts COPROD_INVITATION_DAYS. Only the token's hash is stored: the
    link itself exists in the email (encrypted in the outbox) and on the sender's screen once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    email = EncryptedTextField(_("email address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    expires_at = models.DateTimeField()
    invited_by = models.ForeignKey(
        "coprod.User", on_delete=models.PROTECT, related_name="invitations_sent"
    )
    sent_by_email = models.BooleanField(_("sent by email"), default=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} ({self.get_status_display()})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_usable(self) -> bool:
        return self.status == InvitationStatus.PENDING and not self.is_expired
