"""Assigning panel members to review proposals: by hand, or automatically (N reviewers for
each proposal, at least one an LEE, loads as even as possible, conflicts respected). Both call
`funding.permissions.sync_proposal_access` in their transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from funding.enums import EXCLUDING_DECISIONS, PanelRole, ReviewStatus
from funding.models import ConflictDeclaration, Panel, PanelMember, Proposal, Review
from funding.permissions import panel_proposals, sync_proposal_access
from funding.services.panels import (
    SEAT_ORDER,
    _by_user,
    _refuse_unless_manager,
    record_own_proposal_conflicts,
)

# Assigning reviewers -----------------------------------------------------------------------------


def _clear_pairs(panel: Panel) -> set[tuple[int, int]]:
    """(member, proposal) pairs of the panel where the member has accepted the terms, declared,
    and is not kept out by a conflict (one query)."""
    return set(
        ConflictDeclaration.objects.filter(
            member__panel=panel,
            member__person__isnull=False,
            member__confidentiality_accepted_at__isnull=False,
        )
        .filter(Q(conflicted=False) | ~Q(decision__in=EXCLUDING_DECISIONS))
        .exclude(proposal__applicant_id=F("member__person_id"))
        .values_list("member_id", "proposal_id")
        .order_by()
    )


def assignment_refusal(member: PanelMember, proposal: Proposal) -> str | None:
    """Why `member` cannot review `proposal`, or None."""
    if member.person_id is None:
        return _("This seat no longer has a person.")
    if member.confidentiality_accepted_at is None:
        return _("The member has not accepted the confidentiality terms yet.")
    if proposal.applicant_id == member.person_id:
        return _("It is the member's own proposal.")
    declaration = ConflictDeclaration.objects.filter(member=member, proposal=proposal).first()
    if declaration is None:
        return _("The member has not declared for this proposal yet.")
    if declaration.excludes:
        return _("The member is kept out of this proposal by a conflict of interest.")
    return None


@records_actor
@transaction.atomic
def assign_reviewer(proposal: Proposal, member: PanelMember, *, by: Actor) -> Review:
    """Assign `member` to review `proposal`. Refused when they may not open it (see
    `assignment_refusal`) or it is not their panel's.

    Side effects: saves a Review (assigned); syncs the member's access."""
    _refuse_unless_manager(by)
    Panel.objects.select_for_update().get(pk=member.panel_id)
    if not panel_proposals(member.panel_id).filter(pk=proposal.pk).exists():
        raise ValidationError(_("This proposal is not before this panel."), code="not_panel")
    refusal = assignment_refusal(member, proposal)
    if refusal:
        raise ValidationError({"member": refusal}, code="not_ready")
    if Review.objects.filter(member=member, proposal=proposal).exists():
        raise ValidationError(
            {"member": _("This member already has this proposal.")}, code="already"
        )
    review = Review.objects.create(member=member, proposal=proposal, assigned_by=_by_user(by))
    sync_proposal_access([member])
    return review


@records_actor
@transaction.atomic
def unassign_reviewer(review: Review, *, by: Actor) -> None:
    """Take an assignment away (not a sent review: that one counts).

    Side effects: deletes the Review (and any draft scores); syncs the member's access."""
    _refuse_unless_manager(by)
    locked = Review.objects.select_for_update().select_related("member").get(pk=review.pk)
    if locked.status == ReviewStatus.SUBMITTED:
        raise ValidationError(
            _("This review has been sent: it stays, and counts in the results."), code="sent"
        )
    member = locked.member
    locked.delete()
    sync_proposal_access([member])


@dataclass
class AssignmentReport:
    """What automatic assignment did: how many assignments it made, and each proposal it could
    not fill, with why."""

    created: int = 0
    unfilled: list[tuple[Proposal, str]] = field(default_factory=list)


@records_actor
@transaction.atomic
def assign_automatically(panel: Panel, *, by: Actor) -> AssignmentReport:
    """Give every proposal of the panel `reviewers_per_proposal` reviewers, at least one of them
    an LEE, keeping the assignments it has. Members are chosen greedily by their current load
    (ties: by seat — researcher, policymaker, LEE — then by id; each proposal's first pick is an
    LEE if it has none), so loads are as even as possible and the result is the same every time.
    Only members who may open the proposal are chosen: conflicts are respected, and members who
    have not declared yet are left out. An assignment kept from before whose member is now kept
    out (a conflict decided since) does not count: another reviewer is found.
    Proposals with the fewest possible reviewers are filled first. A fixed number of queries,
    whatever the number of proposals and members.

    Side effects: saves the new Reviews (marked automatic); syncs the members' access.
    Returns an AssignmentReport."""
    _refuse_unless_manager(by)
    locked = Panel.objects.select_for_update().get(pk=panel.pk)
    record_own_proposal_conflicts(locked)
    wanted = locked.reviewers_per_proposal
    members = {
        member.pk: member
        for member in PanelMember.objects.filter(panel=locked, person__isnull=False).order_by()
    }
    proposals = list(panel_proposals(locked.pk).order_by("pk"))
    clear = _clear_pairs(locked)
    # Every row counts as taken (a member who stepped back is not asked again); only those not
    # stepped back, whose member may still open the proposal, count towards the proposal's
    # reviewers and the member's load.
    taken: set[tuple[int, int]] = set()
    filled: Counter[int] = Counter()
    has_lee: set[int] = set()
    load: Counter[int] = Counter()
    rows = Review.objects.filter(member__panel=locked).values_list(
        "member_id", "proposal_id", "status", "member__role"
    )
    for member_id, proposal_id, status, role in rows.order_by():
        taken.add((member_id, proposal_id))
        if status != ReviewStatus.STEPPED_BACK and (member_id, proposal_id) in clear:
            load[member_id] += 1
            filled[proposal_id] += 1
            if role == PanelRole.LEE:
                has_lee.add(proposal_id)

    def candidates(proposal: Proposal) -> list[PanelMember]:
        return [
            member
            for member_id, member in members.items()
            if (member_id, proposal.pk) in clear and (member_id, proposal.pk) not in taken
        ]

    def rank(member: PanelMember) -> tuple[int, int, int]:
        return (load[member.pk], SEAT_ORDER[PanelRole(member.role)], member.pk)

    report = AssignmentReport()
    new: list[Review] = []
    for proposal in sorted(proposals, key=lambda p: (len(candidates(p)), p.pk)):
        pool = candidates(proposal)
        picked: list[PanelMember] = []
        while filled[proposal.pk] + len(picked) < wanted:
            rest = [member for member in pool if member not in picked]
            if proposal.pk not in has_lee and not any(
                member.role == PanelRole.LEE for member in picked
            ):
                # The first pick goes to an LEE, if one may take it.
                rest = [member for member in rest if member.role == PanelRole.LEE] or rest
            if not rest:
                break
            choice = min(rest, key=rank)
            picked.append(choice)
            # The load counts as it grows, within this proposal too.
            load[choice.pk] += 1
        new += [
            Review(member=member, proposal=proposal, assigned_by=_by_user(by), automatic=True)
            for member in picked
        ]
        filled[proposal.pk] += len(picked)
        if any(member.role == PanelRole.LEE for member in picked):
            has_lee.add(proposal.pk)
        reasons = []
        if filled[proposal.pk] < wanted:
            reasons.append(
                _(
                    "It has %(have)s of %(wanted)s reviewers: no other member may take it "
                    "(the rest are kept out by a conflict, have it already, or have not "
                    "declared yet)."
                )
                % {"have": filled[proposal.pk], "wanted": wanted}
            )
        if proposal.pk not in has_lee:
            reasons.append(
                _(
                    "No lived experience expert can review it (none free of a conflict and "
                    "declared)."
                )
            )
        if reasons:
            report.unfilled.append((proposal, " ".join(reasons)))
    Review.objects.bulk_create(new)
    report.created = len(new)
    sync_proposal_access(members.values())
    return report
