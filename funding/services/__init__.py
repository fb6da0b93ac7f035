"""Workflows that change funding records: one function per state change, one module per area
(calls and proposals, attachments, panels and conflicts, reviews, results and decisions,
meetings)."""

from funding.services.calls import (
    CHECK_ELIGIBILITY,
    MANAGE_CALLS,
    PROPOSAL_FIELDS,
    REQUIRED_TO_SUBMIT,
    add_lived_experience_criterion,
    create_call,
    move_call,
    record_eligibility,
    save_proposal,
    start_proposal,
    submit_proposal,
    withdraw_proposal,
)
from funding.services.personal_data import erase_funding_records

# Scoring online (reviews).
from funding.services.reminders import remind_scoring_due
from funding.services.reviews import (
    reopen_review,
    save_review,
    step_back,
    submit_assisted_review,
    submit_review,
)

__all__ = [
    "CHECK_ELIGIBILITY",
    "MANAGE_CALLS",
    "PROPOSAL_FIELDS",
    "REQUIRED_TO_SUBMIT",
    "add_lived_experience_criterion",
    "create_call",
    "erase_funding_records",
    "move_call",
    "record_eligibility",
    "save_proposal",
    "start_proposal",
    "submit_proposal",
    "withdraw_proposal",
]

# Proposal files (the "files" slice) ----------------------------------------------------------
from funding.services.attachments import (
    MAX_ATTACHMENTS_PER_PROPOSAL,
    attachment_type,
    check_attachment,
    check_attachments,
    keep_proposal,
    remove_attachment,
)

__all__ += [
    "MAX_ATTACHMENTS_PER_PROPOSAL",
    "attachment_type",
    "check_attachment",
    "check_attachments",
    "keep_proposal",
    "remove_attachment",
]

# Scoring online (reviews).
__all__ += [
    "remind_scoring_due",
    "reopen_review",
    "save_review",
    "step_back",
    "submit_assisted_review",
    "submit_review",
]

# Panel meetings ----------------------------------------------------------------------------------
from funding.services.meetings import (  # noqa: E402
    answer_poll,
    close_due_polls,
    close_poll,
    create_poll,
    meeting_calendar,
    record_attendance,
    remind_meetings,
)

__all__ += [
    "answer_poll",
    "close_due_polls",
    "close_poll",
    "create_poll",
    "meeting_calendar",
    "record_attendance",
    "remind_meetings",
]
