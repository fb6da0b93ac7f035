"""Partnership meetings: when and where, the agenda, access arrangements, who was invited and
who came. A paid member's attendance becomes an engagement (recruitment.services)."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from partnerships.enums import MeetingStatus
from partnerships.models.partnerships import Partnership, PartnershipMember

MONEY = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Meeting(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"), default=120, validators=[MinValueValidator(15)]
    )
    place = models.CharField(_("where"), max_length=300, blank=True)
    link = models.URLField(_("link to join online"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    # Access arrangements.
    interpreter = models.BooleanField(_("an interpreter is booked"), default=False)
    interpreter_languages = models.CharField(_("interpreting into"), max_length=200, blank=True)
    travel_paid = models.BooleanField(_("travel costs are paid"), default=False)
    childcare_paid = models.BooleanField(_("childcare costs are paid"), default=False)
    breaks = models.BooleanField(_("there are regular breaks"), default=True)
    access_notes = models.TextField(_("other access arrangements"), blank=True)
    preparation_hours = models.DecimalField(
        _("preparation time paid (hours)"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    status = models.CharField(
        max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    invited = models.ManyToManyField(
        PartnershipMember, through="partnerships.MeetingInvitation", related_name="meetings_invited"
    )
    created_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partnership meeting")
        verbose_name_plural = _("partnership meetings")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["partnership", "starts_at"], name="partnerships_meeting_when")
        ]

    def __str__(self) -> str:
        return self.title


class MeetingInvitation(models.Model):
    """A member invited to a meeting; after it, whether they came and the costs paid for them
    (travel, childcare, interpreter), which go on their engagement as allowances."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(
        PartnershipMember, on_delete=models.CASCADE, related_name="invitations"
    )
    invited_at = models.DateTimeField(auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    travel_cost = models.DecimalField(_("travel"), default=Decimal("0"), **MONEY)
    childcare_cost = models.DecimalField(_("childcare"), default=Decimal("0"), **MONEY)
    interpreter_cost = models.DecimalField(_("interpreter"), default=Decimal("0"), **MONEY)
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting invitation")
        verbose_name_plural = _("meeting invitations")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="partnerships_invited_once"),
        ]

    def __str__(self) -> str:
        return f"{self.meeting_id} / {self.member_id}: {self.attended}"
