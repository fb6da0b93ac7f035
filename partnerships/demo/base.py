"""Organisations and partnerships of the demo.

At scale 1: five partner organisations; two partnerships at different places on the ladder with
their history — "Survivor voices in local policing" (inform → consult → involve → collaborate,
led by the demo staff member) and "Safe work pathways" (inform → consult). The demo LEE (Ayo) is
a member of both, with three more lived experience experts, the demo practitioner, researcher and
policymaker, so that results by role have enough people to show.

At a scale N > 1, in bulk: `PARTNERSHIPS_PER_UNIT` × (N - 1) partnerships of scale people, each
with `MEMBERS_PER_SCALE_PARTNERSHIP` members and a ladder history; the demo LEE is in one in ten."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from coprod.audit import SystemActor
from coprod.demo import PEOPLE_PER_UNIT, SCALE_NAME_BASE, STAFF_EMAIL, demo_user
from coprod.doors import DemoRun
from coprod.enums import Role
from coprod.models import Person
from coprod.services.people import create_person
from coprod.services.roles import grant_role
from partnerships.enums import (
    OrganisationKind,
    ParticipationLevel,
    PartnershipRole,
    PartnershipStatus,
)
from partnerships.models import (
    LevelChange,
    Organisation,
    OrganisationPractitioner,
    Partnership,
    PartnershipMember,
)

SEEDER = SystemActor("command:seed_demo")
LEE_EMAIL = "lee@example.org"
PRACTITIONER_EMAIL = "practitioner@example.org"
RESEARCHER_EMAIL = "researcher@example.org"
POLICYMAKER_EMAIL = "policymaker@example.org"

FIRST = "Survivor voices in local policing"
SECOND = "Safe work pathways"
SCALE_TITLE = "Demo scale partnership {:05d}"
PARTNERSHIPS_PER_UNIT = 2
MEMBERS_PER_SCALE_PARTNERSHIP = 8

ORGANISATIONS = [
    ("Survivors Forward", OrganisationKind.SURVIVOR_LED, "North West", "Grace Okafor"),
    ("Haven Support Trust", OrganisationKind.SUPPORT_PROVIDER, "London", "Tom Reilly"),
    ("Northbridge University", OrganisationKind.UNIVERSITY, "Yorkshire", "Dr Ana Silva"),
    ("City Council Policy Unit", OrganisationKind.GOVERNMENT, "West Midlands", "Priya Shah"),
    ("Fair Work Alliance", OrganisationKind.NGO, "Scotland", "Callum Ross"),
]

# More lived experience experts in the demo partnerships (display names, no logins).
EXTRA_LEES = ["Noor", "Tendai", "Lina"]

# The ladder history of each demo partnership: (days ago, to level, who agreed, why).
HISTORY = {
    FIRST: [
        (
            540,
            ParticipationLevel.INFORM,
            "Centre staff",
            "The partnership was set up to share "
            "what the centre learns about policing with survivor groups.",
        ),
        (
            420,
            ParticipationLevel.CONSULT,
            "The steering group",
            "Survivor groups asked to comment on draft guidance before it is published.",
        ),
        (
            300,
            ParticipationLevel.INVOLVE,
            "The steering group, with the lived experience members",
            "Lived experience members now help plan each piece of work.",
        ),
        (
            120,
            ParticipationLevel.COLLABORATE,
            "The whole partnership, by consensus",
            "Decisions are now shared: lived experience members hold half the seats on the "
            "steering group.",
        ),
    ],
    SECOND: [
        (
            200,
            ParticipationLevel.INFORM,
            "Centre staff",
            "Started to keep partners informed of research on routes into safe work.",
        ),
        (
            60,
            ParticipationLevel.CONSULT,
            "The partners' meeting",
            "Partners and survivors are now asked what the research should look at.",
        ),
    ],
}


def seed(run: DemoRun) -> None:
    staff = demo_user(STAFF_EMAIL)
    organisations = _organisations()
    people = _people(staff)
    _partnership(
        FIRST,
        "Make sure what survivors know about policing shapes local police guidance.",
        staff,
        organisations[:4],
        people,
    )
    _partnership(
        SECOND,
        "Find out together what helps survivors find safe, fairly paid work.",
        staff,
        [organisations[0], organisations[4]],
        people,
    )
    if run.scale > 1:
        added = scale(run.scale, staff)
        if added:
            run.report(f"Partnerships at scale {run.scale}: {added} partnerships added.")


def _organisations() -> list[Organisation]:
    found = []
    for name, kind, region, contact in ORGANISATIONS:
        organisation, _created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "region": region,
                "website": f"https://{name.lower().replace(' ', '')}.example.org",
                "safeguarding_contact_name": contact,
                "safeguarding_contact_email": "safeguarding@example.org",
            },
        )
        found.append(organisation)
    practitioner = demo_user(PRACTITIONER_EMAIL).person
    OrganisationPractitioner.objects.get_or_create(organisation=found[1], person=practitioner)
    return found


def _people(staff) -> dict[str, tuple[Person, str]]:
    """Members of the demo partnerships: person and role in the partnership, by name."""
    people = {
        "lee": (demo_user(LEE_EMAIL).person, PartnershipRole.LEE),
        "practitioner": (demo_user(PRACTITIONER_EMAIL).person, PartnershipRole.PRACTITIONER),
        "researcher": (demo_user(RESEARCHER_EMAIL).person, PartnershipRole.RESEARCHER),
        "policymaker": (demo_user(POLICYMAKER_EMAIL).person, PartnershipRole.POLICYMAKER),
    }
    for name in EXTRA_LEES:
        person = Person.objects.filter(chosen_name=name).first()
        if person is None:
            person = create_person(chosen_name=name)
            for role in (Role.PWLE, Role.LEE):
                grant_role(person, role, by=staff)
        people[name] = (person, PartnershipRole.LEE)
    return people


def _partnership(title, aims, staff, organisations, people) -> Partnership:
    partnership = Partnership.objects.filter(title=title).first()
    if partnership is not None:
        return partnership
    history = HISTORY[title]
    today = timezone.localdate()
    started = today - timedelta(days=history[0][0])
    with transaction.atomic():
        partnership = Partnership.objects.create(
            title=title,
            aims=aims,
            lead=staff,
            starts_on=started,
            status=PartnershipStatus.ACTIVE,
            level=history[-1][1],
            created_by=staff,
        )
        partnership.organisations.set(organisations)
        previous = None
        for days_ago, level, agreed_by, reason in history:
            LevelChange.objects.create(
                partnership=partnership,
                from_level=previous,
                to_level=level,
                changed_on=today - timedelta(days=days_ago),
                agreed_by=agreed_by,
                reason=reason,
                recorded_by=staff,
            )
            previous = level
        PartnershipMember.objects.bulk_create(
            PartnershipMember(
                partnership=partnership, person=person, role=role, joined_on=started, added_by=staff
            )
            for person, role in people.values()
        )
    return partnership


# Scale ------------------------------------------------------------------------------------------

SCALE_ROLES = [
    PartnershipRole.LEE,
    PartnershipRole.PWLE,
    PartnershipRole.PRACTITIONER,
    PartnershipRole.RESEARCHER,
    PartnershipRole.POLICYMAKER,
]


def scale_titles(scale: int) -> list[str]:
    return [SCALE_TITLE.format(index) for index in range(PARTNERSHIPS_PER_UNIT * (scale - 1))]


def scale(scale: int, staff) -> int:
    """The scale partnerships that are missing, in bulk, with members taken in turn from the
    core's scale people, a ladder history each, and the demo LEE in one in ten."""
    titles = scale_titles(scale)
    existing = set(Partnership.objects.filter(title__in=titles).values_list("title", flat=True))
    missing = [(index, title) for index, title in enumerate(titles) if title not in existing]
    if not missing:
        return 0
    names = [f"Member {SCALE_NAME_BASE + index}" for index in range(PEOPLE_PER_UNIT * (scale - 1))]
    people = list(
        Person.objects.filter(generated_name__in=names)
        .order_by("generated_name")
        .values_list("pk", flat=True)
    )
    lee = demo_user(LEE_EMAIL).person
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    today = timezone.localdate()
    with transaction.atomic():
        Partnership.objects.bulk_create(
            Partnership(
                title=title,
                aims="A demo partnership for measuring pages at scale.",
                lead=staff,
                starts_on=today - timedelta(days=400),
                status=PartnershipStatus.ACTIVE,
                level=1 + index % len(ParticipationLevel),
                created_by=staff,
            )
            for index, title in missing
        )
        made = dict(
            Partnership.objects.filter(title__in=[title for _i, title in missing]).values_list(
                "title", "pk"
            )
        )
        changes, members, links = [], [], []
        for index, title in missing:
            pk = made[title]
            top = 1 + index % len(ParticipationLevel)
            for level in range(1, top + 1):
                changes.append(
                    LevelChange(
                        partnership_id=pk,
                        from_level=level - 1 or None,
                        to_level=level,
                        changed_on=today - timedelta(days=400 - 60 * level),
                        agreed_by="The steering group",
                        reason="Demo step.",
                        recorded_by=staff,
                    )
                )
            chosen = set()
            for offset in range(MEMBERS_PER_SCALE_PARTNERSHIP):
                if people:
                    chosen.add(
                        people[(index * MEMBERS_PER_SCALE_PARTNERSHIP + offset) % len(people)]
                    )
            for offset, person_id in enumerate(sorted(chosen)):
                members.append(
                    PartnershipMember(
                        partnership_id=pk,
                        person_id=person_id,
                        role=SCALE_ROLES[offset % len(SCALE_ROLES)],
                        joined_on=today - timedelta(days=400),
                    )
                )
            if index % 10 == 0 and lee.pk not in chosen:
                members.append(
                    PartnershipMember(
                        partnership_id=pk,
                        person=lee,
                        role=PartnershipRole.LEE,
                        joined_on=today - timedelta(days=400),
                    )
                )
            if organisations:
                links.append(
                    Partnership.organisations.through(
                        partnership_id=pk, organisation_id=organisations[index % len(organisations)]
                    )
                )
        LevelChange.objects.bulk_create(changes)
        PartnershipMember.objects.bulk_create(members)
        Partnership.organisations.through.objects.bulk_create(links)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Partnership, PartnershipMember, LevelChange):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return len(missing)


def scale_partnership_ids(scale: int) -> list[int]:
    """The scale partnerships' ids, in title order (for the areas' own scale data)."""
    return list(
        Partnership.objects.filter(title__in=scale_titles(scale))
        .order_by("title")
        .values_list("pk", flat=True)
    )
