"""What each user may see of panels, seats, conflict declarations and assignments (404 for the
rest through coprod.permissions.get_object_for_user), and the panel pages' tables, each read in
a fixed number of queries."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from coprod.models import Person, RoleGrant, User
from funding.enums import EXCLUDING_DECISIONS, Eligibility, PanelRole, ProposalStatus, ReviewStatus
from funding.models import Call, ConflictDeclaration, Panel, PanelMember, Proposal, Review
from funding.permissions import may_manage_panels, openable_proposals, panel_proposals
from funding.services.panels import SEAT_ROLES, proposals_to_declare

COUNTED = ~Q(reviews__status=ReviewStatus.STEPPED_BACK)
SEARCH_LIMIT = 20


# Staff -------------------------------------------------------------------------------------------


def panel_calls_for_user(user: User) -> QuerySet[Call]:
    """Calls with their panel (if any), for staff who manage panels; nothing for anyone else."""
    if not may_manage_panels(user):
        return Call.objects.none()
    return Call.objects.select_related("panel").order_by("-closes_at", "-pk")


def panels_for_user(user: User) -> QuerySet[Panel]:
    if not may_manage_panels(user):
        return Panel.objects.none()
    return Panel.objects.select_related("call")


def panel_members(panel: Panel) -> QuerySet[PanelMember]:
    """The panel's members with their person and their load (assignments not stepped back),
    in one query."""
    return (
        PanelMember.objects.filter(panel=panel)
        .select_related("person")
        .annotate(load=Count("reviews", filter=COUNTED, distinct=True))
        .order_by("-is_chair", "role", "pk")
    )


def panel_assignments(panel: Panel) -> QuerySet[Proposal]:
    """The panel's proposals with how many reviewers and LEE reviewers each has, and their
    reviews with the reviewer (two queries in all)."""
    reviews = Review.objects.select_related("member__person").order_by("member__role", "pk")
    return (
        panel_proposals(panel.pk)
        .annotate(
            reviewers=Count("reviews", filter=COUNTED, distinct=True),
            lee_reviewers=Count(
                "reviews",
                filter=COUNTED & Q(reviews__member__role=PanelRole.LEE),
                distinct=True,
            ),
        )
        .prefetch_related(Prefetch("reviews", queryset=reviews))
        .order_by("pk")
    )


def kept_out_reviews(panel: Panel) -> set[int]:
    """The panel's assignments whose member is now kept out of the proposal by a conflict (one
    query): staff take them away and reassign."""
    excluded = ConflictDeclaration.objects.filter(
        member_id=OuterRef("member_id"),
        proposal_id=OuterRef("proposal_id"),
        conflicted=True,
        decision__in=EXCLUDING_DECISIONS,
    )
    return set(
        Review.objects.filter(member__panel=panel)
        .filter(Exists(excluded))
        .values_list("pk", flat=True)
        .order_by()
    )


def panel_conflicts(panel: Panel) -> QuerySet[ConflictDeclaration]:
    """The declared conflicts of the panel, those waiting for a decision first."""
    return (
        ConflictDeclaration.objects.filter(member__panel=panel, conflicted=True)
        .select_related("member__person", "proposal", "decided_by__person")
        .order_by("-decision", "proposal_id", "pk")
    )


def people_for_seat(query: str, role: PanelRole | str) -> QuerySet[Person]:
    """People who hold today the role `role`'s seat needs, whose display name contains `query`
    (never searched by legal name), at most SEARCH_LIMIT."""
    query = query.strip()
    if not query or role not in SEAT_ROLES:
        return Person.objects.none()
    holding = RoleGrant.objects.current().filter(role=SEAT_ROLES[PanelRole(role)])
    return (
        Person.objects.available_for_selection()
        .with_display_name()
        .filter(pk__in=holding.values("person_id"), shown_name__icontains=query)
        .order_by("shown_name", "pk")[:SEARCH_LIMIT]
    )


# Portal ------------------------------------------------------------------------------------------


def seats_for_user(user: User) -> QuerySet[PanelMember]:
    """The visitor's own seats on panels."""
    person_id = getattr(user, "person_id", None)
    if not user.is_authenticated or person_id is None:
        return PanelMember.objects.none()
    return PanelMember.objects.filter(person_id=person_id).select_related("panel__call")


def chair_conflicts_for_user(user: User, seat: PanelMember) -> QuerySet[ConflictDeclaration]:
    """Conflicts declared on the panel `seat` chairs, other than the chair's own, for the chair;
    nothing for anyone else. Only on proposals the chair has declared no conflict with and may
    open: a chair kept out of a proposal (their own one too) learns nothing of who else is
    conflicted on it, nor why — staff decide those. (`may_decide_conflict` then says which they
    may decide.)"""
    if not seat.is_chair or seat.person_id != getattr(user, "person_id", None):
        return ConflictDeclaration.objects.none()
    chair_clear = ConflictDeclaration.objects.filter(
        member=seat, proposal_id=OuterRef("proposal_id"), conflicted=False
    )
    return (
        panel_conflicts(seat.panel)
        .exclude(member=seat)
        .filter(automatic=False)
        .filter(Exists(chair_clear), proposal__in=openable_proposals(seat).values("pk"))
    )


def declaration_rows(member: PanelMember) -> QuerySet[ConflictDeclaration]:
    """The member's own answers so far, with their proposals."""
    return (
        ConflictDeclaration.objects.filter(member=member)
        .select_related("proposal__applicant")
        .order_by("proposal_id")
    )


def proposals_for_declaring(member: PanelMember) -> QuerySet[Proposal]:
    """What a member sees of the proposals they declare for: title, team and applicant (display
    name) only, read with the applicant in one query."""
    return (
        proposals_to_declare(member)
        .select_related("applicant")
        .only("pk", "title", "team", "applicant__chosen_name", "applicant__generated_name")
    )


def seat_waiting_for_member() -> Exists:
    """For the portal's "Things to do" (the person's row is OuterRef("pk")): a seat of theirs
    whose terms are not yet accepted, or with a proposal of the panel (sent, not found
    ineligible, not their own) they have not yet declared for — one that arrived later too."""
    undeclared = (
        Proposal.objects.filter(
            call__panel__pk=OuterRef("panel_id"), status=ProposalStatus.SUBMITTED
        )
        .exclude(eligibility=Eligibility.INELIGIBLE)
        .exclude(applicant_id=OuterRef("person_id"))
        .exclude(
            pk__in=ConflictDeclaration.objects.filter(member_id=OuterRef(OuterRef("pk"))).values(
                "proposal_id"
            )
        )
    )
    return Exists(
        PanelMember.objects.filter(person=OuterRef("pk")).filter(
            Q(confidentiality_accepted_at__isnull=True) | Exists(undeclared)
        )
    )
