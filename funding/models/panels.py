"""A call's panel: its members (each with their seat: LEE, researcher or policymaker), the
composition rule, and each member's conflict declarations."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from funding.enums import EXCLUDING_DECISIONS, ConflictCategory, ConflictDecision, PanelRole
from funding.models.calls import Call, Proposal

DEFAULT_CONFIDENTIALITY_TERMS = _(
    "What you read as a panel member is private. Do not share proposals, scores or what the "
    "panel says with anyone outside the panel. Do not contact applicants about their proposal. "
    "Tell the funding team at once if you find you have a conflict of interest."
)


class Panel(models.Model):
    """The panel that scores a call's proposals. Scoring starts only when the composition rule
    is met or staff record why they go ahead without it (funding.services.panels)."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="panel")
    confidentiality_terms = models.TextField(
        _("confidentiality terms"), default=DEFAULT_CONFIDENTIALITY_TERMS
    )
    # The composition rule: at least one member in every `lee_one_in` is an LEE (3: a third),
    # and, if `needs_every_role`, at least one member of each seat.
    lee_one_in = models.PositiveSmallIntegerField(
        _("at least one LEE in every"), default=3, validators=[MinValueValidator(1)]
    )
    needs_every_role = models.BooleanField(_("needs at least one of each role"), default=True)
    override_reason = models.TextField(_("why scoring starts without the rule met"), blank=True)
    overridden_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    reviewers_per_proposal = models.PositiveSmallIntegerField(
        _("reviewers for each proposal"), default=3, validators=[MinValueValidator(1)]
    )
    scoring_deadline = models.DateTimeField(_("scores due by"), null=True, blank=True)
    scoring_started_at = models.DateTimeField(null=True, blank=True)
    scoring_started_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Staff may close the scoring window before the deadline; it is closed at the deadline anyway.
    scoring_closed_at = models.DateTimeField(null=True, blank=True)
    # Flags on the results page, in points of a score out of 100 (funding.selectors.results).
    lee_flag_threshold = models.DecimalField(
        _("flag when LEE scores differ from the rest by more than (points out of 100)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15"),
    )
    disagreement_threshold = models.DecimalField(
        _("flag when reviewers' scores are further apart than (points out of 100)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("30"),
    )
    # Members needed at a meeting; empty means more than half of the members.
    quorum = models.PositiveSmallIntegerField(_("quorum"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("panel")
        verbose_name_plural = _("panels")
        permissions = [("manage_panel", _("Can build panels, decide conflicts and assign"))]

    def __str__(self) -> str:
        return str(_("Panel for %(call)s") % {"call": self.call})


class PanelMember(models.Model):
    """A person's seat on a panel. `person` is emptied when the person's information is erased:
    their kept scores then belong to "a former member" with the same seat."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(
        "coprod.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="funding_panel_seats",
    )
    role = models.CharField(_("seat on the panel"), max_length=12, choices=PanelRole.choices)
    is_chair = models.BooleanField(_("chair"), default=False)
    confidentiality_accepted_at = models.DateTimeField(null=True, blank=True)
    declarations_done_at = models.DateTimeField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)
    added_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("panel member")
        verbose_name_plural = _("panel members")
        ordering = ["panel", "-is_chair", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "person"],
                condition=Q(person__isnull=False),
                name="funding_member_once_per_panel",
            ),
            models.UniqueConstraint(
                fields=["panel"], condition=Q(is_chair=True), name="funding_one_chair_per_panel"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} #{self.pk}"


class ConflictDeclaration(models.Model):
    """A member's answer for one of the panel's proposals: no conflict, or a conflict with its
    category, which the chair or staff decide. Until decided, a conflicted member is kept out."""

    member = models.ForeignKey(PanelMember, on_delete=models.CASCADE, related_name="declarations")
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    conflicted = models.BooleanField(_("has a conflict"))
    category = models.CharField(
        _("kind of conflict"), max_length=20, choices=ConflictCategory.choices, blank=True
    )
    description = models.CharField(_("in a few words"), max_length=500, blank=True)
    # Set by the system for a member on the proposal's own team (never chosen by them).
    automatic = models.BooleanField(default=False, editable=False)
    declared_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        _("decision"), max_length=10, choices=ConflictDecision.choices, blank=True
    )
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(
        "coprod.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("conflict declaration")
        verbose_name_plural = _("conflict declarations")
        ordering = ["member", "proposal"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "proposal"], name="funding_one_declaration_per_proposal"
            ),
            models.CheckConstraint(
                condition=Q(conflicted=False, category="", decision="")
                | (Q(conflicted=True) & ~Q(category="") & ~Q(decision="")),
                name="funding_conflict_has_category_and_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} / {self.proposal_id}"

    @property
    def excludes(self) -> bool:
        return self.conflicted and self.decision in EXCLUDING_DECISIONS
