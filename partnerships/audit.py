"""What the audit trail keeps of this app's changes (coprod.audit.register): ids, states, kinds,
dates, levels and amounts. Masked: every piece of free text (aims, reasons, agendas, what was
said and decided, summaries), names and contact details, so audit rows, never changed or
deleted, hold nothing personal after an erasure.

Not audited, on purpose: a self-assessment's responses and answers. An audit row records who
made the change, and that would link an anonymous answer to the member who gave it. That they
answered (AssessmentParticipation) is audited."""

from coprod.audit import register
from partnerships.models import (
    Agreement,
    AssessmentParticipation,
    AssessmentRound,
    Barrier,
    Decision,
    LevelChange,
    Meeting,
    MeetingInvitation,
    Organisation,
    OrganisationPractitioner,
    Partnership,
    PartnershipMember,
    Resource,
    ResourceContributor,
    Tag,
    YouSaidItem,
)

register(Organisation, keep=["id", "kind", "created_at"], exclude=["updated_at"])
register(OrganisationPractitioner, keep=["id", "organisation", "person", "added_at"])
register(
    Partnership,
    keep=["id", "lead", "starts_on", "ends_on", "status", "level", "created_by", "created_at"],
    exclude=["updated_at"],
)
register(
    PartnershipMember,
    keep=["id", "partnership", "person", "role", "joined_on", "left_on", "added_by"],
)
register(
    LevelChange,
    keep=[
        "id",
        "partnership",
        "from_level",
        "to_level",
        "changed_on",
        "recorded_by",
        "recorded_at",
    ],
)
register(
    Agreement,
    keep=["id", "partnership", "kind", "signed_on", "review_on", "created_by", "created_at"],
    exclude=["updated_at"],
)
register(
    Meeting,
    keep=[
        "id",
        "partnership",
        "starts_at",
        "duration_minutes",
        "interpreter",
        "travel_paid",
        "childcare_paid",
        "breaks",
        "preparation_hours",
        "status",
        "created_by",
        "created_at",
    ],
    exclude=["updated_at"],
)
register(
    MeetingInvitation,
    keep=[
        "id",
        "meeting",
        "member",
        "invited_at",
        "attended",
        "travel_cost",
        "childcare_cost",
        "interpreter_cost",
        "recorded_at",
        "recorded_by",
    ],
)
register(
    Decision,
    keep=["id", "partnership", "decided_on", "tension_status", "recorded_by", "created_at"],
    exclude=["updated_at"],
)
register(
    Barrier,
    keep=[
        "id",
        "partnership",
        "kind",
        "status",
        "raised_on",
        "addressed_on",
        "recorded_by",
        "created_at",
    ],
    exclude=["updated_at"],
)
# Masked: who said it (`given_by`). An audit row is kept for ever, also after an erasure, and
# would link an item its giver chose to make anonymous to them.
register(
    YouSaidItem,
    keep=[
        "id",
        "partnership",
        "anonymous",
        "keep_words",
        "said_on",
        "status",
        "closed_at",
        "closed_by",
        "recorded_by",
        "created_at",
    ],
    exclude=["updated_at"],
)
register(Tag, keep=["id", "name", "slug"])
register(
    Resource,
    keep=[
        "id",
        "kind",
        "partnership",
        "status",
        "proposed_by",
        "published_at",
        "published_by",
        "created_at",
    ],
    exclude=["updated_at"],
    m2m_fields=["tags"],
)
register(ResourceContributor, keep=["id", "resource", "person", "credited", "credit_agreed_at"])
register(
    AssessmentRound,
    keep=[
        "id",
        "partnership",
        "opened_on",
        "closes_on",
        "status",
        "closed_at",
        "opened_by",
        "closed_by",
    ],
)
register(AssessmentParticipation, keep=["id", "round", "person", "answered_at"])
