"""Finding a date for the panel meeting: candidate slots, each member's answers, the slot
chosen, and who attended."""

from __future__ import annotations

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from funding.enums import Availability, PollStatus
from funding.models.panels import Panel, PanelMember


class MeetingPoll(models.Model):
    """A poll over candidate slots for a panel meeting. Closed by a periodic task at
    `closes_at` or by staff's button; then the best slot is chosen (funding.services.meetings)
    or, if none qualifies, `no_slot_reason` says why."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="polls")
    title = models.CharField(_("meeting"), max_length=200)
    place = models.CharField(_("where, or the link to join"), max_length=300, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("length in minutes"), default=120, validators=[MinValueValidator(15)]
    )
    closes_at = models.DateTimeField(_("answers close"))
    status = models.CharField(max_length=10, choices=PollStatus.choices, default=PollStatus.OPEN)
    chosen_slot = models.ForeignKey(
        "funding.MeetingSlot", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    no_slot_reason = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting poll")
        verbose_name_plural = _("meeting polls")
        ordering = ["closes_at", "pk"]
        indexes = [models.Index(fields=["status", "closes_at"], name="funding_poll_due")]

    def __str__(self) -> str:
        return self.title


class MeetingSlot(models.Model):
    poll = models.ForeignKey(MeetingPoll, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))

    class Meta:
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "starts_at"], name="funding_slot_once"),
        ]

    def __str__(self) -> str:
        return self.starts_at.isoformat()


class SlotAnswer(models.Model):
    """A member's yes / if need be / no for one slot."""

    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="slot_answers")
    answer = models.CharField(_("can you come?"), max_length=12, choices=Availability.choices)
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("availability")
        verbose_name_plural = _("availability")
        constraints = [
            models.UniqueConstraint(fields=["slot", "member"], name="funding_answer_once"),
        ]

    def __str__(self) -> str:
        return f"{self.slot_id} / {self.member_id}: {self.answer}"


class MeetingAttendance(models.Model):
    """Who came to the meeting (recorded by staff; an attendance becomes an engagement)."""

    poll = models.ForeignKey(MeetingPoll, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="attendance")
    attended = models.BooleanField(_("attended"))
    recorded_at = models.DateTimeField(auto_now=True)
    recorded_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting attendance")
        verbose_name_plural = _("meeting attendance")
        constraints = [
            models.UniqueConstraint(fields=["poll", "member"], name="funding_attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.poll_id} / {self.member_id}: {self.attended}"
