"""A person's requests about their own data."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coprod.enums import ErasureStatus
from coprod.models.people import Person


class ErasureRequest(models.Model):
    """A person asked for everything held about them to be deleted. The engagement team carries
    it out (coprod.services.rights.erase_person). The row stays afterwards, with nothing personal
    in it, as the record that it was asked for and done."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="erasure_requests")
    status = models.CharField(
        _("status"), max_length=20, choices=ErasureStatus.choices, default=ErasureStatus.PENDING
    )
    requested_at = models.DateTimeField(_("asked on"), default=timezone.now)
    requested_by = models.ForeignKey(
        "coprod.User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The person themself, or staff who recorded their request."),
    )
    decided_at = models.DateTimeField(_("done or cancelled on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(
        _("reason"),
        max_length=300,
        blank=True,
        help_text=_("Why it was carried out or cancelled. Never a name or contact detail."),
    )

    class Meta:
        verbose_name = _("request to delete information")
        verbose_name_plural = _("requests to delete information")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status=ErasureStatus.PENDING),
                name="one_pending_erasure_request_per_person",
            )
        ]
        permissions = [("erase_person", _("Can delete all of a person's information"))]

    def __str__(self) -> str:
        return f"{self.get_status_display()} ({self.requested_at:%Y-%m-%d})"
