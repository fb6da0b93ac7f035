"""Factories for partnerships' models. A partnership made by `PartnershipFactory` has its first
ladder step recorded (as the service records it), so its history is never empty."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from coprod.models import Person, User
from partnerships.enums import (
    AgreementKind,
    BarrierKind,
    OrganisationKind,
    ParticipationLevel,
    PartnershipRole,
    PartnershipStatus,
    ResourceKind,
    ResourceStatus,
)
from partnerships.models import (
    Agreement,
    AssessmentRound,
    Barrier,
    Decision,
    LevelChange,
    Meeting,
    MeetingInvitation,
    Organisation,
    Partnership,
    PartnershipMember,
    Resource,
    Tag,
    YouSaidItem,
)
from tests.factories.core import make_person, make_staff

# A member's role in a partnership → the core role(s) their person holds.
CORE_ROLES = {
    PartnershipRole.LEE: [Role.PWLE, Role.LEE],
    PartnershipRole.PWLE: [Role.PWLE],
    PartnershipRole.PRACTITIONER: [Role.PRACTITIONER],
    PartnershipRole.RESEARCHER: [Role.RESEARCHER],
    PartnershipRole.POLICYMAKER: [Role.POLICYMAKER],
}


def make_partnerships_staff(**fields: object) -> User:
    return make_staff(StaffGroup.PARTNERSHIPS, **fields)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner organisation {n}")
    kind = OrganisationKind.NGO
    region = "London"
    website = "https://partner.example.org"
    safeguarding_contact_name = "Sam Safe"
    safeguarding_contact_email = "safeguarding@partner.example.org"


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Partnership {n}")
    aims = "Work together so that survivors' knowledge shapes policy."
    lead = factory.LazyFunction(make_partnerships_staff)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=90))
    status = PartnershipStatus.ACTIVE
    level = ParticipationLevel.CONSULT

    @factory.post_generation
    def history(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            LevelChange.objects.create(
                partnership=obj,
                from_level=None,
                to_level=obj.level,
                changed_on=obj.starts_on,
                agreed_by="The steering group",
                reason="Where the partnership started.",
                recorded_by=obj.lead,
            )


def add_member(
    partnership: Partnership,
    person: Person | None = None,
    role: PartnershipRole | str = PartnershipRole.LEE,
    **fields: object,
) -> PartnershipMember:
    """`person` (a new person holding the role, if None) as a current member in `role`."""
    if person is None:
        person = make_person(roles=CORE_ROLES[PartnershipRole(role)])
    fields.setdefault("joined_on", partnership.starts_on)
    return PartnershipMember.objects.create(
        partnership=partnership, person=person, role=role, **fields
    )


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    partnership = factory.SubFactory(PartnershipFactory)
    kind = AgreementKind.TERMS_OF_REFERENCE
    title = factory.Sequence(lambda n: f"Terms of reference {n}")
    signed_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=300))
    review_on = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=60))


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Partnership meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=10))
    place = "Community centre, room 2"
    agenda = "1. Welcome\n2. Draft guidance\n3. Next steps"


def invite(meeting: Meeting, member: PartnershipMember) -> MeetingInvitation:
    return MeetingInvitation.objects.create(meeting=meeting, member=member)


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    partnership = factory.SubFactory(PartnershipFactory)
    decided_on = factory.LazyFunction(timezone.localdate)
    summary = "Publish the guidance in three languages."
    decided_by = "The steering group"


class BarrierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Barrier

    partnership = factory.SubFactory(PartnershipFactory)
    kind = BarrierKind.TIME
    description = "Meetings are in working hours."
    action = "Try evening meetings."
    raised_on = factory.LazyFunction(timezone.localdate)


class YouSaidItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YouSaidItem

    partnership = factory.SubFactory(PartnershipFactory)
    said = "Papers arrive too late to read before meetings."
    said_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Good practice guide {n}")
    kind = ResourceKind.GUIDE
    summary = "How to pay people with lived experience fairly."
    body = "Pay on the day. Offer vouchers as well as bank transfers."
    status = ResourceStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class AssessmentRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentRound

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Round {n}")
    opened_on = factory.LazyFunction(timezone.localdate)
