"""Workflows that change funding records: one function per state change, one module per area
(calls and proposals, attachments, panels and conflicts, reviews, results and decisions,
meetings)."""

from funding.services.attachments import (
    MAX_ATTACHMENTS_PER_PROPOSAL,
    attachment_type,
    check_attachment,
    check_attachments,
    keep_proposal,
    remove_attachment,
)
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
from funding.services.decisions import (
    DECIDE,
    decide_call,
    may_decide,
    proposals_needing_decision,
    record_decision,
)
from funding.services.meetings import (
    answer_poll,
    close_due_polls,
    close_poll,
    create_poll,
    meeting_calendar,
    record_attendance,
    remind_meetings,
)
from funding.services.personal_data import erase_funding_records
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
    "DECIDE",
    "MANAGE_CALLS",
    "MAX_ATTACHMENTS_PER_PROPOSAL",
    "PROPOSAL_FIELDS",
    "REQUIRED_TO_SUBMIT",
    "add_lived_experience_criterion",
    "answer_poll",
    "attachment_type",
    "check_attachment",
    "check_attachments",
    "close_due_polls",
    "close_poll",
    "create_call",
    "create_poll",
    "decide_call",
    "erase_funding_records",
    "keep_proposal",
    "may_decide",
    "meeting_calendar",
    "move_call",
    "proposals_needing_decision",
    "record_attendance",
    "record_decision",
    "record_eligibility",
    "remind_meetings",
    "remind_scoring_due",
    "remove_attachment",
    "reopen_review",
    "save_proposal",
    "save_review",
    "start_proposal",
    "step_back",
    "submit_assisted_review",
    "submit_proposal",
    "submit_review",
    "withdraw_proposal",
]
