"""Decisions on a call's proposals, and deciding the call: each applicant is told the decision
with the panel's feedback, and each panel member the outcomes of the proposals they reviewed."""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.models import User
from coprod.services.notifications import Outgoing, queue_notifications
from funding.enums import CallStatus, DecisionOutcome, Eligibility, PanelRole, ReviewStatus
from funding.models import Call, Decision, Proposal, Review
from funding.selectors.results import call_proposals, lee_flag_now, results_of, scored_reviews
from funding.services.calls import move_call

DECIDE = "funding.decide_proposal"


def _refuse_without_decide(by: Actor) -> None:
    if isinstance(by, User) and not (by.is_staff and by.has_perm(DECIDE)):
        raise ValidationError(_("You do not have permission to do this."), code="not_allowed")


def may_decide(user: User, proposal: Proposal) -> bool:
    """Funding staff who record decisions, on a proposal that is not their own."""
    return (
        user.is_authenticated
        and user.is_staff
        and user.has_perm(DECIDE)
        and proposal.applicant_id != user.person_id
    )


@records_actor
@transaction.atomic
def record_decision(
    proposal: Proposal,
    *,
    by: Actor,
    outcome: str,
    rationale: str,
    conditions: str = "",
    dissent: str = "",
    lee_view: str = "",
    feedback: str = "",
) -> Decision:
    """Record (or change) the decision on `proposal`, while its call is in review: the outcome,
    the rationale (required), conditions (required to fund with conditions, kept only then), any
    dissent, and feedback for the applicant. When the results flag a difference between LEE
    scores and the rest now, how the LEE view was weighed is required, and the flag is stored.
    Nobody decides on their own proposal.

    Side effects: saves the Decision (audited, free text masked)."""
    _refuse_without_decide(by)
    call = Call.objects.select_for_update().get(pk=proposal.call_id)
    locked = call_proposals(call).filter(pk=proposal.pk).select_for_update().first()
    if locked is None:
        raise ValidationError(
            _("Only a sent proposal that is not ineligible can be decided."), code="not_decidable"
        )
    if locked.applicant_id == getattr(by, "person_id", None):
        raise ValidationError(_("You cannot decide on your own proposal."), code="own_proposal")
    if call.status != CallStatus.IN_REVIEW:
        raise ValidationError(
            _("Decisions are recorded while the call is in review; this call is “%(status)s”.")
            % {"status": call.get_status_display()},
            code="not_in_review",
        )
    texts = {
        "rationale": rationale.strip(),
        "conditions": conditions.strip() if outcome == DecisionOutcome.FUND_WITH_CONDITIONS else "",
        "dissent": dissent.strip(),
        "lee_view": lee_view.strip(),
        "feedback": feedback.strip(),
    }
    flagged = lee_flag_now(locked)
    errors = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = _("Choose a decision.")
    if not texts["rationale"]:
        errors["rationale"] = _("Give the rationale for the decision.")
    if outcome == DecisionOutcome.FUND_WITH_CONDITIONS and not texts["conditions"]:
        errors["conditions"] = _("Say what the conditions are.")
    if flagged and not texts["lee_view"]:
        errors["lee_view"] = _(
            "LEE scores differ from the rest by more than the panel's threshold: say how the "
            "lived experience view was weighed."
        )
    if errors:
        raise ValidationError(errors, code="invalid")
    decision = Decision.objects.filter(proposal=locked).first() or Decision(proposal=locked)
    decision.outcome = outcome
    for name, value in texts.items():
        setattr(decision, name, value)
    decision.lee_flag_raised = flagged
    decision.decided_by = by if isinstance(by, User) else None
    decision.full_clean()
    decision.save()
    return decision


def proposals_needing_decision(call: Call):
    """Proposals of the results that must be decided before the call is: the ranked ones (with
    a submitted LEE review) and every eligible one."""
    lee_review = Review.objects.filter(
        proposal=OuterRef("pk"), status=ReviewStatus.SUBMITTED, member__role=PanelRole.LEE
    )
    return call_proposals(call).filter(Exists(lee_review) | Q(eligibility=Eligibility.ELIGIBLE))


@records_actor
@transaction.atomic
def decide_call(call: Call, *, by: Actor) -> Call:
    """Move the call to "decided" (refused while a proposal that is ranked or eligible has no
    decision, or while one the results flag now for the LEE difference has a decision that does
    not say how the LEE view was weighed) and tell everyone, through the outbox, in the same
    transaction:

    - each applicant with a decision: the decision, any conditions, the feedback, and the
      panel's lived experience feedback (what LEE members wrote for the applicant, without
      their names) — message `funding_decision`, key `funding-decision:<decision id>`;
    - each panel member with submitted reviews (not erased): one message listing the outcome of
      each proposal they reviewed beside their own score out of 100 — `funding_panel_outcomes`,
      key `funding-panel-outcomes:<call id>:<member id>`.

    Sets the decisions' `feedback_sent_at`. The keys make a second call send nothing twice
    (and the call, once decided, cannot be decided again).

    Side effects: saves the Call's status and the Decisions; queues Notifications."""
    _refuse_without_decide(by)
    locked = Call.objects.select_for_update().get(pk=call.pk)
    undecided = proposals_needing_decision(locked).filter(decision__isnull=True)
    missing = list(undecided.order_by("pk").values_list("title", flat=True)[:6])
    if missing:
        raise ValidationError(
            _(
                "Record a decision on every ranked or eligible proposal first. "
                "Still to decide: %(titles)s."
            )
            % {"titles": ", ".join(missing)},
            code="undecided",
        )
    # A flag raised after the decision was recorded (a review reopened and sent again, the
    # panel's threshold changed) still needs the LEE view weighed before anyone is told.
    unweighed = list(
        results_of(locked)
        .filter(lee_flag=True, decision__lee_view="")
        .order_by("pk")
        .values_list("title", flat=True)[:6]
    )
    if unweighed:
        raise ValidationError(
            _(
                "LEE scores now differ from the rest by more than the panel's threshold: say how "
                "the lived experience view was weighed in the decision on %(titles)s."
            )
            % {"titles": ", ".join(unweighed)},
            code="lee_view_needed",
        )
    move_call(locked, CallStatus.DECIDED, by=by)
    decisions = list(
        Decision.objects.filter(proposal__in=call_proposals(locked).values("pk"))
        .select_related("proposal")
        .order_by("proposal_id")
    )
    queue_notifications(
        [*_applicant_messages(locked, decisions), *_member_messages(locked, decisions)]
    )
    Decision.objects.filter(pk__in=[decision.pk for decision in decisions]).update(
        feedback_sent_at=timezone.now()
    )
    call.__dict__.update(locked.__dict__)
    return call


def _applicant_messages(call: Call, decisions: list[Decision]) -> list[Outgoing]:
    lee_feedback: dict[int, list[str]] = defaultdict(list)
    rows = (
        Review.objects.filter(
            proposal__call=call, status=ReviewStatus.SUBMITTED, member__role=PanelRole.LEE
        )
        .exclude(feedback="")
        .order_by("proposal_id", "pk")
        .values_list("proposal_id", "feedback")
    )
    for proposal_id, text in rows:
        lee_feedback[proposal_id].append(text)
    return [
        Outgoing(
            person_id=decision.proposal.applicant_id,
            kind="funding_decision",
            key=f"funding-decision:{decision.pk}",
            context={
                "proposal": decision.proposal.title,
                "call": call.title,
                "outcome": decision.get_outcome_display(),
                "funded": decision.outcome != DecisionOutcome.DO_NOT_FUND,
                "conditions": decision.conditions,
                "feedback": decision.feedback,
                "lee_feedback": lee_feedback.get(decision.proposal_id, []),
            },
        )
        for decision in decisions
    ]


def _member_messages(call: Call, decisions: list[Decision]) -> list[Outgoing]:
    outcomes = {decision.proposal_id: decision.get_outcome_display() for decision in decisions}
    reviewed: dict[tuple[int, int], list[dict]] = defaultdict(list)
    rows = (
        scored_reviews()
        .filter(proposal__in=call_proposals(call).values("pk"), member__person__isnull=False)
        .order_by("member_id", "proposal_id")
        .values_list("member_id", "member__person_id", "proposal_id", "proposal__title", "score")
    )
    for member_id, person_id, proposal_id, title, score in rows:
        reviewed[(member_id, person_id)].append(
            {
                "proposal": title,
                "outcome": outcomes.get(proposal_id, _("No decision")),
                "score": None if score is None else round(score),
            }
        )
    return [
        Outgoing(
            person_id=person_id,
            kind="funding_panel_outcomes",
            key=f"funding-panel-outcomes:{call.pk}:{member_id}",
            context={"call": call.title, "reviewed": items},
        )
        for (member_id, person_id), items in reviewed.items()
    ]
