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

# Results and decisions (funding.services.decisions) ---------------------------------------------
from funding.services.decisions import (
    DECIDE,
    decide_call,
    may_decide,
    proposals_needing_decision,
    record_decision,
)

__all__ += [
    "DECIDE",
    "decide_call",
    "may_decide",
    "proposals_needing_decision",
    "record_decision",
]
