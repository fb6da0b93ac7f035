"""What the audit trail keeps of this app's changes (coprod.audit.register): ids, states, dates
and amounts. Masked: every piece of free text — a call's and criterion's text (public, masked
all the same: it can name a partner) and a proposal's content and ineligibility reason — so
audit rows, never changed or deleted, hold nothing personal after an erasure."""

from coprod.audit import register
from funding.models import Call, Criterion, Proposal

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
