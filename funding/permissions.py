"""Who may do what with funding records.

A panel member opens a proposal only through an object permission (django-guardian's
`funding.review_proposal`, granted on that proposal to their login). `sync_proposal_access` is
the one place that grants and takes it away, from the facts: the member has accepted the panel's
confidentiality terms, has declared for the proposal, is not kept out by a conflict (declared and
undecided, or decided "exclude"), and is not its applicant. Every service that changes one of
those facts calls it in its own transaction. Views ask `may_open_proposal`."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone
from guardian.models import UserObjectPermission

from coprod.models import User
from coprod.permissions import is_staff_with
from funding.enums import EXCLUDING_DECISIONS, ProposalStatus, ReviewStatus
from funding.models import ConflictDeclaration, Panel, PanelMember, Proposal, Review

REVIEW_PROPOSAL = "funding.review_proposal"


def panel_proposals(panel_id: int) -> QuerySet[Proposal]:
    """The proposals a panel deals with: sent to its call and not withdrawn or found
    ineligible."""
    return Proposal.objects.filter(
        call__panel__pk=panel_id, status=ProposalStatus.SUBMITTED
    ).exclude(eligibility="ineligible")


def openable_proposals(member: PanelMember) -> QuerySet[Proposal]:
    """The panel's proposals this member may open now (see the module's docstring)."""
    if member.person_id is None or member.confidentiality_accepted_at is None:
        return Proposal.objects.none()
    declared_clear = ConflictDeclaration.objects.filter(
        member=member, proposal=OuterRef("pk")
    ).filter(Q(conflicted=False) | ~Q(decision__in=EXCLUDING_DECISIONS))
    return (
        panel_proposals(member.panel_id)
        .exclude(applicant_id=member.person_id)
        .filter(Exists(declared_clear))
    )


def excluded_proposal_ids(member: PanelMember) -> set[int]:
    """The panel's proposals this member is kept out of by a conflict or as their applicant."""
    conflicted = ConflictDeclaration.objects.filter(
        member=member, conflicted=True, decision__in=EXCLUDING_DECISIONS
    ).values_list("proposal_id", flat=True)
    own = panel_proposals(member.panel_id).filter(applicant_id=member.person_id)
    return set(conflicted) | set(own.values_list("pk", flat=True))


def sync_proposal_access(members: Iterable[PanelMember]) -> None:
    """Grant `funding.review_proposal` on each proposal the members may open, and take it away
    from every other proposal of their panel. Part of the caller's transaction."""
    permission = Permission.objects.get(
        content_type__app_label="funding", codename="review_proposal"
    )
    content_type = ContentType.objects.get_for_model(Proposal)
    for member in members:
        if member.person_id is None:
            continue
        user_id = (
            User.objects.filter(person_id=member.person_id).values_list("pk", flat=True).first()
        )
        if user_id is None:
            continue
        allowed = {str(pk) for pk in openable_proposals(member).values_list("pk", flat=True)}
        panel_ids = {
            str(pk)
            for pk in Proposal.objects.filter(call__panel__pk=member.panel_id).values_list(
                "pk", flat=True
            )
        }
        granted = set(
            UserObjectPermission.objects.filter(
                user_id=user_id,
                permission=permission,
                content_type=content_type,
                object_pk__in=panel_ids,
            ).values_list("object_pk", flat=True)
        )
        UserObjectPermission.objects.filter(
            user_id=user_id,
            permission=permission,
            content_type=content_type,
            object_pk__in=granted - allowed,
        ).delete()
        UserObjectPermission.objects.bulk_create(
            [
                UserObjectPermission(
                    user_id=user_id,
                    permission=permission,
                    content_type=content_type,
                    object_pk=pk,
                )
                for pk in allowed - granted
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
    return user.has_perm(REVIEW_PROPOSAL, proposal)


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
    """Every proposal `user` was granted as a panel member (one query, through the grants)."""
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
    return Proposal.objects.filter(pk__in=granted)


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
    if not user.has_perm(REVIEW_PROPOSAL, proposal):
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
