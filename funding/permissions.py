"""Who may do what with funding records.

A panel member opens a proposal only through an object permission (django-guardian's
`funding.review_proposal`, granted on that proposal to their login). `sync_proposal_access` is
the one place that grants and takes it away, from the facts: the member has accepted the panel's
confidentiality terms, has declared for the proposal, is not kept out by a conflict (declared and
undecided, or decided "exclude"), and is not its applicant. Every service that changes one of
those facts calls it in its own transaction. Views ask `may_open_proposal`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import BigIntegerField, CharField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import UserObjectPermission

from coprod.models import User
from coprod.permissions import is_staff_with
from funding.enums import EXCLUDING_DECISIONS, Eligibility, ProposalStatus, ReviewStatus
from funding.models import ConflictDeclaration, Panel, PanelMember, Proposal, Review

REVIEW_PROPOSAL = "funding.review_proposal"


def dealt_with(proposals: QuerySet[Proposal]) -> QuerySet[Proposal]:
    """Those of `proposals` a panel deals with: sent and not withdrawn or found ineligible."""
    return proposals.filter(status=ProposalStatus.SUBMITTED).exclude(
        eligibility=Eligibility.INELIGIBLE
    )


def is_dealt_with(proposal: Proposal) -> bool:
    return (
        proposal.status == ProposalStatus.SUBMITTED
        and proposal.eligibility != Eligibility.INELIGIBLE
    )


def panel_proposals(panel_id: int) -> QuerySet[Proposal]:
    """The proposals a panel deals with: sent to its call and not withdrawn or found
    ineligible."""
    return dealt_with(Proposal.objects.filter(call__panel__pk=panel_id))


def clear_declarations(members: Iterable[PanelMember]) -> QuerySet[ConflictDeclaration]:
    """The declarations that let their member open their proposal now (see the module's
    docstring): the seat has a person who has accepted the terms (as the `members` given say),
    the member declared no conflict or one decided to continue or waived, and the proposal is
    before the member's panel and is not theirs."""
    ready = [
        member.pk
        for member in members
        if member.person_id is not None and member.confidentiality_accepted_at is not None
    ]
    return (
        ConflictDeclaration.objects.filter(member_id__in=ready)
        .filter(Q(conflicted=False) | ~Q(decision__in=EXCLUDING_DECISIONS))
        .filter(
            proposal__call__panel__pk=F("member__panel_id"),
            proposal__status=ProposalStatus.SUBMITTED,
        )
        .exclude(proposal__eligibility=Eligibility.INELIGIBLE)
        .exclude(proposal__applicant_id=F("member__person_id"))
    )


def openable_proposals(member: PanelMember) -> QuerySet[Proposal]:
    """The panel's proposals this member may open now (see `clear_declarations`)."""
    return panel_proposals(member.panel_id).filter(
        pk__in=clear_declarations([member]).values("proposal_id")
    )


def excluded_proposal_ids(member: PanelMember) -> set[int]:
    """The panel's proposals this member is kept out of by a conflict or as their applicant."""
    conflicted = ConflictDeclaration.objects.filter(
        member=member, conflicted=True, decision__in=EXCLUDING_DECISIONS
    ).values_list("proposal_id", flat=True)
    own = panel_proposals(member.panel_id).filter(applicant_id=member.person_id)
    return set(conflicted) | set(own.values_list("pk", flat=True))


@transaction.atomic
def sync_proposal_access(members: Iterable[PanelMember]) -> None:
    """Grant `funding.review_proposal` on each proposal the members may open, and take it away
    from every other proposal of their panel. Part of the caller's transaction (a transaction of
    its own when called outside one, e.g. by set-up code).

    Locks the members' rows first, so two syncs of one member run one after the other: without
    it, a sync that read a declaration as clear before a concurrent exclusion committed could
    read the grants after that exclusion took them away, and grant the proposal again."""
    members = [member for member in members if member.pk is not None]
    list(
        PanelMember.objects.select_for_update()
        .filter(pk__in=[member.pk for member in members])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    users = dict(
        User.objects.filter(
            person_id__in={member.person_id for member in members if member.person_id is not None}
        ).values_list("person_id", "pk")
    )
    seated = [member for member in members if member.person_id in users]
    if not seated:
        return
    user_of = {member.pk: users[member.person_id] for member in seated}
    permission = Permission.objects.get(
        content_type__app_label="funding", codename="review_proposal"
    )
    content_type = ContentType.objects.get_for_model(Proposal)
    # What each user may hold: the proposals of their members' panels (the rest is untouched).
    panels_of = defaultdict(set)
    for member in seated:
        panels_of[user_of[member.pk]].add(member.panel_id)
    in_scope: dict[int, set[str]] = defaultdict(set)
    for proposal_id, panel_id in Proposal.objects.filter(
        call__panel__pk__in={member.panel_id for member in seated}
    ).values_list("pk", "call__panel__pk"):
        for user_id, panel_ids in panels_of.items():
            if panel_id in panel_ids:
                in_scope[user_id].add(str(proposal_id))
    allowed = {
        (user_of[member_id], str(proposal_id))
        for member_id, proposal_id in clear_declarations(seated).values_list(
            "member_id", "proposal_id"
        )
    }
    granted = {
        (user_id, object_pk): pk
        for pk, user_id, object_pk in UserObjectPermission.objects.filter(
            user_id__in=set(user_of.values()),
            permission=permission,
            content_type=content_type,
            object_pk__in=set().union(*in_scope.values()),
        ).values_list("pk", "user_id", "object_pk")
        if object_pk in in_scope[user_id]
    }
    UserObjectPermission.objects.filter(
        pk__in=[pk for pair, pk in granted.items() if pair not in allowed]
    ).delete()
    UserObjectPermission.objects.bulk_create(
        [
            UserObjectPermission(
                user_id=user_id, permission=permission, content_type=content_type, object_pk=pk
            )
            for user_id, pk in sorted(allowed - set(granted))
        ]
    )


def may_manage_panels(user: User) -> bool:
    return is_staff_with(user, "funding.manage_panel")


def may_open_proposal(user: User, proposal: Proposal) -> bool:
    """Funding staff with the permission, or a panel member granted this proposal (see the
    module's docstring). The applicant sees their own through funding.selectors instead."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_staff_with(user, "funding.view_proposal"):
        return True
    # A grant outlives the proposal's withdrawal or being found ineligible (those services do
    # not sync access): the panel no longer deals with it, so a member may not open it.
    return is_dealt_with(proposal) and user.has_perm(REVIEW_PROPOSAL, proposal)


def granted(user: User, proposal: str = "pk") -> Exists:
    """True for rows whose proposal (`proposal`: the outer query's field holding its id) `user`
    was granted as a panel member. A correlated lookup through guardian's unique index on
    (user, permission, object_pk), so a member with thousands of grants costs one index probe
    per row shown, not a scan of their grants."""
    return Exists(
        UserObjectPermission.objects.filter(
            user_id=user.pk,
            permission__codename="review_proposal",
            permission__content_type__app_label="funding",
            object_pk=Cast(OuterRef(proposal), CharField()),
        )
    )


def openable_proposals_for_user(user: User) -> QuerySet[Proposal]:
    """Every proposal `user` was granted as a panel member that a panel still deals with (one
    query, through the grants: see `may_open_proposal`)."""
    if not user.is_authenticated or not user.is_active:
        return Proposal.objects.none()
    granted = (
        UserObjectPermission.objects.filter(
            user_id=user.pk,
            permission__codename="review_proposal",
            permission__content_type__app_label="funding",
        )
        .annotate(proposal_id=Cast("object_pk", BigIntegerField()))
        .values("proposal_id")
    )
    return dealt_with(Proposal.objects.filter(pk__in=granted))


# Scoring window and independence -----------------------------------------------------------------


def scoring_is_open(panel: Panel) -> bool:
    """Scoring has started and is neither closed by staff nor past its deadline."""
    now = timezone.now()
    return (
        panel.scoring_started_at is not None
        and panel.scoring_closed_at is None
        and (panel.scoring_deadline is None or now < panel.scoring_deadline)
    )


def scoring_window_closed(panel: Panel) -> bool:
    """Scoring has started and ended (staff closed it, or its deadline passed)."""
    if panel.scoring_started_at is None:
        return False
    return panel.scoring_closed_at is not None or (
        panel.scoring_deadline is not None and timezone.now() >= panel.scoring_deadline
    )


def seat_of(user: User, panel: Panel) -> PanelMember | None:
    person_id = getattr(user, "person_id", None)
    if person_id is None:
        return None
    return PanelMember.objects.filter(panel=panel, person_id=person_id).first()


def may_see_panel_scores(user: User, proposal: Proposal) -> bool:
    """Others' scores and comments on `proposal`: funding staff (with `funding.view_score`)
    always; the chair whenever they may open the proposal; another member only once the scoring
    window has closed, if they may open the proposal and have no review of theirs on the panel
    still unsent (members score independently; a review of a proposal they may no longer open
    does not count). Nobody kept out by a conflict."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_staff_with(user, "funding.view_score"):
        return True
    if not may_open_proposal(user, proposal) or not user.has_perm(REVIEW_PROPOSAL, proposal):
        return False
    panel = Panel.objects.filter(call_id=proposal.call_id).first()
    if panel is None:
        return False
    member = seat_of(user, panel)
    if member is None:
        return False
    if member.is_chair:
        return True
    if not scoring_window_closed(panel):
        return False
    # A review of a proposal they may no longer open (withdrawn, ineligible, a conflict since)
    # cannot be sent, so it does not hold them back.
    return not Review.objects.filter(
        member=member,
        status__in=[ReviewStatus.ASSIGNED, ReviewStatus.DRAFT],
        proposal__in=openable_proposals(member),
    ).exists()


# Scoring online (reviews) ------------------------------------------------------------------------

MANAGE_REVIEWS = "funding.change_review"


def may_manage_reviews(user: User) -> bool:
    """Funding staff who reopen reviews, enter assisted reviews and reassign stepped-back ones."""
    return is_staff_with(user, MANAGE_REVIEWS)
