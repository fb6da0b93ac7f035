"""What the audit trail keeps of this app's changes (coprod.audit.register): ids, states, dates
and amounts. Masked: every piece of free text — a call's and criterion's text (public, masked
all the same: it can name a partner) and a proposal's content and ineligibility reason — so
audit rows, never changed or deleted, hold nothing personal after an erasure."""

from coprod.audit import register
from funding.models import (
    Call,
    ConflictDeclaration,
    Criterion,
    Panel,
    PanelMember,
    Proposal,
    Review,
    Score,
)

register(
    Call,
    keep=[
        "id",
        "budget",
        "opens_at",
        "closes_at",
        "status",
        "status_changed_at",
        "created_by",
        "created_at",
    ],
    exclude=["updated_at"],
)
register(Criterion, keep=["id", "call", "weight", "scale_max", "scored_by", "key", "order"])
register(
    Proposal,
    keep=[
        "id",
        "call",
        "applicant",
        "requested_amount",
        "status",
        "submitted_at",
        "withdrawn_at",
        "eligibility",
        "eligibility_checked_at",
        "eligibility_checked_by",
        "created_at",
    ],
    exclude=["updated_at"],
)

# Proposal files (the "files" slice). Masked: the file's own name (it can say who wrote it) and
# where it is stored.
from funding.models import ProposalAttachment  # noqa: E402

register(ProposalAttachment, keep=["id", "proposal", "content_type", "size", "added_at"])
# Scoring online: states, dates and who acted; the member's and staff's words are masked.
register(
    Review,
    keep=[
        "id",
        "member",
        "proposal",
        "status",
        "assigned_at",
        "assigned_by",
        "automatic",
        "started_at",
        "submitted_at",
        "stepped_back_at",
        "assisted_by",
        "reopened_at",
        "reopened_by",
    ],
    exclude=["updated_at"],
)
register(Score, keep=["id", "review", "criterion", "value"])
# Panel meetings (funding.services.meetings): the poll's title and place are staff's words,
# masked all the same (a place can be someone's address).
from funding.models import MeetingAttendance, MeetingPoll, MeetingSlot, SlotAnswer  # noqa: E402

register(
    MeetingPoll,
    keep=[
        "id",
        "panel",
        "duration_minutes",
        "closes_at",
        "status",
        "chosen_slot",
        "closed_at",
        "closed_by",
        "created_by",
        "created_at",
    ],
)
register(MeetingSlot, keep=["id", "poll", "starts_at"])
register(SlotAnswer, keep=["id", "slot", "member", "answer"], exclude=["answered_at"])
register(
    MeetingAttendance,
    keep=["id", "poll", "member", "attended", "recorded_by"],
    exclude=["recorded_at"],
)
# Results and decisions: a decision's outcome, flag, dates and who decided; its free text
# (rationale, conditions, dissent, how the LEE view was weighed, feedback) is masked.
from funding.models import Decision  # noqa: E402

register(
    Decision,
    keep=[
        "id",
        "proposal",
        "outcome",
        "lee_flag_raised",
        "decided_by",
        "decided_at",
        "feedback_sent_at",
    ],
    exclude=["updated_at"],
)

# Panels, conflicts and assignment (helper "panels"): the terms, override reason, a declaration's
# description and a decision's reason are free text, masked.
register(
    Panel,
    keep=[
        "id",
        "call",
        "lee_one_in",
        "needs_every_role",
        "overridden_by",
        "overridden_at",
        "reviewers_per_proposal",
        "scoring_deadline",
        "scoring_started_at",
        "scoring_started_by",
        "scoring_closed_at",
        "lee_flag_threshold",
        "disagreement_threshold",
        "quorum",
        "created_at",
    ],
)
register(
    PanelMember,
    keep=[
        "id",
        "panel",
        "person",
        "role",
        "is_chair",
        "confidentiality_accepted_at",
        "declarations_done_at",
        "added_at",
        "added_by",
    ],
)
register(
    ConflictDeclaration,
    keep=[
        "id",
        "member",
        "proposal",
        "conflicted",
        "category",
        "automatic",
        "declared_at",
        "decision",
        "decided_by",
        "decided_at",
    ],
)
