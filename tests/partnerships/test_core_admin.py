"""Organisations, partnerships and members in the admin: the level is read-only (the ladder moves
on the staff page), partnerships are created on the staff page, members are not changed here,
practitioners must hold the role, and people appear by display name only."""

from __future__ import annotations

import pytest

from coprod.enums import Role, StaffGroup
from partnerships.enums import ParticipationLevel, PartnershipRole
from partnerships.models import LevelChange, OrganisationPractitioner
from tests.factories.core import make_person, make_staff, make_user
from tests.factories.partnerships import (
    OrganisationFactory,
    PartnershipFactory,
    add_member,
    make_partnerships_staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(client):
    user = make_partnerships_staff()
    client.force_login(user)
    return user


def _inline(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def test_saving_a_partnership_in_the_admin_keeps_its_level(client, team):
    partnership = PartnershipFactory(lead=team, level=ParticipationLevel.CONSULT)
    data = {
        "title": "Renamed",
        "aims": partnership.aims,
        "lead": str(team.pk),
        "starts_on": partnership.starts_on.isoformat(),
        "status": partnership.status,
        "level": "5",
        **_inline("level_changes", 1, 1),
        **_inline("members", 0, 0),
    }

    response = client.post(f"/admin/partnerships/partnership/{partnership.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:3000]
    partnership.refresh_from_db()
    assert (partnership.title, partnership.level) == ("Renamed", ParticipationLevel.CONSULT)
    assert LevelChange.objects.filter(partnership=partnership).count() == 1


def test_an_inactive_lead_chosen_in_the_admin_is_refused_on_the_form(client, team):
    partnership = PartnershipFactory(lead=team, title="Kept")
    gone = make_staff(StaffGroup.ENGAGEMENT, is_active=False)
    data = {
        "title": "Renamed",
        "aims": partnership.aims,
        "lead": str(gone.pk),
        "starts_on": partnership.starts_on.isoformat(),
        "status": partnership.status,
        **_inline("level_changes", 1, 1),
        **_inline("members", 0, 0),
    }

    response = client.post(f"/admin/partnerships/partnership/{partnership.pk}/change/", data)

    assert response.status_code == 200
    assert "errornote" in response.content.decode()
    partnership.refresh_from_db()
    assert (partnership.title, partnership.lead) == ("Kept", team)


def test_partnerships_are_not_added_or_deleted_in_the_admin(client, team):
    partnership = PartnershipFactory()

    add = client.get("/admin/partnerships/partnership/add/")
    delete = client.get(f"/admin/partnerships/partnership/{partnership.pk}/delete/")

    assert (add.status_code, delete.status_code) == (403, 403)


def test_member_list_shows_display_names_not_emails(client, team):
    user = make_user(roles=[Role.PWLE, Role.LEE])
    add_member(PartnershipFactory(), user.person, PartnershipRole.LEE)

    page = client.get("/admin/partnerships/partnershipmember/").content.decode()

    assert user.person.display_name in page
    assert user.email not in page


def test_practitioner_inline_refuses_a_person_without_the_role(client, team):
    organisation = OrganisationFactory()
    researcher = make_person(roles=[Role.RESEARCHER])
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "safeguarding_contact_name": organisation.safeguarding_contact_name,
        **_inline("practitioner_links", 1, 0),
        "practitioner_links-0-person": str(researcher.pk),
    }

    response = client.post(f"/admin/partnerships/organisation/{organisation.pk}/change/", data)

    assert response.status_code == 200
    assert "does not hold the practitioner role now" in response.content.decode()
    assert not OrganisationPractitioner.objects.exists()
