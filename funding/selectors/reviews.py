"""Reads for scoring online: a member's own reviews (only of proposals they may open now), the
other reviews of a proposal (the page checks funding.permissions.may_see_panel_scores), and the
staff's view of a call's reviews."""

from __future__ import annotations

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from coprod.models import User
from coprod.permissions import is_staff_with
from funding.enums import Eligibility, PanelRole, ProposalStatus, ReviewStatus, ScoredBy
from funding.models import Call, Criterion, Proposal, Review, Score
from funding.permissions import granted, may_manage_reviews, openable_proposals_for_user

# Staff see the reviews that need them first: stepped back (to reassign), then by progress.
STAFF_ORDER = {
    ReviewStatus.STEPPED_BACK: 0,
    ReviewStatus.ASSIGNED: 1,
    ReviewStatus.DRAFT: 2,
    ReviewStatus.SUBMITTED: 3,
}


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    return Coalesce(
        Subquery(
            queryset.order_by().values(group_by).annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def with_progress(reviews: QuerySet[Review]) -> QuerySet[Review]:
    """Each review with `scored` (criteria given a score) and `to_score` (criteria the member's
    seat scores), counted in the database."""
    criteria = Criterion.objects.filter(call_id=OuterRef("proposal__call_id"))
    return reviews.annotate(
        scored=_count(
            Score.objects.filter(review_id=OuterRef("pk"), value__isnull=False), "review_id"
        ),
        to_score=Case(
            When(member__role=PanelRole.LEE, then=_count(criteria, "call_id")),
            default=_count(criteria.exclude(scored_by=ScoredBy.LEES), "call_id"),
        ),
    )


def reviews_for_user(user: User) -> QuerySet[Review]:
    """The visitor's own reviews (their seats' assignments) of proposals they may open now (a
    review of a proposal they are kept out of does not exist for them), not stepped back."""
    person_id = getattr(user, "person_id", None)
    if not user.is_authenticated or not user.is_active or person_id is None:
        return Review.objects.none()
    return (
        Review.objects.filter(member__person_id=person_id)
        .exclude(status=ReviewStatus.STEPPED_BACK)
        .filter(granted(user, "proposal_id"), proposal__status=ProposalStatus.SUBMITTED)
        .exclude(proposal__eligibility=Eligibility.INELIGIBLE)
        .select_related("member", "proposal__call__panel", "assisted_by__person")
    )


def my_reviews(user: User) -> QuerySet[Review]:
    """ "My reviews": the visitor's reviews with their progress, the soonest due first."""
    return with_progress(reviews_for_user(user)).order_by(
        "proposal__call__panel__scoring_deadline", "proposal__call_id", "pk"
    )


def other_reviews(proposal_id: int, *, excluding_member_id: int | None) -> list[Review]:
    """The sent reviews of a proposal (but the visitor's own), with their scores and seats, in a
    fixed number of queries."""
    reviews = (
        Review.objects.filter(proposal_id=proposal_id, status=ReviewStatus.SUBMITTED)
        .select_related("member__person", "assisted_by__person")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
        .order_by("member__role", "pk")
    )
    if excluding_member_id is not None:
        reviews = reviews.exclude(member_id=excluding_member_id)
    return list(reviews)


def scored_proposals_for_user(user: User) -> QuerySet[Proposal]:
    """The proposals whose panel scores the visitor may look for: every sent one for funding
    staff who may see proposals, else those they were granted as a panel member (anything else
    does not exist for them; the page then asks may_see_panel_scores)."""
    if is_staff_with(user, "funding.view_proposal"):
        return Proposal.objects.filter(status=ProposalStatus.SUBMITTED).select_related("call")
    return openable_proposals_for_user(user).select_related("call")


def staff_calls_for_user(user: User) -> QuerySet[Call]:
    """Calls with a panel, for funding staff who may manage reviews, each with counts of its
    reviews by state."""
    if not may_manage_reviews(user):
        return Call.objects.none()
    reviews = "proposals__reviews__status"
    return (
        Call.objects.filter(panel__isnull=False)
        .annotate(
            stepped_back=Count("proposals__reviews", filter=Q(**{reviews: "stepped_back"})),
            waiting=Count(
                "proposals__reviews", filter=Q(**{f"{reviews}__in": ["assigned", "draft"]})
            ),
            sent=Count("proposals__reviews", filter=Q(**{reviews: "submitted"})),
        )
        .order_by("-closes_at", "pk")
    )


def staff_reviews_for_user(user: User) -> QuerySet[Review]:
    """Every review, for funding staff who may manage reviews; nothing for anyone else."""
    if not may_manage_reviews(user):
        return Review.objects.none()
    return Review.objects.select_related(
        "member__person", "proposal__call", "assisted_by__person", "reopened_by__person"
    )


def call_reviews(call: Call) -> QuerySet[Review]:
    """A call's reviews for the staff page, stepped back first (to reassign), with progress."""
    order = Case(
        *(When(status=status, then=Value(rank)) for status, rank in STAFF_ORDER.items()),
        output_field=IntegerField(),
    )
    return with_progress(
        Review.objects.filter(proposal__call=call).select_related(
            "member__person", "proposal", "assisted_by__person"
        )
    ).order_by(order, "proposal_id", "pk")
