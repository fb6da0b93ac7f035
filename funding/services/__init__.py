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

# Panels, conflicts and assignment (helper "panels") ----------------------------------------------
from funding.services.assignment import (
    AssignmentReport,
    assign_automatically,
    assign_reviewer,
    assignment_refusal,
    unassign_reviewer,
)
from funding.services.panels import (
    DECISIONS,
    DECLARABLE_CATEGORIES,
    MANAGE_PANEL,
    PANEL_FIELDS,
    Answer,
    accept_confidentiality,
    add_member,
    answer_field,
    composition_problems,
    create_panel,
    decide_conflict,
    declare_conflicts,
    may_decide_conflict,
    proposals_to_declare,
    record_own_proposal_conflicts,
    remove_member,
    set_chair,
    start_scoring,
    update_panel,
)

__all__ += [
    "DECISIONS",
    "DECLARABLE_CATEGORIES",
    "MANAGE_PANEL",
    "PANEL_FIELDS",
    "Answer",
    "AssignmentReport",
    "accept_confidentiality",
    "add_member",
    "answer_field",
    "assign_automatically",
    "assign_reviewer",
    "assignment_refusal",
    "composition_problems",
    "create_panel",
    "decide_conflict",
    "declare_conflicts",
    "may_decide_conflict",
    "proposals_to_declare",
    "record_own_proposal_conflicts",
    "remove_member",
    "set_chair",
    "start_scoring",
    "unassign_reviewer",
    "update_panel",
]
