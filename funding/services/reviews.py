"""Scoring online: a panel member's review of one proposal, from a saved draft to a sent review,
stepping back, and what funding staff do with reviews (reopen one, enter one with a member).

Every change of a review's status is here. A sent review becomes paid work for the member: an
engagement recorded through recruitment.services.record_engagement in the same transaction
(idempotent by its source key, so a review reopened and sent again is paid once)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.enums import NotificationCategory, StaffGroup
from coprod.models import User, london_today
from coprod.services.notifications import Outgoing, queue_notification, queue_notifications
from funding.enums import PanelRole, ReviewStatus, ScoredBy
from funding.models import Criterion, Panel, PanelMember, Review, Score
from funding.permissions import (
    MANAGE_REVIEWS,
    REVIEW_PROPOSAL,
    excluded_proposal_ids,
    may_manage_reviews,
    scoring_is_open,
)
from recruitment.enums import EngagementKind
from recruitment.selectors.reminders import staff_to_remind
from recruitment.services import record_engagement

# Paid time for one review: scoring, and reading the proposal beforehand.
DEFAULT_REVIEW_HOURS = Decimal("1")
DEFAULT_REVIEW_PREPARATION_HOURS = Decimal("2")
OPEN_STATES = frozenset({ReviewStatus.ASSIGNED, ReviewStatus.DRAFT})

Scores = Mapping[int, int | None]
Comments = Mapping[int, str]


def score_field(criterion_id: int) -> str:
    """The form field (and error key) of a criterion's score."""
    return f"score_{criterion_id}"


def comment_field(criterion_id: int) -> str:
    return f"comment_{criterion_id}"


def criteria_for(member: PanelMember, call_id: int) -> list[Criterion]:
    """The criteria `member` scores on the call: all of them, but those scored by LEEs only are
    scored by the LEE seats alone."""
    criteria = Criterion.objects.filter(call_id=call_id).order_by("order", "pk")
    if member.role != PanelRole.LEE:
        criteria = criteria.exclude(scored_by=ScoredBy.LEES)
    return list(criteria)


def _locked(review: Review) -> Review:
    return (
        Review.objects.select_for_update(of=("self",))
        .select_related("member", "proposal")
        .get(pk=review.pk)
    )


def _refuse_unless_writable(locked: Review) -> None:
    if locked.status == ReviewStatus.SUBMITTED:
        raise ValidationError(
            _("This review has been sent: it cannot be changed."), code="already_sent"
        )
    if locked.status == ReviewStatus.STEPPED_BACK:
        raise ValidationError(_("You stepped back from this review."), code="stepped_back")


def _refuse_unless_members_own(locked: Review, by: Actor) -> None:
    person_id = getattr(by, "person_id", None)
    if person_id is None or locked.member.person_id != person_id:
        raise ValidationError(_("This is not your review."), code="not_yours")
    if not by.has_perm(REVIEW_PROPOSAL, locked.proposal):
        raise ValidationError(_("You can no longer open this proposal."), code="no_access")


def _refuse_unless_scoring_open(locked: Review) -> None:
    panel = Panel.objects.get(call_id=locked.proposal.call_id)
    if not scoring_is_open(panel):
        raise ValidationError(
            _("Scoring is closed for this panel: your review can no longer be changed."),
            code="scoring_closed",
        )


def _write(
    locked: Review,
    *,
    scores: Scores,
    comments: Comments,
    comment: str,
    feedback: str,
    sending: bool,
) -> Review:
    """Check every value first, then save the scores, comments and the review's text. Refuses
    (nothing saved) a score outside 1..the criterion's highest score, a score for a criterion the
    member does not score, and — when sending — any score left empty."""
    criteria = {
        criterion.pk: criterion
        for criterion in criteria_for(locked.member, locked.proposal.call_id)
    }
    unknown = (set(scores) | set(comments)) - set(criteria)
    if unknown:
        raise ValidationError(
            _("A score was given for something you do not score."), code="unknown_criterion"
        )
    errors: dict[str, str] = {}
    for pk, criterion in criteria.items():
        value = scores.get(pk)
        if value is None:
            if sending:
                errors[score_field(pk)] = _("Choose a score for “%(name)s”") % {
                    "name": criterion.name
                }
            continue
        if not isinstance(value, int) or not 1 <= value <= criterion.scale_max:
            errors[score_field(pk)] = _(
                "The score for “%(name)s” must be a whole number from 1 to %(max)s"
            ) % {"name": criterion.name, "max": criterion.scale_max}
    if errors:
        raise ValidationError(errors, code="invalid_scores")
    existing = {score.criterion_id: score for score in Score.objects.filter(review=locked)}
    new, changed = [], []
    for pk in criteria:
        value, text = scores.get(pk), (comments.get(pk) or "").strip()
        score = existing.get(pk)
        if score is None:
            if value is not None or text:
                new.append(Score(review=locked, criterion_id=pk, value=value, comment=text))
        elif (score.value, score.comment) != (value, text):
            score.value, score.comment = value, text
            changed.append(score)
    # One save each (not bulk), so that each score's change is in the audit trail: a review
    # has a handful of criteria.
    for score in changed:
        score.save(update_fields=["value", "comment"])
    for score in new:
        score.save()
    now = timezone.now()
    locked.comment = comment.strip()
    locked.feedback = feedback.strip()
    locked.started_at = locked.started_at or now
    if sending:
        locked.status = ReviewStatus.SUBMITTED
        locked.submitted_at = now
    else:
        locked.status = ReviewStatus.DRAFT
    locked.full_clean(validate_unique=False, validate_constraints=False)
    locked.save()
    return locked


def _record_paid_work(review: Review, *, by: Actor) -> None:
    """The member's engagement for this review (once per review, by its source key); nothing for
    a seat whose person is gone or erased."""
    person = review.member.person
    if person is None or person.erased_at is not None:
        return
    record_engagement(
        person,
        by=by,
        kind=EngagementKind.REVIEW,
        on=london_today(),
        hours=getattr(settings, "FUNDING_REVIEW_HOURS", DEFAULT_REVIEW_HOURS),
        preparation_hours=getattr(
            settings, "FUNDING_REVIEW_PREPARATION_HOURS", DEFAULT_REVIEW_PREPARATION_HOURS
        ),
        source_key=f"funding.review:{review.pk}",
        belongs_to=review,
        title=_("Funding panel review"),
        online=True,
    )


def _apply(review: Review, locked: Review) -> Review:
    review.__dict__.update(
        {key: value for key, value in locked.__dict__.items() if not key.startswith("_")}
    )
    return review


@records_actor
@transaction.atomic
def save_review(
    review: Review,
    *,
    by: Actor,
    scores: Scores,
    comments: Comments | None = None,
    comment: str = "",
    feedback: str = "",
) -> Review:
    """Keep the member's review as a draft: scores may be left empty. Only the member, while they
    may open the proposal and scoring is open; not once sent or stepped back.

    Side effects: saves the Review (draft) and its Scores."""
    locked = _locked(review)
    _refuse_unless_members_own(locked, by)
    _refuse_unless_writable(locked)
    _refuse_unless_scoring_open(locked)
    _write(
        locked,
        scores=scores,
        comments=comments or {},
        comment=comment,
        feedback=feedback,
        sending=False,
    )
    return _apply(review, locked)


@records_actor
@transaction.atomic
def submit_review(
    review: Review,
    *,
    by: Actor,
    scores: Scores,
    comments: Comments | None = None,
    comment: str = "",
    feedback: str = "",
) -> Review:
    """Send the member's review: every criterion they score needs a score. From then on it is
    read-only (staff may reopen it). Same conditions as save_review.

    Side effects: saves the Review (sent, with the time) and its Scores; records the member's
    engagement (recruitment.services.record_engagement, once per review)."""
    locked = _locked(review)
    _refuse_unless_members_own(locked, by)
    _refuse_unless_writable(locked)
    _refuse_unless_scoring_open(locked)
    _write(
        locked,
        scores=scores,
        comments=comments or {},
        comment=comment,
        feedback=feedback,
        sending=True,
    )
    _record_paid_work(locked, by=by)
    return _apply(review, locked)


@records_actor
@transaction.atomic
def submit_assisted_review(
    review: Review,
    *,
    by: User,
    scores: Scores,
    comments: Comments | None = None,
    comment: str = "",
    feedback: str = "",
) -> Review:
    """Funding staff send a member's review for them, after talking it through with them: the
    review stays the member's, and records who helped (`assisted_by`). Every score is needed.
    Possible while the review is not sent nor stepped back, in or after the scoring window; not
    for a member kept out of the proposal (a conflict, or their own: they may not score it).

    Side effects: saves the Review (sent, assisted) and its Scores; records the member's
    engagement (once per review)."""
    if not may_manage_reviews(by):
        raise ValidationError(_("You do not have permission to do this."), code="not_allowed")
    locked = _locked(review)
    if locked.member.person_id is not None and locked.member.person_id == by.person_id:
        raise ValidationError(_("You cannot enter your own review as assisted."), code="own_review")
    _refuse_unless_writable(locked)
    if locked.proposal_id in excluded_proposal_ids(locked.member):
        raise ValidationError(
            _("This member is kept out of this proposal (a conflict of interest, or their own)."),
            code="kept_out",
        )
    locked.assisted_by = by
    _write(
        locked,
        scores=scores,
        comments=comments or {},
        comment=comment,
        feedback=feedback,
        sending=True,
    )
    _record_paid_work(locked, by=by)
    return _apply(review, locked)


def staff_reviews_link(call_id: int) -> str:
    """The staff page of a call's reviews, as a link a member of staff follows from an email."""
    path = reverse("funding_review_staff:call", kwargs={"call_id": call_id})
    return settings.COPROD_SITE_URL + path


@records_actor
@transaction.atomic
def step_back(review: Review, *, by: Actor) -> Review:
    """The member steps back from a review: no reason asked, and nothing counts it against them.
    Possible until the review is sent. Funding staff (who may change reviews) are told to
    reassign it, with a link to the call's reviews and no name.

    Side effects: saves the Review (stepped back, with the time); queues a staff message
    (`funding_review_stepped_back`) to each member of the funding team."""
    locked = _locked(review)
    _refuse_unless_members_own(locked, by)
    _refuse_unless_writable(locked)
    locked.status = ReviewStatus.STEPPED_BACK
    locked.stepped_back_at = timezone.now()
    locked.save(update_fields=["status", "stepped_back_at", "updated_at"])
    link = staff_reviews_link(locked.proposal.call_id)
    queue_notifications(
        [
            Outgoing(
                person_id=person_id,
                kind="funding_review_stepped_back",
                key=f"funding-stepped-back:{locked.pk}:{person_id}:"
                f"{locked.stepped_back_at.isoformat()}",
                context={"link": link},
                category=NotificationCategory.STAFF,
            )
            for person_id in staff_to_remind(StaffGroup.FUNDING, MANAGE_REVIEWS)
        ]
    )
    return _apply(review, locked)


@records_actor
@transaction.atomic
def reopen_review(review: Review, *, by: User, reason: str) -> Review:
    """Funding staff reopen a sent review, with a reason (recorded with who and when): it is a
    draft again, its scores kept, and the member may change it while scoring is open. The member
    is told. Paid work is not recorded again when it is sent again.

    Side effects: saves the Review (draft, reopened); queues a message to the member
    (`funding_review_reopened`)."""
    if not may_manage_reviews(by):
        raise ValidationError(_("You do not have permission to do this."), code="not_allowed")
    reason = reason.strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Say why the review is reopened: the member is told.")},
            code="reason_needed",
        )
    locked = _locked(review)
    if locked.status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("Only a sent review can be reopened."), code="not_sent")
    locked.status = ReviewStatus.DRAFT
    locked.reopened_at = timezone.now()
    locked.reopened_by = by
    locked.reopen_reason = reason
    locked.full_clean(validate_unique=False, validate_constraints=False)
    locked.save()
    person = locked.member.person
    if person is not None and person.erased_at is None:
        queue_notification(
            person,
            kind="funding_review_reopened",
            key=f"funding-review-reopened:{locked.pk}:{locked.reopened_at.isoformat()}",
            context={
                "reason": reason,
                "link": settings.COPROD_SITE_URL
                + reverse("funding_reviews:review", kwargs={"review_id": locked.pk}),
            },
        )
    return _apply(review, locked)
