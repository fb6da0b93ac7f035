"""Permission-matrix entries for organisations, partnerships, the ladder and members.

Staff pages of a partnership: the partnerships team and its lead (STAFF_OBJECT); other staff do
not see it (404); participants, members included, are refused at the staff pages (403). The
overview is for any member of staff (each sees what they manage); a new partnership and the
organisation pages are the partnerships team's only (403 for other staff, a lead included).
Portal: the list for people (staff 404), a partnership's page for its members only."""
# Joined with the rest in permission_matrix.py.

from __future__ import annotations

from typing import Any

from coprod.enums import Role
from partnerships.models import LevelChange, Organisation, OrganisationPractitioner, Partnership
from partnerships.models import PartnershipMember as Member
from tests.factories.core import make_person
from tests.factories.partnerships import OrganisationFactory
from tests.matrix import Entry, Visit
from tests.partnerships.scene import scene

from tests.partnerships.permission_matrix import MEMBERS_ONLY, STAFF_OBJECT, expect  # isort: skip

ANY_STAFF = expect(participants=403, staff=200, other_staff=200, lead=200)
ANY_STAFF_REDIRECTED = expect(participants=403, staff=302, other_staff=302, lead=302)
TEAM_ONLY = expect(participants=403, staff=200, other_staff=403)
TEAM_ONLY_REDIRECTED = expect(participants=403, staff=302, other_staff=403)
STAFF_OBJECT_REDIRECTED = expect(participants=403, staff=302, lead=302, other_staff=404)
PEOPLE = expect(participants=200, members=200)


def partnership(visit: Visit) -> dict[str, Any]:
    return {"partnership_id": scene(visit).partnership.pk}


def other_member(visit: Visit) -> dict[str, Any]:
    built = scene(visit)
    return {"partnership_id": built.partnership.pk, "member_id": built.other_member.pk}


def organisation(visit: Visit) -> dict[str, Any]:
    scene(visit)
    return {"organisation_id": OrganisationFactory().pk}


def practitioner_link(visit: Visit) -> dict[str, Any]:
    scene(visit)
    link = OrganisationPractitioner.objects.create(
        organisation=OrganisationFactory(), person=make_person(roles=[Role.PRACTITIONER])
    )
    return {"organisation_id": link.organisation_id, "link_id": link.pk}


def listed(visit: Visit) -> dict[str, Any]:
    scene(visit)
    return {}


def partnerships(kwargs: dict[str, Any]) -> Any:
    return sorted(Partnership.objects.values_list("pk", "title", "level", "status", "lead_id"))


def ladder(kwargs: dict[str, Any]) -> Any:
    return (
        Partnership.objects.get(pk=kwargs["partnership_id"]).level,
        LevelChange.objects.filter(partnership_id=kwargs["partnership_id"]).count(),
    )


def members(kwargs: dict[str, Any]) -> Any:
    return sorted(
        Member.objects.filter(partnership_id=kwargs["partnership_id"]).values_list(
            "person_id", "role", "left_on"
        )
    )


def organisations(kwargs: dict[str, Any]) -> Any:
    return sorted(Organisation.objects.values_list("pk", "name", "region"))


def practitioners(kwargs: dict[str, Any]) -> Any:
    return sorted(OrganisationPractitioner.objects.values_list("organisation_id", "person_id"))


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


MOVE_UP = {
    "to_level": "3",
    "changed_on": _today(),
    "agreed_by": "The steering group",
    "reason": "Members now help plan.",
}

ENTRIES: dict[str, Entry | list[Entry]] = {
    # Staff: partnerships ------------------------------------------------------------------------
    "partnerships_staff:overview": Entry(ANY_STAFF, build=listed),
    "partnerships_staff:create": [
        Entry(TEAM_ONLY, build=listed),
        Entry(
            TEAM_ONLY,
            build=listed,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=partnerships,
            never_changes=True,
        ),
    ],
    "partnerships_staff:partnership": Entry(STAFF_OBJECT, build=partnership),
    "partnerships_staff:edit": [
        Entry(STAFF_OBJECT, build=partnership),
        Entry(
            STAFF_OBJECT,
            build=partnership,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=partnerships,
            never_changes=True,
        ),
    ],
    "partnerships_staff:change_level": [
        Entry(STAFF_OBJECT, build=partnership),
        Entry(
            STAFF_OBJECT,
            build=partnership,
            case="no reason",
            method="post",
            data={**MOVE_UP, "reason": ""},
            snapshot=ladder,
            never_changes=True,
        ),
        Entry(
            STAFF_OBJECT_REDIRECTED,
            build=partnership,
            case="one step up",
            method="post",
            data=MOVE_UP,
            snapshot=ladder,
        ),
    ],
    "partnerships_staff:add_member": [
        Entry(STAFF_OBJECT, build=partnership),
        Entry(
            STAFF_OBJECT,
            build=partnership,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=members,
            never_changes=True,
        ),
    ],
    "partnerships_staff:end_membership": [
        Entry(STAFF_OBJECT, build=other_member),
        Entry(
            STAFF_OBJECT_REDIRECTED,
            build=other_member,
            case="ended today",
            method="post",
            data={"left_on": _today()},
            snapshot=members,
        ),
    ],
    # Staff: organisations -----------------------------------------------------------------------
    "partnerships_staff:organisations": Entry(TEAM_ONLY, build=listed),
    "partnerships_staff:create_organisation": [
        Entry(TEAM_ONLY, build=listed),
        Entry(
            TEAM_ONLY,
            build=listed,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=organisations,
            never_changes=True,
        ),
    ],
    "partnerships_staff:organisation": Entry(TEAM_ONLY, build=organisation),
    "partnerships_staff:edit_organisation": [
        Entry(TEAM_ONLY, build=organisation),
        Entry(
            TEAM_ONLY,
            build=organisation,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=organisations,
            never_changes=True,
        ),
    ],
    "partnerships_staff:add_practitioner": [
        Entry(TEAM_ONLY, build=organisation),
        Entry(
            TEAM_ONLY,
            build=organisation,
            case="nobody chosen",
            method="post",
            data={},
            snapshot=practitioners,
            never_changes=True,
        ),
    ],
    "partnerships_staff:remove_practitioner": [
        Entry(TEAM_ONLY, build=practitioner_link),
        Entry(
            TEAM_ONLY_REDIRECTED,
            build=practitioner_link,
            case="confirmed",
            method="post",
            data={},
            snapshot=practitioners,
        ),
    ],
    # Portal --------------------------------------------------------------------------------------
    "partnerships_portal:list": Entry(PEOPLE, build=listed),
    "partnerships_portal:partnership": Entry(MEMBERS_ONLY, build=partnership),
}
