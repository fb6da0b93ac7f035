"""Partner organisations and the practitioners who work in them."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.enums import OrganisationKind


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind of organisation"), max_length=20, choices=OrganisationKind.choices
    )
    region = models.CharField(_("region"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    # The named person to tell about a safeguarding concern (someone at the organisation, who
    # need not have an account here).
    safeguarding_contact_name = models.CharField(_("safeguarding contact"), max_length=120)
    safeguarding_contact_email = models.EmailField(_("safeguarding contact's email"), blank=True)
    safeguarding_contact_phone = models.CharField(
        _("safeguarding contact's phone"), max_length=40, blank=True
    )
    practitioners = models.ManyToManyField(
        "coprod.Person",
        through="partnerships.OrganisationPractitioner",
        related_name="partner_organisations",
        verbose_name=_("practitioners"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OrganisationPractitioner(models.Model):
    """A practitioner (a person holding that role) who works at a partner organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="practitioner_links"
    )
    person = models.ForeignKey(
        "coprod.Person", on_delete=models.CASCADE, related_name="organisation_links"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("practitioner at an organisation")
        verbose_name_plural = _("practitioners at organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person"], name="partnerships_practitioner_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} @ {self.organisation_id}"
