"""What the audit trail keeps of this app's changes (coprod.audit.register): ids, states, dates
and amounts. Masked: every piece of free text — a call's and criterion's text (public, masked
all the same: it can name a partner) and a proposal's content and ineligibility reason — so
audit rows, never changed or deleted, hold nothing personal after an erasure."""

from coprod.audit import register
from funding.models import Call, ConflictDeclaration, Criterion, Panel, PanelMember, Proposal

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
