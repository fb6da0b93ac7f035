"""Partnerships: a piece of joint work with members, partner organisations, a lead member of
staff, and a place on the participation ladder that changes step by step, each change recorded."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from partnerships.enums import ParticipationLevel, PartnershipRole, PartnershipStatus
from partnerships.models.organisations import Organisation


class Partnership(models.Model):
    title = models.CharField(_("title"), max_length=200)
    aims = models.TextField(_("aims, in plain language"))
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="partnerships",
        verbose_name=_("partner organisations"),
    )
    lead = models.ForeignKey(
        "coprod.User",
        on_delete=models.PROTECT,
        related_name="led_partnerships",
        verbose_name=_("lead member of staff"),
        limit_choices_to={"is_staff": True},
    )
    starts_on = models.DateField(_("start date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PartnershipStatus.choices,
        default=PartnershipStatus.FORMING,
    )
    # Where it stands now: always the `to_level` of its latest LevelChange (kept by
    # partnerships.services; the first change is made when the partnership is created).
    level = models.PositiveSmallIntegerField(
        _("participation level"),
        choices=ParticipationLevel.choices,
        default=ParticipationLevel.INFORM,
    )
    created_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="partnerships_ends_after_start",
            ),
        ]
        permissions = [
            ("change_level", _("Can move a partnership on the participation ladder")),
        ]

    def __str__(self) -> str:
        return self.title


class PartnershipMember(models.Model):
    """A person in a partnership, with the role they hold in it. `left_on` ends the membership
    (the row stays: it says who took part in what was decided then)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "coprod.Person", on_delete=models.CASCADE, related_name="partnership_memberships"
    )
    role = models.CharField(
        _("role in the partnership"), max_length=20, choices=PartnershipRole.choices
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    added_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("partnership member")
        verbose_name_plural = _("partnership members")
        ordering = ["partnership", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "person"], name="partnerships_member_once"
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="partnerships_member_leaves_after_joining",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "partnership"], name="partnerships_member_person")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} in {self.partnership_id} ({self.role})"


class LevelChange(models.Model):
    """One step on the ladder: when, who agreed it and why. The first (from_level None) is where
    the partnership started. A move up by more than one step carries a justification."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="level_changes"
    )
    from_level = models.PositiveSmallIntegerField(
        _("from"), choices=ParticipationLevel.choices, null=True, blank=True
    )
    to_level = models.PositiveSmallIntegerField(_("to"), choices=ParticipationLevel.choices)
    changed_on = models.DateField(_("date of the change"))
    agreed_by = models.CharField(
        _("who agreed it"),
        max_length=300,
        help_text=_("For example: the steering group, with the lived experience members."),
    )
    reason = models.TextField(_("why"))
    justification = models.TextField(
        _("why more than one step at once"),
        blank=True,
        help_text=_("Needed when the partnership moves up by more than one step."),
    )
    recorded_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participation level change")
        verbose_name_plural = _("participation level changes")
        ordering = ["partnership", "changed_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="partnerships_level_change_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(from_level__isnull=True)
                | Q(to_level__lte=F("from_level") + 1)
                | ~Q(justification=""),
                name="partnerships_level_jump_justified",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.partnership_id}: {self.from_level} → {self.to_level}"

    @property
    def steps(self) -> int:
        return self.to_level - (self.from_level or self.to_level)
