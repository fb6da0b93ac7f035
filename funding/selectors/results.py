"""A call's results, computed by the database: each submitted review's score out of 100, and for
each proposal the mean and the median of its reviews' scores, the reviews counted by seat, the
spread, the mean by seat, the two flags, the ranking and the running total of amounts requested.

A review's score out of 100 is Σ(value / highest score × weight) / Σ(weight) × 100 over the
criteria that review scored (an LEE-only criterion counts only in LEE reviews). A proposal's
mean is the mean of its reviews' scores, each review counting once. Every figure is read in a
fixed number of queries whatever the number of proposals, reviews and scores: correlated
subqueries and window functions, the same ORM code on PostgreSQL and on SQLite."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Coalesce, NullIf, RowNumber

from coprod.models import User
from coprod.permissions import is_staff_with
from coprod.selectors import count_subquery
from funding.enums import (
    CallStatus,
    Eligibility,
    PanelRole,
    ProposalStatus,
    ReviewStatus,
    ScoredBy,
)
from funding.models import Call, Panel, PanelMember, Proposal, Review, Score
from funding.permissions import openable_proposals

VIEW_RESULTS = "funding.view_score"
# Scores are floating point numbers in both databases: a difference that is exactly the
# threshold must not be flagged because of a rounding error in the last digit.
TOLERANCE = 1e-9


def _float(expression: str | F) -> Cast:
    # Integer division would truncate (5 / 2 = 2 in both databases).
    return Cast(expression, FloatField())


def review_score() -> Subquery:
    """The score out of 100 of the review `OuterRef("pk")`, over the criteria it scored (NULL
    if it scored none)."""
    scores = (
        Score.objects.filter(review=OuterRef("pk"), value__isnull=False)
        # A score on an LEE-only criterion counts in an LEE's review only, whatever the rows say.
        .filter(Q(criterion__scored_by=ScoredBy.EVERYONE) | Q(review__member__role=PanelRole.LEE))
        .order_by()
        .values("review")
        .annotate(
            points=Sum(
                _float("value") * _float("criterion__weight") / _float("criterion__scale_max")
            ),
            weights=NullIf(Sum(_float("criterion__weight")), Value(0.0)),
        )
        .annotate(out_of_100=F("points") / F("weights") * Value(100.0))
        .values("out_of_100")
    )
    return Subquery(scores, output_field=FloatField())


def scored_reviews() -> QuerySet[Review]:
    """Submitted reviews with their `score` (out of 100) and the reviewer's `seat`. Reviews of
    erased members (no person) count like any other."""
    return Review.objects.filter(status=ReviewStatus.SUBMITTED).annotate(
        score=review_score(), seat=F("member__role")
    )


def _per_proposal(aggregate, *, seat: str | None = None, not_seat: str | None = None) -> Subquery:
    """`aggregate` (over the `score` of each review) of the submitted reviews of the proposal
    `OuterRef("pk")`, optionally of one seat or of every seat but one."""
    reviews = scored_reviews().filter(proposal=OuterRef("pk"))
    if seat is not None:
        reviews = reviews.filter(member__role=seat)
    if not_seat is not None:
        reviews = reviews.exclude(member__role=not_seat)
    return Subquery(
        reviews.order_by().values("proposal").annotate(value=aggregate).values("value"),
        output_field=IntegerField() if isinstance(aggregate, Count) else FloatField(),
    )


def _count(**seat: str) -> Coalesce:
    return Coalesce(_per_proposal(Count("pk"), **seat), Value(0))


def _median_rows() -> QuerySet[Review]:
    """The middle review (odd count) or two middle reviews (even count) of each proposal, by
    score: row numbers (1, 2, … in order of score, reviews without a score last) against the
    number n of reviews with a score, keeping rows (n + 1) div 2 and (n + 2) div 2 (integer
    division in both databases)."""
    partition = F("proposal_id")
    return (
        scored_reviews()
        .annotate(
            position=Window(
                RowNumber(),
                partition_by=partition,
                order_by=[F("score").asc(nulls_last=True), F("pk").asc()],
            ),
            counted=Window(Count("score"), partition_by=partition),
        )
        .filter(
            position__gte=(F("counted") + Value(1)) / Value(2),
            position__lte=(F("counted") + Value(2)) / Value(2),
        )
    )


def _median() -> ExpressionWrapper:
    """The median of the proposal `OuterRef("pk")`: the mean of its lower and upper middle
    rows (the same row when the count is odd; none without a scored review)."""
    middle = _median_rows().filter(proposal_id=OuterRef("pk")).order_by("position")
    low = Subquery(middle.values("score")[:1], output_field=FloatField())
    high = Subquery(middle.order_by("-position").values("score")[:1], output_field=FloatField())
    return ExpressionWrapper((low + high) / Value(2.0), output_field=FloatField())


def call_proposals(call: Call) -> QuerySet[Proposal]:
    """The proposals of the call that results are about: sent, and not found ineligible."""
    return (
        Proposal.objects.filter(call=call, status=ProposalStatus.SUBMITTED)
        .exclude(eligibility=Eligibility.INELIGIBLE)
        .order_by()
    )


def results_of(call: Call, panel: Panel | None = None) -> QuerySet[Proposal]:
    """Every proposal of `call_proposals(call)`, annotated with:

    - `mean`, `median`, `lowest`, `highest`, `spread` (highest − lowest): over its submitted
      reviews' scores out of 100;
    - `review_count`, `lee_reviews`, `researcher_reviews`, `policymaker_reviews`: counts;
    - `lee_mean`, `researcher_mean`, `policymaker_mean`, `others_mean` (every seat but LEE);
    - `lee_flag`: LEE and other reviews both exist and their means differ by more than the
      panel's `lee_flag_threshold`; `disagreement_flag`: the spread is more than the panel's
      `disagreement_threshold`;
    - `ranked`: it has at least one submitted LEE review; `rank`: its place among the ranked,
      by mean (highest first), and `running_total`: the amounts requested by it and every
      proposal ranked above it (for unranked proposals, the same among the unranked).

    - `applicant_name` (the name everyone sees) and `decision_outcome` (empty until decided).

    Ranked proposals first, by rank. One query (with the panel given; two without)."""
    if panel is None:
        panel = Panel.objects.filter(call=call).first()
    lee_threshold = float(panel.lee_flag_threshold) if panel else 15.0
    spread_threshold = float(panel.disagreement_threshold) if panel else 30.0
    order = [F("ranked").desc(), F("mean").desc(nulls_last=True), F("pk").asc()]
    ranking_order = [F("mean").desc(nulls_last=True), F("pk").asc()]
    return (
        call_proposals(call)
        .annotate(
            # The name everyone sees (never the legal name), without reading the person's row.
            applicant_name=Coalesce(
                NullIf("applicant__chosen_name", Value("")), "applicant__generated_name"
            ),
            decision_outcome=F("decision__outcome"),
            mean=_per_proposal(Avg("score")),
            median=_median(),
            lowest=_per_proposal(Min("score")),
            highest=_per_proposal(Max("score")),
            review_count=_count(),
            lee_reviews=_count(seat=PanelRole.LEE),
            researcher_reviews=_count(seat=PanelRole.RESEARCHER),
            policymaker_reviews=_count(seat=PanelRole.POLICYMAKER),
            lee_mean=_per_proposal(Avg("score"), seat=PanelRole.LEE),
            researcher_mean=_per_proposal(Avg("score"), seat=PanelRole.RESEARCHER),
            policymaker_mean=_per_proposal(Avg("score"), seat=PanelRole.POLICYMAKER),
            others_mean=_per_proposal(Avg("score"), not_seat=PanelRole.LEE),
        )
        .annotate(
            spread=F("highest") - F("lowest"),
            ranked=Exists(
                Review.objects.filter(
                    proposal=OuterRef("pk"),
                    status=ReviewStatus.SUBMITTED,
                    member__role=PanelRole.LEE,
                )
            ),
        )
        .annotate(
            lee_flag=Case(
                When(
                    Q(lee_mean__isnull=False, others_mean__isnull=False)
                    & (
                        Q(lee_mean__gt=F("others_mean") + Value(lee_threshold + TOLERANCE))
                        | Q(lee_mean__lt=F("others_mean") - Value(lee_threshold + TOLERANCE))
                    ),
                    then=Value(True),
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            disagreement_flag=Case(
                When(spread__gt=Value(spread_threshold + TOLERANCE), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            rank=Window(RowNumber(), partition_by=[F("ranked")], order_by=ranking_order),
            running_total=Window(
                Sum(Coalesce("requested_amount", Value(Decimal("0")))),
                partition_by=[F("ranked")],
                order_by=ranking_order,
            ),
        )
        .order_by(*order)
    )


def lee_flag_now(proposal: Proposal) -> bool:
    """Whether the results flag `proposal` now for a difference between LEE scores and the
    rest (stored on its decision)."""
    row = results_of(proposal.call).filter(pk=proposal.pk).values("lee_flag").first()
    return bool(row and row["lee_flag"])


# Who sees results ---------------------------------------------------------------------------------


def may_view_results(user: User) -> bool:
    return is_staff_with(user, VIEW_RESULTS)


def results_calls_for_user(user: User) -> QuerySet[Call]:
    """Calls whose results staff with `funding.view_score` see (every call with a panel)."""
    if not may_view_results(user):
        return Call.objects.none()
    return Call.objects.filter(panel__isnull=False)


def chaired_calls_for_user(user: User) -> QuerySet[Call]:
    """The calls whose panel `user` chairs (nothing for anyone else)."""
    person_id = getattr(user, "person_id", None)
    if not user.is_authenticated or not user.is_active or person_id is None:
        return Call.objects.none()
    return Call.objects.filter(panel__members__person_id=person_id, panel__members__is_chair=True)


def chaired_calls_in_review_count() -> count_subquery:
    """For the portal's "Things to do": the calls in review whose panel the person
    (`OuterRef("pk")`) chairs, whose results they can see."""
    return count_subquery(
        Call.objects.filter(
            status=CallStatus.IN_REVIEW,
            panel__members__person_id=OuterRef("pk"),
            panel__members__is_chair=True,
        )
    )


def chair_results(call: Call, chair: PanelMember) -> QuerySet[Proposal]:
    """The results the chair sees: only the rows of proposals they may open (not those they are
    kept out of by a conflict or as applicant)."""
    return results_of(call, chair.panel).filter(pk__in=openable_proposals(chair).values("pk"))


def chair_seat(user: User, call: Call) -> PanelMember | None:
    return (
        PanelMember.objects.select_related("panel")
        .filter(panel__call=call, person_id=user.person_id, is_chair=True)
        .first()
    )


__all__ = [
    "VIEW_RESULTS",
    "call_proposals",
    "chair_results",
    "chair_seat",
    "chaired_calls_for_user",
    "chaired_calls_in_review_count",
    "lee_flag_now",
    "may_view_results",
    "results_calls_for_user",
    "results_of",
    "review_score",
    "scored_reviews",
]
