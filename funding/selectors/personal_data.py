"""Everything funding holds about a person, for their download (coprod's data-rights door)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Prefetch

from coprod.models import Person
from funding.models import (
    ConflictDeclaration,
    MeetingAttendance,
    PanelMember,
    Proposal,
    Review,
    Score,
    SlotAnswer,
)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def funding_personal_data(person: Person) -> dict[str, Any]:
    """Their proposals (every field, with the names of their files), their panel seats, conflict
    declarations, reviews with scores, and meeting availability and attendance."""
    proposals = Proposal.objects.filter(applicant=person).select_related("call", "decision")
    seats = PanelMember.objects.filter(person=person).select_related("panel__call")
    declarations = ConflictDeclaration.objects.filter(member__person=person).select_related(
        "proposal"
    )
    reviews = (
        Review.objects.filter(member__person=person)
        .select_related("proposal")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.select_related("criterion")))
    )
    answers = SlotAnswer.objects.filter(member__person=person).select_related("slot__poll")
    attendance = MeetingAttendance.objects.filter(member__person=person).select_related("poll")
    return {
        "proposals": [
            {
                "call": proposal.call.title,
                "title": proposal.title,
                "summary": proposal.summary,
                "description": proposal.description,
                "requested_amount": str(proposal.requested_amount)
                if proposal.requested_amount is not None
                else None,
                "team": proposal.team,
                "lived_experience_involvement": proposal.lived_experience_involvement,
                "content_warning": proposal.content_warning,
                "status": proposal.status,
                "submitted_at": _when(proposal.submitted_at),
                "withdrawn_at": _when(proposal.withdrawn_at),
                "eligibility": proposal.eligibility,
                "ineligible_reason": proposal.ineligible_reason,
                "created_at": proposal.created_at.isoformat(),
                "files": [
                    {"name": attachment.original_name, "added_at": _when(attachment.added_at)}
                    for attachment in proposal.attachments.all()
                ],
                "decision": _decision(proposal),
            }
            for proposal in proposals.prefetch_related("attachments")
        ],
        "panel_seats": [
            {
                "call": seat.panel.call.title,
                "seat": seat.role,
                "chair": seat.is_chair,
                "confidentiality_accepted_at": _when(seat.confidentiality_accepted_at),
                "declarations_done_at": _when(seat.declarations_done_at),
            }
            for seat in seats
        ],
        "conflict_declarations": [
            {
                "proposal": declaration.proposal.title,
                "conflicted": declaration.conflicted,
                "category": declaration.category,
                "description": declaration.description,
                "declared_at": _when(declaration.declared_at),
                "decision": declaration.decision,
                "decision_reason": declaration.decision_reason,
            }
            for declaration in declarations
        ],
        "reviews": [
            {
                "proposal": review.proposal.title,
                "status": review.status,
                "comment": review.comment,
                "feedback": review.feedback,
                "submitted_at": _when(review.submitted_at),
                "stepped_back_at": _when(review.stepped_back_at),
                "assisted": review.assisted_by_id is not None,
                "reopen_reason": review.reopen_reason,
                "scores": [
                    {
                        "criterion": score.criterion.name,
                        "score": score.value,
                        "comment": score.comment,
                    }
                    for score in review.scores.all()
                ],
            }
            for review in reviews
        ],
        "meeting_availability": [
            {
                "meeting": answer.slot.poll.title,
                "starts_at": _when(answer.slot.starts_at),
                "answer": answer.answer,
            }
            for answer in answers
        ],
        "meeting_attendance": [
            {"meeting": row.poll.title, "attended": row.attended} for row in attendance
        ],
    }


def _decision(proposal: Proposal) -> dict[str, Any] | None:
    """What the applicant is told of the decision on their proposal (results and decisions):
    the outcome, any conditions and the feedback, once sent."""
    decision = getattr(proposal, "decision", None)
    if decision is None or decision.feedback_sent_at is None:
        return None
    return {
        "outcome": decision.outcome,
        "conditions": decision.conditions,
        "feedback": decision.feedback,
        "sent_at": _when(decision.feedback_sent_at),
    }
