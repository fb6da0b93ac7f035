"""Consent per purpose, against a versioned text."""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coprod.enums import ConsentPurpose
from coprod.models.people import Person


class ConsentTextQuerySet(models.QuerySet):
    def published(self, *, at: datetime | Now | None = None) -> ConsentTextQuerySet:
        """Texts published by `at` (default: now by our clock; `Now()` for the database's)."""
        return self.filter(published_at__lte=timezone.now() if at is None else at)


class ConsentText(models.Model):
    """What a person agrees to. A new version replaces the old: consent to an old version no
    longer counts, and the person is asked again."""

    purpose = models.CharField(_("purpose"), max_length=30, choices=ConsentPurpose.choices)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), help_text=_("Plain language. Say who will see what."))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)

    objects = ConsentTextQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"], name="consent_text_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.version}"


class ConsentRecord(models.Model):
    """A person gave consent to one version of a text; withdrawing it sets `withdrawn_at`."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="records")
    purpose = models.CharField(max_length=30, choices=ConsentPurpose.choices, editable=False)
    given_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "coprod.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Who recorded it: the person themself, or staff on their behalf."),
    )

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_active_consent_per_purpose",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} v{self.text.version}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
