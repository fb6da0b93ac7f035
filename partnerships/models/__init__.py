"""Partnerships: partner organisations, partnerships on the participation ladder, agreements,
meetings, decisions, barriers and "you said, we did", the library, the self-assessment."""

from partnerships.models.agreements import Agreement
from partnerships.models.assessment import (
    AssessmentAnswer,
    AssessmentParticipation,
    AssessmentResponse,
    AssessmentRound,
)
from partnerships.models.files import partnership_file_storage
from partnerships.models.influence import Barrier, Decision, YouSaidItem
from partnerships.models.library import Resource, ResourceContributor, Tag
from partnerships.models.meetings import Meeting, MeetingInvitation
from partnerships.models.organisations import Organisation, OrganisationPractitioner
from partnerships.models.partnerships import LevelChange, Partnership, PartnershipMember
from partnerships.models.reminders import PartnershipReminder

__all__ = [
    "Agreement",
    "AssessmentAnswer",
    "AssessmentParticipation",
    "AssessmentResponse",
    "AssessmentRound",
    "Barrier",
    "Decision",
    "LevelChange",
    "Meeting",
    "MeetingInvitation",
    "Organisation",
    "OrganisationPractitioner",
    "Partnership",
    "PartnershipMember",
    "PartnershipReminder",
    "Resource",
    "ResourceContributor",
    "Tag",
    "YouSaidItem",
    "partnership_file_storage",
]
