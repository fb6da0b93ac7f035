"""Funding: calls and criteria, proposals and their files, panels and conflicts, reviews and
scores, decisions, meeting polls, reminders."""

from funding.models.calls import LIVED_EXPERIENCE_KEY, SUMMARY_MAX_LENGTH, Call, Criterion, Proposal
from funding.models.decisions import Decision
from funding.models.files import AttachmentType, ProposalAttachment, proposal_file_storage
from funding.models.meetings import MeetingAttendance, MeetingPoll, MeetingSlot, SlotAnswer
from funding.models.panels import ConflictDeclaration, Panel, PanelMember
from funding.models.reminders import FundingReminder
from funding.models.reviews import Review, Score

__all__ = [
    "LIVED_EXPERIENCE_KEY",
    "SUMMARY_MAX_LENGTH",
    "AttachmentType",
    "Call",
    "ConflictDeclaration",
    "Criterion",
    "Decision",
    "FundingReminder",
    "MeetingAttendance",
    "MeetingPoll",
    "MeetingSlot",
    "Panel",
    "PanelMember",
    "Proposal",
    "ProposalAttachment",
    "Review",
    "Score",
    "SlotAnswer",
    "proposal_file_storage",
]
