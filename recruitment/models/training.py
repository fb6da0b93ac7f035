"""Training modules, who has completed them, and each accepted person's onboarding checklist."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainingModule(models.Model):
    """A piece of training, e.g. induction, trauma-informed practice, reviewing proposals."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    summary = models.TextField(_("what it covers"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    active = models.BooleanField(_("offered now"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TrainingCompletion(models.Model):
    """A person completed a module on a day (recorded by staff)."""

    person = models.ForeignKey(
        "coprod.Person", on_delete=models.CASCADE, related_name="training_completions"
    )
    module = models.ForeignKey(TrainingModule, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("completed on"))
    recorded_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        ordering = ["-completed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "module"],
                name="training_completed_once",
                violation_error_message=_("This person has already completed this module."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.module} ({self.completed_on})"


class Onboarding(models.Model):
    """The checklist of a person who accepted an offer: agreement signed, how they want to be
    paid (read from their PaymentEligibility, not copied), access needs confirmed. One per person:
    a second offer does not ask again for what is done."""

    person = models.OneToOneField(
        "coprod.Person", on_delete=models.CASCADE, related_name="onboarding"
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    access_needs_confirmed_on = models.DateField(
        _("access and support needs confirmed on"), null=True, blank=True
    )
    started_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("onboarding")
        verbose_name_plural = _("onboarding")

    def __str__(self) -> str:
        return str(_("Onboarding"))
