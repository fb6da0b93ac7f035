"""Server-side drafts, so a session timeout never loses what someone typed."""

from __future__ import annotations

from django.db import models

from coprod.fields import EncryptedJSONField


class FormDraft(models.Model):
    user = models.ForeignKey("coprod.User", on_delete=models.CASCADE, related_name="form_drafts")
    path = models.CharField(max_length=255)
    data = EncryptedJSONField()
    saved_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "path"], name="one_draft_per_user_and_page")
        ]

    def __str__(self) -> str:
        return self.path
