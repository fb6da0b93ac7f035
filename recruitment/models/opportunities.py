"""Opportunities for PWLE and LEEs, and the applications (or referrals) made to them, with the
selection's history and scores."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coprod.fields import EncryptedTextField
from recruitment.enums import (
    ApplicationRoute,
    ApplicationStatus,
    EngagementKind,
    OpportunityStatus,
    PayBasis,
    RoleSought,
    WorkMode,
)
from recruitment.models.honoraria import money_field


class Opportunity(models.Model):
    """A piece of work offered to people with lived experience, written in plain language.
    Public once open: nothing here is personal."""

    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("what it is"), help_text=_("Plain language: short sentences, everyday words.")
    )
    role_sought = models.CharField(
        _("who it is for"), max_length=10, choices=RoleSought.choices, default=RoleSought.PWLE
    )
    involves = models.TextField(_("what it involves"))
    time_commitment = models.CharField(
        _("time it takes"), max_length=200, help_text=_("For example “3 meetings of 2 hours”.")
    )
    engagement_kind = models.CharField(
        _("kind of work"),
        max_length=20,
        choices=EngagementKind.choices,
        default=EngagementKind.ADVISORY,
        help_text=_("How the work is recorded and paid (the rates for this kind apply)."),
    )
    pay_rate = money_field(_("pay"))
    pay_basis = models.CharField(
        _("paid"), max_length=10, choices=PayBasis.choices, default=PayBasis.HOUR
    )
    mode = models.CharField(
        _("where"), max_length=10, choices=WorkMode.choices, default=WorkMode.REMOTE
    )
    location = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("A town or area only, never an address."),
    )
    access_support = models.TextField(
        _("access and support offered"),
        help_text=_("For example interpreters, travel paid in advance, childcare, breaks."),
    )
    lived_experience_sought = models.TextField(
        _("experiences we would like to hear from"),
        blank=True,
        help_text=_(
            "The range of lived experience sought, in words people would use themselves. "
            "No one is asked to say what happened to them."
        ),
    )
    places = models.PositiveSmallIntegerField(
        _("number of places"), default=1, validators=[MinValueValidator(1)]
    )
    closes_at = models.DateTimeField(_("closing date"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.DRAFT,
    )
    required_modules = models.ManyToManyField(
        "recruitment.TrainingModule",
        blank=True,
        related_name="required_by",
        verbose_name=_("training needed before starting"),
    )
    # Blind shortlisting: names and referral source are hidden from staff until the shortlist
    # is fixed (`shortlist_fixed_at`).
    blind_shortlisting = models.BooleanField(_("shortlist without names"), default=True)
    shortlist_fixed_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("opportunity")
        verbose_name_plural = _("opportunities")
        ordering = ["closes_at", "pk"]
        permissions = [
            ("manage_selection", _("Can shortlist, score and decide applications")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pay_rate__gte=0),
                name="opportunity_pay_not_negative",
                violation_error_message=_("Pay cannot be less than zero."),
            ),
        ]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == OpportunityStatus.OPEN and self.closes_at > timezone.now()

    @property
    def names_hidden(self) -> bool:
        """Staff see applicants as "Applicant 3" until the shortlist is fixed."""
        return self.blind_shortlisting and self.shortlist_fixed_at is None


class SelectionCriterion(models.Model):
    """What staff look for, in plain words, scored 0 to `max_score` for each application."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("what we look for"), max_length=200)
    guidance = models.TextField(_("guidance for scoring"), blank=True)
    max_score = models.PositiveSmallIntegerField(
        _("highest score"), default=4, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("selection criterion")
        verbose_name_plural = _("selection criteria")
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name


class Application(models.Model):
    """A person's application to an opportunity, made by them or by a practitioner on their
    behalf (a referral, with the person's consent recorded). A draft is an application not yet
    sent: it survives sign-out and moving between devices.

    Restricted (engagement): the answers, support needs and how to reach the person safely, all
    encrypted. Staff see them with the applicant's name hidden while shortlisting is blind."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.PROTECT, related_name="applications"
    )
    person = models.ForeignKey(
        "coprod.Person", on_delete=models.PROTECT, related_name="applications"
    )
    route = models.CharField(
        max_length=10, choices=ApplicationRoute.choices, default=ApplicationRoute.SELF
    )
    referred_by = models.ForeignKey(
        "coprod.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals_made",
        verbose_name=_("referred by"),
    )
    consent_confirmed_at = models.DateTimeField(
        _("the person agreed to the referral on"), null=True, blank=True
    )
    why_interested = EncryptedTextField(_("why you are interested"), blank=True)
    what_they_bring = EncryptedTextField(_("what you would bring"), blank=True)
    support_needs = EncryptedTextField(_("support and access needs"), blank=True)
    safe_contact = EncryptedTextField(_("how and when it is safe to contact you"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    submitted_at = models.DateTimeField(_("sent on"), null=True, blank=True, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The decision's reason (staff only) and the feedback the person is sent at the end.
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    feedback = models.TextField(_("feedback to the person"), blank=True)
    # Position in the opportunity, for "Applicant 3" while names are hidden: stable and not the
    # database id (which would reveal order across opportunities).
    number = models.PositiveIntegerField(editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["opportunity", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "person"],
                name="application_one_per_person",
                violation_error_message=_("This person has already applied for this."),
            ),
            models.UniqueConstraint(
                fields=["opportunity", "number"], name="application_number_unique"
            ),
            models.CheckConstraint(
                condition=~Q(route=ApplicationRoute.REFERRAL)
                | (Q(referred_by__isnull=False) & Q(consent_confirmed_at__isnull=False)),
                name="referral_has_referrer_and_consent",
                violation_error_message=_(
                    "A referral needs the practitioner and the person's agreement."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "opportunity"]),
            models.Index(fields=["person", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} #{self.number}"


class ApplicationEvent(models.Model):
    """One step of an application's selection: from, to, when, who, and why."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, choices=ApplicationStatus.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=ApplicationStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_process = models.CharField(max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class ApplicationScore(models.Model):
    """One member of staff's score of one application against one criterion."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        SelectionCriterion, on_delete=models.CASCADE, related_name="scores"
    )
    scorer = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("application score")
        verbose_name_plural = _("application scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion", "scorer"], name="application_score_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.score}"
