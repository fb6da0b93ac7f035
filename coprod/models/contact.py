"""How a person can safely be contacted."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from coprod.enums import ContactChannel, MessageDetail
from coprod.fields import EncryptedTextField
from coprod.models.people import Person, london_today


class SafeContactPreferences(models.Model):
    """Every message the system sends goes through coprod.services.notifications, which applies
    these. Restricted (engagement) as a whole."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="safe_contact")
    channels = models.JSONField(
        _("safe ways to contact"),
        default=list,
        blank=True,
        help_text=_("Values from ContactChannel."),
    )
    safe_times = models.JSONField(
        _("safe times"), default=list, blank=True, help_text=_("Values from SafeTime.")
    )
    voicemail_ok = models.BooleanField(_("a voicemail may be left"), default=False)
    message_detail = models.CharField(
        _("how much a message may say"),
        max_length=20,
        choices=MessageDetail.choices,
        default=MessageDetail.NEUTRAL,
    )
    person_initiates_only = models.BooleanField(_("only the person starts contact"), default=False)
    support_worker = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supported_people",
        verbose_name=_("support worker"),
    )
    safety_notes = EncryptedTextField(_("safety notes"), blank=True)
    confirmed_at = models.DateTimeField(_("last confirmed"), null=True, blank=True)
    reconfirm_by = models.DateField(_("re-confirm by"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("safe-contact preferences")
        verbose_name_plural = _("safe-contact preferences")

    def __str__(self) -> str:
        return str(_("Safe-contact preferences"))

    def clean(self) -> None:
        super().clean()
        # Checked when the support worker is chosen, not on every save: a worker whose role ends
        # later must not stop the person changing anything else. Messages check again when they
        # are routed (coprod.services.notifications.decide_delivery).
        if (
            self.support_worker_id is None
            or self.support_worker_id == self._saved_support_worker_id()
        ):
            return
        if not Person.objects.support_workers().filter(pk=self.support_worker_id).exists():
            raise ValidationError(
                {
                    "support_worker": _(
                        "Choose a practitioner: a support worker must be taking part and hold "
                        "a current practitioner role."
                    )
                }
            )

    def _saved_support_worker_id(self) -> int | None:
        if self.pk is None:
            return None
        saved = SafeContactPreferences.objects.filter(pk=self.pk)
        return saved.values_list("support_worker_id", flat=True).first()

    def allows(self, channel: ContactChannel | str) -> bool:
        return channel in self.channels

    def reconfirmation_overdue(self, today: date | None = None) -> bool:
        return self.reconfirm_by is not None and self.reconfirm_by < (today or london_today())
