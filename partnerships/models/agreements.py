"""Agreements a partnership works under, with their review dates and the signed document."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partnerships.enums import AgreementKind
from partnerships.models.files import partnership_file_storage
from partnerships.models.partnerships import Partnership


class Agreement(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("kind of agreement"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    signed_on = models.DateField(_("signed on"))
    review_on = models.DateField(_("review due on"))
    document = models.FileField(
        _("document"),
        storage=partnership_file_storage,
        upload_to="agreements/",
        max_length=200,
        blank=True,
    )
    document_name = models.CharField(
        _("file name"),
        max_length=200,
        blank=True,
        help_text=_("Shown only: the stored file has another."),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["review_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_on__gte=F("signed_on")),
                name="partnerships_review_after_signing",
            ),
        ]
        indexes = [models.Index(fields=["review_on"], name="partnerships_agreement_review")]

    def __str__(self) -> str:
        return self.title
