"""Workflows for a call's panel: building it (settings, members, chair), the composition rule,
starting scoring, members accepting the confidentiality terms and declaring conflicts, the chair
or staff deciding conflicts, and assigning reviewers (by hand or automatically).

Every service that changes a fact the access rule reads (terms accepted, declarations,
decisions, membership, assignments) calls `funding.permissions.sync_proposal_access` in its own
transaction."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.enums import Role
from coprod.models import Person, User
from coprod.services.notifications import queue_notification
from funding.enums import (
    CallStatus,
    ConflictCategory,
    ConflictDecision,
    PanelRole,
    ReviewStatus,
)
from funding.models import Call, ConflictDeclaration, Panel, PanelMember
from funding.permissions import may_manage_panels, panel_proposals, sync_proposal_access
from funding.services.calls import move_call

MANAGE_PANEL = "funding.manage_panel"
# The settings staff may set on a panel.
PANEL_FIELDS = (
    "confidentiality_terms",
    "lee_one_in",
    "needs_every_role",
    "reviewers_per_proposal",
    "scoring_deadline",
    "lee_flag_threshold",
    "disagreement_threshold",
    "quorum",
)
# The role a person must hold today to take each seat.
SEAT_ROLES = {
    PanelRole.LEE: Role.LEE,
    PanelRole.RESEARCHER: Role.RESEARCHER,
    PanelRole.POLICYMAKER: Role.POLICYMAKER,
}
# Ties in automatic assignment go to the seat first in this order, then to the lower id. LEEs
# come last: each proposal's first pick is an LEE anyway, and the panel's fewer LEEs are kept for
# the proposals that still need one.
SEAT_ORDER = {PanelRole.RESEARCHER: 0, PanelRole.POLICYMAKER: 1, PanelRole.LEE: 2}
# What a member may choose (the system records OWN_PROPOSAL itself).
DECLARABLE_CATEGORIES = [
    (value, label) for value, label in ConflictCategory.choices if value != "own_proposal"
]
# What the chair or staff may decide; the last two need a reason.
DECISIONS = (ConflictDecision.EXCLUDED, ConflictDecision.CONTINUE, ConflictDecision.WAIVED)
DECISIONS_NEEDING_REASON = frozenset({ConflictDecision.CONTINUE, ConflictDecision.WAIVED})
# Reviews that count towards a proposal's reviewers and a member's load.
COUNTED_REVIEWS = ~Q(status=ReviewStatus.STEPPED_BACK)


def _refuse_unless_manager(by: Actor) -> None:
    if isinstance(by, User) and not (by.is_staff and by.has_perm(MANAGE_PANEL)):
        raise ValidationError(_("You do not have permission to do this."), code="not_allowed")


def _by_user(by: Actor) -> User | None:
    return by if isinstance(by, User) else None


# Composition ------------------------------------------------------------------------------------


def composition_problems(panel: Panel, roles: list[str] | None = None) -> list[str]:
    """What the panel's composition rule finds missing (empty when it is met). `roles`: the
    members' seats, if already read (one query otherwise)."""
    if roles is None:
        roles = list(
            PanelMember.objects.filter(panel=panel).order_by().values_list("role", flat=True)
        )
    if not roles:
        return [_("The panel has no members yet.")]
    problems = []
    counts = Counter(roles)
    lees_needed = math.ceil(len(roles) / panel.lee_one_in)
    if counts[PanelRole.LEE] < lees_needed:
        problems.append(
            _(
                "At least %(needed)s of its %(total)s members must be lived experience experts "
                "(one in every %(every)s): it has %(lees)s."
            )
            % {
                "needed": lees_needed,
                "total": len(roles),
                "every": panel.lee_one_in,
                "lees": counts[PanelRole.LEE],
            }
        )
    if panel.needs_every_role:
        for role in PanelRole:
            if counts[role] == 0:
                problems.append(
                    _("It has no member in the seat “%(seat)s”.") % {"seat": role.label}
                )
    return problems


# Building the panel -----------------------------------------------------------------------------


def _set_panel_fields(panel: Panel, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PANEL_FIELDS)
    if unknown:
        raise TypeError(f"Not a panel setting: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(panel, name, value.strip() if isinstance(value, str) else value)


@records_actor
@transaction.atomic
def create_panel(call: Call, *, by: Actor, **fields: Any) -> Panel:
    """The panel of `call` (one per call), with any of its settings (PANEL_FIELDS). A panel can
    be built from the call's draft on, but not once it is decided.

    Side effects: saves the Panel."""
    _refuse_unless_manager(by)
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.status == CallStatus.DECIDED:
        raise ValidationError(_("This call is decided: it needs no panel now."), code="decided")
    if Panel.objects.filter(call=locked).exists():
        raise ValidationError(_("This call already has a panel."), code="exists")
    panel = Panel(call=locked)
    _set_panel_fields(panel, fields)
    panel.full_clean()
    panel.save()
    return panel


@records_actor
@transaction.atomic
def update_panel(panel: Panel, *, by: Actor, **fields: Any) -> Panel:
    """Change the panel's settings (PANEL_FIELDS; those left out are kept). The terms cannot
    change once a member has accepted them, nor the deadline move into the past.

    Side effects: saves the Panel."""
    _refuse_unless_manager(by)
    locked = Panel.objects.select_for_update().get(pk=panel.pk)
    terms = fields.get("confidentiality_terms")
    if (
        terms is not None
        and terms.strip() != locked.confidentiality_terms
        and locked.members.filter(confidentiality_accepted_at__isnull=False).exists()
    ):
        raise ValidationError(
            {
                "confidentiality_terms": _(
                    "Members have already accepted these terms: they cannot change now."
                )
            },
            code="terms_accepted",
        )
    deadline = fields.get("scoring_deadline")
    if deadline is not None and deadline != locked.scoring_deadline and deadline <= timezone.now():
        raise ValidationError(
            {"scoring_deadline": _("Set a deadline in the future.")}, code="deadline_past"
        )
    _set_panel_fields(locked, fields)
    locked.full_clean()
    locked.save()
    panel.__dict__.update(locked.__dict__)
    return panel


def record_own_proposal_conflicts(panel: Panel) -> int:
    """Keep every member out of the panel's proposals they applied for: an automatic conflict
    (OWN_PROPOSAL, excluded) replaces whatever they declared. Part of the caller's transaction;
    the caller syncs access. Returns how many declarations were made or changed."""
    seats = dict(
        PanelMember.objects.filter(panel=panel, person__isnull=False)
        .order_by()
        .values_list("person_id", "pk")
    )
    own = [
        (proposal_id, seats[applicant_id])
        for proposal_id, applicant_id in panel_proposals(panel.pk)
        .filter(applicant_id__in=seats)
        .values_list("pk", "applicant_id")
        .order_by()
    ]
    recorded = set(
        ConflictDeclaration.objects.filter(member__panel=panel, automatic=True)
        .order_by()
        .values_list("proposal_id", "member_id")
    )
    for proposal_id, member_id in own:
        if (proposal_id, member_id) in recorded:
            continue
        ConflictDeclaration.objects.update_or_create(
            member_id=member_id,
            proposal_id=proposal_id,
            defaults={
                "conflicted": True,
                "category": ConflictCategory.OWN_PROPOSAL,
                "description": "",
                "decision": ConflictDecision.EXCLUDED,
                "automatic": True,
            },
        )
    return len(own)


@records_actor
@transaction.atomic
def add_member(
    panel: Panel, person: Person, *, by: Actor, role: PanelRole | str, is_chair: bool = False
) -> PanelMember:
    """Seat `person` on `panel` as `role`, which must be a role they hold today (an LEE seat
    needs the LEE role). Their own proposals to the call are excluded for them at once.

    Side effects: saves the PanelMember (and the automatic conflicts); syncs access."""
    _refuse_unless_manager(by)
    locked = Panel.objects.select_for_update().get(pk=panel.pk)
    if role not in SEAT_ROLES:
        raise ValidationError({"role": _("Choose a seat.")}, code="no_seat")
    if SEAT_ROLES[PanelRole(role)] not in person.current_roles:
        raise ValidationError(
            {
                "role": _("%(name)s does not hold the role this seat needs (%(seat)s).")
                % {"name": person.display_name, "seat": PanelRole(role).label}
            },
            code="role_not_held",
        )
    if PanelMember.objects.filter(panel=locked, person=person).exists():
        raise ValidationError(
            _("%(name)s is already on this panel.") % {"name": person.display_name},
            code="already_member",
        )
    if is_chair:
        PanelMember.objects.filter(panel=locked, is_chair=True).update(is_chair=False)
    member = PanelMember(
        panel=locked, person=person, role=role, is_chair=is_chair, added_by=_by_user(by)
    )
    member.full_clean(validate_constraints=False)
    member.save()
    record_own_proposal_conflicts(locked)
    sync_proposal_access([member])
    return member


@records_actor
@transaction.atomic
def set_chair(member: PanelMember, *, by: Actor) -> PanelMember:
    """Make `member` the panel's chair (a panel has one: the chair before stops being it).

    Side effects: saves the PanelMembers whose chair flag changes."""
    _refuse_unless_manager(by)
    Panel.objects.select_for_update().get(pk=member.panel_id)
    for other in PanelMember.objects.filter(panel_id=member.panel_id, is_chair=True).exclude(
        pk=member.pk
    ):
        other.is_chair = False
        other.save(update_fields=["is_chair"])
    member.is_chair = True
    member.save(update_fields=["is_chair"])
    return member


@records_actor
@transaction.atomic
def remove_member(member: PanelMember, *, by: Actor) -> None:
    """Take `member` off the panel, with their declarations and unsent assignments. Once
    scoring has started, a member who has sent a review stays (their sent reviews are kept for
    the results): staff reassign their other proposals instead.

    Side effects: takes away the member's access to the panel's proposals; deletes the
    PanelMember, their ConflictDeclarations and Reviews."""
    _refuse_unless_manager(by)
    panel = Panel.objects.select_for_update().get(pk=member.panel_id)
    locked = PanelMember.objects.select_for_update().get(pk=member.pk)
    if (
        panel.scoring_started_at is not None
        and locked.reviews.filter(status=ReviewStatus.SUBMITTED).exists()
    ):
        raise ValidationError(
            _(
                "This member has sent reviews since scoring started: they stay on the panel so "
                "their reviews count. Reassign their other proposals instead."
            ),
            code="has_sent_reviews",
        )
    # Without a seat the member may open nothing: the one access rule takes their grants away.
    locked.confidentiality_accepted_at = None
    sync_proposal_access([locked])
    locked.delete()


@records_actor
@transaction.atomic
def start_scoring(panel: Panel, *, by: Actor, override_reason: str = "") -> Panel:
    """Open scoring: refused while the composition rule is not met, unless `override_reason`
    says why it goes ahead (recorded with who and when); needs a deadline in the future and a
    call that has closed (a closed call moves to "in review").

    Side effects: saves the Panel (started, and any override); moves the Call; queues a
    message to every member (`funding_panel_scoring`)."""
    _refuse_unless_manager(by)
    locked = Panel.objects.select_for_update().select_related("call").get(pk=panel.pk)
    if locked.scoring_started_at is not None:
        raise ValidationError(_("Scoring has already started."), code="started")
    if locked.scoring_deadline is None or locked.scoring_deadline <= timezone.now():
        raise ValidationError(
            {"scoring_deadline": _("Set a scoring deadline in the future first.")},
            code="deadline",
        )
    if locked.call.status not in (CallStatus.CLOSED, CallStatus.IN_REVIEW):
        raise ValidationError(
            _("Scoring starts once the call has closed (it is “%(status)s”).")
            % {"status": locked.call.get_status_display()},
            code="call_not_closed",
        )
    members = list(locked.members.select_related("person"))
    problems = composition_problems(locked, [member.role for member in members])
    override_reason = override_reason.strip()
    if problems and not override_reason:
        raise ValidationError(
            {
                "override_reason": _(
                    "The panel does not meet its composition rule: %(problems)s Say why scoring "
                    "starts anyway, or change the panel."
                )
                % {"problems": " ".join(problems)}
            },
            code="composition",
        )
    now = timezone.now()
    if problems:
        locked.override_reason = override_reason
        locked.overridden_by = _by_user(by)
        locked.overridden_at = now
    if locked.call.status == CallStatus.CLOSED:
        move_call(locked.call, CallStatus.IN_REVIEW, by=by)
    locked.scoring_started_at = now
    locked.scoring_started_by = _by_user(by)
    locked.save()
    for member in members:
        if member.person is None:
            continue
        queue_notification(
            member.person,
            kind="funding_panel_scoring",
            key=f"funding-scoring-started:{locked.pk}:{member.pk}",
            context={
                "call": locked.call.title,
                "deadline": timezone.localtime(locked.scoring_deadline).strftime(
                    "%-d %B %Y at %H:%M"
                ),
            },
        )
    panel.__dict__.update(locked.__dict__)
    return panel


# Confidentiality and declarations ----------------------------------------------------------------


def _refuse_unless_seat_holder(member: PanelMember, by: Actor) -> None:
    """The member themselves, or funding staff who manage panels recording it for them after
    reading the terms to them and talking their declarations through (an "assisted" declaration:
    a member without a login, or who would rather do it by telephone). The audit trail records
    who acted."""
    if member.person_id is None:
        raise ValidationError(_("Only the member can do this."), code="not_yours")
    if getattr(by, "person_id", None) == member.person_id:
        return
    if isinstance(by, User) and may_manage_panels(by):
        return
    raise ValidationError(_("Only the member can do this."), code="not_yours")


@records_actor
@transaction.atomic
def accept_confidentiality(member: PanelMember, *, by: Actor) -> PanelMember:
    """The member accepts the panel's confidentiality terms (once; accepting again changes
    nothing).

    Side effects: saves the PanelMember's acceptance time; syncs their access."""
    _refuse_unless_seat_holder(member, by)
    locked = PanelMember.objects.select_for_update().get(pk=member.pk)
    if locked.confidentiality_accepted_at is None:
        locked.confidentiality_accepted_at = timezone.now()
        locked.save(update_fields=["confidentiality_accepted_at"])
    sync_proposal_access([locked])
    member.__dict__.update(locked.__dict__)
    return member


@dataclass(frozen=True)
class Answer:
    """A member's answer for one proposal."""

    conflicted: bool
    category: str = ""
    description: str = ""


def answer_field(proposal_id: int, name: str) -> str:
    """The form field (and error key) of one proposal's answer: conflict, category or
    description."""
    return f"p{proposal_id}_{name}"


def proposals_to_declare(member: PanelMember):
    """The panel's proposals the member still has to answer for (not their own, not answered)."""
    return (
        panel_proposals(member.panel_id)
        .exclude(applicant_id=member.person_id)
        .exclude(conflict_declarations__member=member)
        .order_by("pk")
    )


@records_actor
@transaction.atomic
def declare_conflicts(
    member: PanelMember, answers: dict[int, Answer], *, by: Actor
) -> list[ConflictDeclaration]:
    """Record the member's answers, one for each proposal still to declare: no conflict, or a
    conflict with a category (not OWN_PROPOSAL, which the system records) and a short
    description. All or nothing: any wrong answer refuses them all, with errors keyed by the
    answer's fields (`answer_field`). A conflict waits for the chair's or staff's decision, and
    keeps the member out until then. Answers already given are not changed here.

    Side effects: saves ConflictDeclarations and the member's declarations time; syncs access."""
    _refuse_unless_seat_holder(member, by)
    locked = PanelMember.objects.select_for_update().get(pk=member.pk)
    if locked.confidentiality_accepted_at is None:
        raise ValidationError(
            _("Accept the confidentiality terms before you declare."), code="terms_first"
        )
    record_own_proposal_conflicts(locked.panel)
    due = {proposal.pk for proposal in proposals_to_declare(locked)}
    errors: dict[str, list[str]] = defaultdict(list)
    for proposal_id in sorted(due - set(answers)):
        errors[answer_field(proposal_id, "conflict")].append(
            _("Say whether you have a conflict of interest with this proposal.")
        )
    allowed = {value for value, _label in DECLARABLE_CATEGORIES}
    declarations = []
    for proposal_id, answer in sorted(answers.items()):
        if proposal_id not in due:
            continue  # already answered, their own, or not the panel's: nothing to record
        description = answer.description.strip()
        if answer.conflicted:
            if answer.category not in allowed:
                errors[answer_field(proposal_id, "category")].append(
                    _("Choose what kind of conflict it is.")
                )
            if not description:
                errors[answer_field(proposal_id, "description")].append(
                    _("Say in a few words what the conflict is.")
                )
        declarations.append(
            ConflictDeclaration(
                member=locked,
                proposal_id=proposal_id,
                conflicted=answer.conflicted,
                category=answer.category if answer.conflicted else "",
                description=description if answer.conflicted else "",
                decision=ConflictDecision.PENDING if answer.conflicted else "",
            )
        )
    if errors:
        raise ValidationError(dict(errors), code="invalid")
    for declaration in declarations:
        declaration.full_clean(exclude=["member", "proposal"], validate_constraints=False)
        declaration.save()
    if declarations or not due:
        locked.declarations_done_at = timezone.now()
        locked.save(update_fields=["declarations_done_at"])
    sync_proposal_access([locked])
    member.__dict__.update(locked.__dict__)
    return declarations


# Deciding conflicts ------------------------------------------------------------------------------


def may_decide_conflict(user: User, declaration: ConflictDeclaration) -> bool:
    """Funding staff who manage panels, or the panel's chair when they have declared no
    conflict on the same proposal; nobody decides their own; an automatic one is not decided."""
    if not user.is_authenticated or not user.is_active or declaration.automatic:
        return False
    if declaration.member.person_id is not None and declaration.member.person_id == getattr(
        user, "person_id", None
    ):
        return False
    if user.is_staff and user.has_perm(MANAGE_PANEL):
        return True
    if getattr(user, "person_id", None) is None:
        return False
    return ConflictDeclaration.objects.filter(
        member__panel_id=declaration.member.panel_id,
        member__person_id=user.person_id,
        member__is_chair=True,
        proposal_id=declaration.proposal_id,
        conflicted=False,
    ).exists()


@records_actor
@transaction.atomic
def decide_conflict(
    declaration: ConflictDeclaration, *, by: Actor, decision: str, reason: str = ""
) -> ConflictDeclaration:
    """The chair or staff decide a declared conflict: exclude, or let the member continue
    (declared) or waive it, both with a reason. See `may_decide_conflict` for who may.

    Side effects: saves the ConflictDeclaration's decision, reason, who and when; syncs the
    member's access."""
    locked = (
        ConflictDeclaration.objects.select_for_update()
        .select_related("member")
        .get(pk=declaration.pk)
    )
    if not locked.conflicted:
        raise ValidationError(_("No conflict was declared here."), code="no_conflict")
    if isinstance(by, User) and not may_decide_conflict(by, locked):
        raise ValidationError(_("You cannot decide this conflict."), code="not_allowed")
    if decision not in DECISIONS:
        raise ValidationError({"decision": _("Choose a decision.")}, code="no_decision")
    reason = reason.strip()
    if decision in DECISIONS_NEEDING_REASON and not reason:
        raise ValidationError(
            {"decision_reason": _("Say why the member may take part.")}, code="reason_needed"
        )
    locked.decision = decision
    locked.decision_reason = reason
    locked.decided_by = _by_user(by)
    locked.decided_at = timezone.now()
    locked.full_clean(exclude=["member", "proposal"], validate_constraints=False)
    locked.save()
    sync_proposal_access([locked.member])
    declaration.__dict__.update(locked.__dict__)
    return declaration
