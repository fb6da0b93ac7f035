"""Everything partnerships holds about a person, for their download (coprod's data-rights door).

Self-assessment answers are anonymous: the download says which rounds the person answered, never
what they answered, comments included (nothing links the two, so the answers cannot be found for
a download, nor deleted by an erasure: they stay in the results)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from coprod.models import Person
from partnerships.models import (
    AssessmentParticipation,
    MeetingInvitation,
    OrganisationPractitioner,
    PartnershipMember,
    Resource,
    ResourceContributor,
    YouSaidItem,
)


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None


def partnerships_personal_data(person: Person) -> dict[str, Any]:
    """The organisations they are a practitioner at, their memberships, the meetings they were
    invited to (with attendance and costs paid), what they said ("you said, we did"), the
    resources they proposed or contributed to, and the self-assessment rounds they answered."""
    practitioner = OrganisationPractitioner.objects.filter(person=person).select_related(
        "organisation"
    )
    memberships = PartnershipMember.objects.filter(person=person).select_related("partnership")
    invitations = MeetingInvitation.objects.filter(member__person=person).select_related(
        "meeting__partnership"
    )
    said = YouSaidItem.objects.filter(given_by=person).select_related("partnership")
    proposed = Resource.objects.filter(proposed_by=person)
    contributed = ResourceContributor.objects.filter(person=person).select_related("resource")
    answered = AssessmentParticipation.objects.filter(person=person).select_related(
        "round__partnership"
    )
    return {
        "practitioner_at": [
            {"organisation": link.organisation.name, "added_at": _when(link.added_at)}
            for link in practitioner
        ],
        "partnerships": [
            {
                "partnership": member.partnership.title,
                "role": member.role,
                "joined_on": _when(member.joined_on),
                "left_on": _when(member.left_on),
            }
            for member in memberships
        ],
        "meetings": [
            {
                "partnership": invitation.meeting.partnership.title,
                "meeting": invitation.meeting.title,
                "starts_at": _when(invitation.meeting.starts_at),
                "attended": invitation.attended,
                "travel_cost": str(invitation.travel_cost),
                "childcare_cost": str(invitation.childcare_cost),
                "interpreter_cost": str(invitation.interpreter_cost),
            }
            for invitation in invitations
        ],
        "you_said": [
            {
                "partnership": item.partnership.title,
                "said": item.said,
                "said_on": _when(item.said_on),
                "shown_as_anonymous": item.anonymous,
                "words_kept_if_deleted": item.keep_words,
                "response": item.response,
                "what_changed": item.what_changed,
                "status": item.status,
                "reason": item.reason,
                "closed_at": _when(item.closed_at),
            }
            for item in said
        ],
        "resources_proposed": [
            {
                "title": resource.title,
                "kind": resource.kind,
                "summary": resource.summary,
                "body": resource.body,
                "file_name": resource.file_name,
                "status": resource.status,
                "published_at": _when(resource.published_at),
            }
            for resource in proposed
        ],
        "resources_contributed_to": [
            {"resource": link.resource.title, "named_as_contributor": link.credited}
            for link in contributed
        ],
        "self_assessments_answered": [
            {
                "partnership": participation.round.partnership.title,
                "round": participation.round.title,
                "answered_at": _when(participation.answered_at),
            }
            for participation in answered
        ],
    }
