"""Staff and portal pages of organisations and partnerships: what they show (display names only),
forms with errors change nothing, swapped ids are not found, and query counts do not grow."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from partnerships.enums import (
    BarrierKind,
    BarrierStatus,
    ParticipationLevel,
    PartnershipRole,
    PartnershipStatus,
)
from partnerships.models import LevelChange, Organisation, OrganisationPractitioner, Partnership
from partnerships.services.partnerships import change_level
from tests.factories.core import make_person, make_staff, make_user
from tests.factories.partnerships import (
    CORE_ROLES,
    BarrierFactory,
    OrganisationFactory,
    PartnershipFactory,
    add_member,
    make_partnerships_staff,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


@pytest.fixture
def team(client):
    user = make_partnerships_staff()
    client.force_login(user)
    return user


def _page(client, name: str, **kwargs) -> str:
    response = client.get(reverse(f"partnerships_staff:{name}", kwargs=kwargs))
    assert response.status_code == 200
    return response.content.decode()


def _step_up(partnership, by, to_level, days_ago=0, **fields):
    return change_level(
        partnership,
        by=by,
        to_level=to_level,
        changed_on=TODAY() - timedelta(days=days_ago),
        agreed_by=fields.pop("agreed_by", "The steering group"),
        reason=fields.pop("reason", "Ready for the next step."),
        **fields,
    )


# The overview ------------------------------------------------------------------------------------


def test_overview_shows_where_each_partnership_stands(client, team):
    lead = make_staff(StaffGroup.ENGAGEMENT)
    lead.person.chosen_name = "Robin Lead"
    lead.person.save()
    partnership = PartnershipFactory(
        title="Safe work", lead=lead, starts_on=TODAY() - timedelta(100)
    )
    _step_up(partnership, team, ParticipationLevel.INVOLVE, days_ago=50)
    _step_up(partnership, team, ParticipationLevel.COLLABORATE, days_ago=10)
    add_member(partnership, role=PartnershipRole.LEE)
    add_member(partnership, role=PartnershipRole.PWLE)
    add_member(partnership, role=PartnershipRole.PWLE, left_on=TODAY() - timedelta(days=1))

    response = client.get(reverse("partnerships_staff:overview"))

    row = response.context["rows"][0]
    assert (row["partnership"].title, row["lead"], row["level"]) == (
        "Safe work",
        "Robin Lead",
        "Collaborate — step 4 of 5",
    )
    assert (row["partnership"].member_count, row["partnership"].last_change_on) == (
        2,
        TODAY() - timedelta(days=10),
    )
    assert "Collaborate — step 4 of 5" in response.content.decode()
    assert lead.email not in response.content.decode()


def test_overview_filters_by_level_and_status(client, team):
    PartnershipFactory(title="Consulting", level=ParticipationLevel.CONSULT)
    PartnershipFactory(title="Informing", level=ParticipationLevel.INFORM)
    PartnershipFactory(
        title="Ended", level=ParticipationLevel.INFORM, status=PartnershipStatus.ENDED
    )
    url = reverse("partnerships_staff:overview")

    by_level = client.get(url, {"level": "1"}).context["rows"]
    by_both = client.get(url, {"level": "1", "status": "ended"}).context["rows"]
    nonsense = client.get(url, {"level": "9", "status": "x"}).context["rows"]

    assert [row["partnership"].title for row in by_level] == ["Ended", "Informing"]
    assert [row["partnership"].title for row in by_both] == ["Ended"]
    assert len(nonsense) == 3


def test_a_lead_of_another_team_sees_only_what_they_lead(client):
    lead = make_staff(StaffGroup.ENGAGEMENT)
    mine = PartnershipFactory(title="Mine", lead=lead)
    theirs = PartnershipFactory(title="Theirs")
    BarrierFactory(partnership=mine, kind=BarrierKind.TIME)
    BarrierFactory(partnership=theirs, kind=BarrierKind.TIME)
    client.force_login(lead)

    response = client.get(reverse("partnerships_staff:overview"))

    assert [row["partnership"].title for row in response.context["rows"]] == ["Mine"]
    counts = {barrier.kind: barrier.count for barrier in response.context["barriers"]}
    assert counts[BarrierKind.TIME] == 1


def test_overview_counts_open_barriers_by_kind(client, team):
    first, second = PartnershipFactory(), PartnershipFactory()
    BarrierFactory(partnership=first, kind=BarrierKind.TIME)
    BarrierFactory(partnership=second, kind=BarrierKind.TIME)
    BarrierFactory(partnership=second, kind=BarrierKind.POWER)
    BarrierFactory(partnership=second, kind=BarrierKind.POWER, status=BarrierStatus.ADDRESSED)

    response = client.get(reverse("partnerships_staff:overview"))

    counts = {barrier.kind: barrier.count for barrier in response.context["barriers"]}
    assert counts == {
        BarrierKind.RESOURCES: 0,
        BarrierKind.POWER: 1,
        BarrierKind.TIME: 2,
        BarrierKind.ACADEMIC_INCENTIVES: 0,
        BarrierKind.CULTURE_LANGUAGE: 0,
    }


def _busy_partnership(team) -> Partnership:
    partnership = PartnershipFactory(lead=team, starts_on=TODAY() - timedelta(days=100))
    partnership.organisations.add(OrganisationFactory())
    add_member(partnership, role=PartnershipRole.LEE)
    BarrierFactory(partnership=partnership)
    _step_up(partnership, team, ParticipationLevel.INVOLVE)
    return partnership


def test_overview_queries_do_not_grow(client, team):
    count = assert_queries_do_not_grow(
        client, reverse("partnerships_staff:overview"), lambda: _busy_partnership(team)
    )

    assert count == 5


# A partnership's staff page ---------------------------------------------------------------------


def test_partnership_page_shows_the_timeline_and_members_by_display_name(client, team):
    partnership = PartnershipFactory(lead=team, starts_on=TODAY() - timedelta(days=100))
    _step_up(
        partnership,
        team,
        ParticipationLevel.CO_PRODUCE,
        agreed_by="The whole partnership",
        reason="Members lead the work now.",
        justification="They already share every decision.",
    )
    member = add_member(partnership, make_person(roles=[Role.LEE], chosen_name="Ayo"), "lee")
    user = make_user(roles=[Role.PWLE])
    add_member(partnership, user.person, PartnershipRole.PWLE)

    page = _page(client, "partnership", partnership_id=partnership.pk)

    assert "Co-produce — step 5 of 5" in page
    assert "from Consult to Co-produce" in page
    assert "started at Consult" in page
    for text in ("The whole partnership", "Members lead the work now.", "They already share"):
        assert text in page
    assert member.person.display_name in page
    assert user.email not in page
    assert "{# areas" not in page


def test_partnership_page_queries_do_not_grow(client, team):
    partnership = PartnershipFactory(lead=team, starts_on=TODAY() - timedelta(days=400))
    url = reverse("partnerships_staff:partnership", kwargs={"partnership_id": partnership.pk})
    levels = iter([3, 4, 5, 4, 3, 2, 1])

    def add_row():
        add_member(partnership, role=PartnershipRole.LEE)
        partnership.organisations.add(OrganisationFactory())
        _step_up(partnership, team, next(levels), justification="x")

    assert assert_queries_do_not_grow(client, url, add_row) == 7


def test_the_lead_of_a_asks_for_b_staff_pages_gets_404(client):
    lead = make_staff(StaffGroup.ENGAGEMENT)
    PartnershipFactory(lead=lead)
    other = PartnershipFactory()
    other_member = add_member(other, role=PartnershipRole.LEE)
    client.force_login(lead)

    answers = [
        client.get(reverse(f"partnerships_staff:{name}", kwargs={"partnership_id": other.pk}))
        for name in ("partnership", "edit", "change_level", "add_member")
    ]
    end = client.post(
        reverse(
            "partnerships_staff:end_membership",
            kwargs={"partnership_id": other.pk, "member_id": other_member.pk},
        ),
        {"left_on": TODAY().isoformat()},
    )

    assert [answer.status_code for answer in answers] == [404, 404, 404, 404]
    assert end.status_code == 404
    other_member.refresh_from_db()
    assert other_member.left_on is None


def test_a_member_of_b_through_a_s_url_is_not_found(client, team):
    a, b = PartnershipFactory(), PartnershipFactory()
    member_of_b = add_member(b, role=PartnershipRole.LEE)

    response = client.post(
        reverse(
            "partnerships_staff:end_membership",
            kwargs={"partnership_id": a.pk, "member_id": member_of_b.pk},
        ),
        {"left_on": TODAY().isoformat()},
    )

    assert response.status_code == 404
    member_of_b.refresh_from_db()
    assert member_of_b.left_on is None


# Creating and changing a partnership -----------------------------------------------------------


def _new_partnership_data(team, **fields):
    return {
        "title": "Fair pay",
        "aims": "Pay people fairly.",
        "lead": str(team.pk),
        "starts_on": (TODAY() - timedelta(days=5)).isoformat(),
        "status": PartnershipStatus.ACTIVE,
        "level": "2",
        "agreed_by": "The partners' meeting",
        "reason": "Partners asked to be consulted.",
        **fields,
    }


def test_create_a_partnership_records_its_first_step(client, team):
    organisation = OrganisationFactory()

    response = client.post(
        reverse("partnerships_staff:create"),
        _new_partnership_data(team, organisations=[str(organisation.pk)]),
    )

    partnership = Partnership.objects.get()
    assert response.url == reverse(
        "partnerships_staff:partnership", kwargs={"partnership_id": partnership.pk}
    )
    assert list(partnership.level_changes.values_list("from_level", "to_level", "reason")) == [
        (None, 2, "Partners asked to be consulted.")
    ]
    assert list(partnership.organisations.all()) == [organisation]


def test_create_a_partnership_with_errors_changes_nothing(client, team):
    response = client.post(
        reverse("partnerships_staff:create"),
        _new_partnership_data(team, reason="", ends_on="2000-01-01"),
    )

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason", "ends_on"}
    assert (Partnership.objects.count(), LevelChange.objects.count()) == (0, 0)


def test_the_lead_chooser_shows_staff_by_display_name_only(client, team):
    page = _page(client, "create")

    assert team.person.display_name in page
    assert team.email not in page


def test_edit_keeps_the_level(client, team):
    partnership = PartnershipFactory(lead=team, level=ParticipationLevel.INVOLVE)
    data = _new_partnership_data(team, title="Renamed", level="5")

    client.post(reverse("partnerships_staff:edit", kwargs={"partnership_id": partnership.pk}), data)

    partnership.refresh_from_db()
    assert (partnership.title, partnership.level) == ("Renamed", ParticipationLevel.INVOLVE)


# The ladder form ---------------------------------------------------------------------------------


def _move(client, partnership, **fields):
    data = {
        "to_level": "3",
        "changed_on": TODAY().isoformat(),
        "agreed_by": "The steering group",
        "reason": "Members plan with us.",
        **fields,
    }
    return client.post(
        reverse("partnerships_staff:change_level", kwargs={"partnership_id": partnership.pk}),
        data,
    )


def test_ladder_form_shows_the_steps_and_their_meanings(client, team):
    partnership = PartnershipFactory(lead=team)

    page = _page(client, "change_level", partnership_id=partnership.pk)

    assert "Consult — step 2 of 5" in page
    assert "People share power and responsibility from start to end." in page


def test_ladder_form_moves_one_step(client, team):
    partnership = PartnershipFactory(lead=team)

    response = _move(client, partnership)

    partnership.refresh_from_db()
    assert response.status_code == 302
    assert partnership.level == ParticipationLevel.INVOLVE


def test_ladder_form_without_a_reason_changes_nothing(client, team):
    partnership = PartnershipFactory(lead=team)

    response = _move(client, partnership, reason="")

    assert response.context["form"].errors == {
        "reason": ["Say why the partnership moves to this step"]
    }
    partnership.refresh_from_db()
    assert (partnership.level, partnership.level_changes.count()) == (2, 1)


def test_ladder_form_jump_without_justification_errors_on_the_field(client, team):
    partnership = PartnershipFactory(lead=team)

    response = _move(client, partnership, to_level="5")

    assert list(response.context["form"].errors) == ["justification"]
    assert "Explain why the partnership moves up more than one step" in response.content.decode()
    partnership.refresh_from_db()
    assert (partnership.level, partnership.level_changes.count()) == (2, 1)


def test_ladder_form_date_before_the_last_change_errors_on_the_field(client, team):
    partnership = PartnershipFactory(lead=team)

    response = _move(client, partnership, changed_on="2000-01-01")

    assert list(response.context["form"].errors) == ["changed_on"]
    partnership.refresh_from_db()
    assert partnership.level_changes.count() == 1


# Members -----------------------------------------------------------------------------------------


def test_add_member_chooses_among_people_by_display_name(client, team):
    partnership = PartnershipFactory(lead=team)
    lee = make_user(roles=CORE_ROLES[PartnershipRole.LEE])
    staff_person = make_staff(StaffGroup.FINANCE).person
    already = add_member(partnership, role=PartnershipRole.PWLE)

    page = _page(client, "add_member", partnership_id=partnership.pk)
    response = client.post(
        reverse("partnerships_staff:add_member", kwargs={"partnership_id": partnership.pk}),
        {"person": lee.person.pk, "role": "lee", "joined_on": TODAY().isoformat()},
    )

    assert lee.person.display_name in page
    assert lee.email not in page
    assert staff_person.display_name not in page
    assert already.person.display_name not in page
    assert response.status_code == 302
    assert sorted(partnership.members.values_list("person", "role")) == sorted(
        [(already.person.pk, "pwle"), (lee.person.pk, "lee")]
    )


def test_add_member_in_a_role_they_do_not_hold_changes_nothing(client, team):
    partnership = PartnershipFactory(lead=team)
    pwle = make_person(roles=[Role.PWLE])

    response = client.post(
        reverse("partnerships_staff:add_member", kwargs={"partnership_id": partnership.pk}),
        {"person": pwle.pk, "role": "lee", "joined_on": TODAY().isoformat()},
    )

    assert response.context["form"].errors == {
        "role": ["This person does not hold the role of lived experience expert now."]
    }
    assert not partnership.members.exists()


def test_end_membership_page(client, team):
    partnership = PartnershipFactory(lead=team)
    member = add_member(partnership, role=PartnershipRole.LEE)
    url = reverse(
        "partnerships_staff:end_membership",
        kwargs={"partnership_id": partnership.pk, "member_id": member.pk},
    )

    early = client.post(url, {"left_on": "2000-01-01"})
    client.post(url, {"left_on": TODAY().isoformat()})

    assert list(early.context["form"].errors) == ["left_on"]
    member.refresh_from_db()
    assert member.left_on == TODAY()


# Organisations -----------------------------------------------------------------------------------


def test_organisation_list_queries_do_not_grow(client, team):
    def add_row():
        organisation = OrganisationFactory()
        OrganisationPractitioner.objects.create(
            organisation=organisation, person=make_person(roles=[Role.PRACTITIONER])
        )
        PartnershipFactory().organisations.add(organisation)

    count = assert_queries_do_not_grow(client, reverse("partnerships_staff:organisations"), add_row)

    assert count == 4


def test_organisation_list_counts_practitioners_and_partnerships(client, team):
    organisation = OrganisationFactory(name="Haven")
    for _ in range(2):
        OrganisationPractitioner.objects.create(
            organisation=organisation, person=make_person(roles=[Role.PRACTITIONER])
        )
    PartnershipFactory().organisations.add(organisation)

    response = client.get(reverse("partnerships_staff:organisations"))

    row = response.context["page"].items[0]
    assert (row.name, row.practitioner_count, row.partnership_count) == ("Haven", 2, 1)


def test_add_an_organisation_and_a_practitioner(client, team):
    practitioner = make_user(roles=[Role.PRACTITIONER])
    make_person(roles=[Role.RESEARCHER], chosen_name="Not a practitioner")

    client.post(
        reverse("partnerships_staff:create_organisation"),
        {"name": "Haven", "kind": "ngo", "safeguarding_contact_name": "Tom"},
    )
    organisation = Organisation.objects.get()
    url = reverse(
        "partnerships_staff:add_practitioner", kwargs={"organisation_id": organisation.pk}
    )
    page = client.get(url).content.decode()
    client.post(url, {"person": practitioner.person.pk})

    assert practitioner.person.display_name in page
    assert practitioner.email not in page
    assert "Not a practitioner" not in page
    assert list(organisation.practitioners.all()) == [practitioner.person]


def test_organisation_with_errors_changes_nothing(client, team):
    OrganisationFactory(name="Haven")

    response = client.post(
        reverse("partnerships_staff:create_organisation"),
        {"name": "haven", "kind": "nonsense", "website": "not a url"},
    )

    assert set(response.context["form"].errors) == {
        "name",
        "kind",
        "website",
        "safeguarding_contact_name",
    }
    assert Organisation.objects.count() == 1


def test_remove_practitioner_page(client, team):
    organisation = OrganisationFactory()
    link = OrganisationPractitioner.objects.create(
        organisation=organisation, person=make_person(roles=[Role.PRACTITIONER])
    )
    other = OrganisationFactory()

    swapped = client.post(
        reverse(
            "partnerships_staff:remove_practitioner",
            kwargs={"organisation_id": other.pk, "link_id": link.pk},
        )
    )
    removed = client.post(
        reverse(
            "partnerships_staff:remove_practitioner",
            kwargs={"organisation_id": organisation.pk, "link_id": link.pk},
        )
    )

    assert (swapped.status_code, removed.status_code) == (404, 302)
    assert not OrganisationPractitioner.objects.exists()


# Portal ------------------------------------------------------------------------------------------


@pytest.fixture
def lee(client):
    user = make_user(roles=CORE_ROLES[PartnershipRole.LEE])
    client.force_login(user)
    return user


def test_portal_list_shows_the_member_s_current_partnerships(client, lee):
    mine = PartnershipFactory(title="Mine", level=ParticipationLevel.INVOLVE)
    add_member(mine, lee.person, PartnershipRole.LEE)
    left = PartnershipFactory(title="Left")
    add_member(left, lee.person, PartnershipRole.LEE, left_on=TODAY() - timedelta(days=1))
    PartnershipFactory(title="Not mine")

    response = client.get(reverse("partnerships_portal:list"))

    rows = [
        (row["partnership"].title, row["role"], row["level"]) for row in response.context["rows"]
    ]
    assert rows == [("Mine", "Lived experience expert", "Involve — step 3 of 5")]


def test_portal_list_shows_the_visitor_s_own_role_not_another_member_s(client, lee):
    partnership = PartnershipFactory(title="Shared")
    add_member(partnership, role=PartnershipRole.RESEARCHER)
    add_member(partnership, lee.person, PartnershipRole.LEE)

    response = client.get(reverse("partnerships_portal:list"))

    rows = [(row["partnership"].title, row["role"]) for row in response.context["rows"]]
    assert rows == [("Shared", "Lived experience expert")]


def test_portal_page_shows_members_by_display_name_only(client, lee):
    partnership = PartnershipFactory(aims="We change how police listen.")
    add_member(partnership, lee.person, PartnershipRole.LEE)
    other = make_user(roles=[Role.RESEARCHER])
    other.person.chosen_name = "Dr Kim"
    other.person.save()
    add_member(partnership, other.person, PartnershipRole.RESEARCHER)
    gone = add_member(partnership, role=PartnershipRole.PWLE, left_on=TODAY() - timedelta(days=1))
    partnership.organisations.add(OrganisationFactory(name="Haven"))

    response = client.get(
        reverse("partnerships_portal:partnership", kwargs={"partnership_id": partnership.pk})
    )

    page = response.content.decode()
    assert "Dr Kim (Researcher)" in page
    assert other.email not in page
    assert gone.person.display_name not in page
    assert "We change how police listen." in page
    assert "Haven" in page
    assert "Consult — step 2 of 5" in page
    assert 'aria-current="step"' in page


def test_portal_member_of_a_asks_for_b_gets_404(client, lee):
    add_member(PartnershipFactory(), lee.person, PartnershipRole.LEE)
    b = PartnershipFactory()

    response = client.get(
        reverse("partnerships_portal:partnership", kwargs={"partnership_id": b.pk})
    )

    assert response.status_code == 404


def test_portal_a_former_member_gets_404(client, lee):
    partnership = PartnershipFactory()
    add_member(partnership, lee.person, PartnershipRole.LEE, left_on=TODAY() - timedelta(days=1))

    response = client.get(
        reverse("partnerships_portal:partnership", kwargs={"partnership_id": partnership.pk})
    )

    assert response.status_code == 404


def test_portal_list_queries_do_not_grow(client, lee):
    def add_row():
        partnership = PartnershipFactory()
        add_member(partnership, lee.person, PartnershipRole.LEE)

    assert assert_queries_do_not_grow(client, reverse("partnerships_portal:list"), add_row) == 2


def test_portal_page_queries_do_not_grow(client, lee):
    partnership = PartnershipFactory(starts_on=TODAY() - timedelta(days=400))
    add_member(partnership, lee.person, PartnershipRole.LEE)
    team = make_partnerships_staff()
    levels = iter([3, 4, 5, 4, 3, 2, 1])
    url = reverse("partnerships_portal:partnership", kwargs={"partnership_id": partnership.pk})

    def add_row():
        add_member(partnership, role=PartnershipRole.PWLE)
        partnership.organisations.add(OrganisationFactory())
        _step_up(partnership, team, next(levels), justification="x")

    assert assert_queries_do_not_grow(client, url, add_row) == 5


def test_portal_link_shows_to_people_who_can_be_members(client, lee):
    response = client.get(reverse("portal:home"))

    assert reverse("partnerships_portal:list") in response.content.decode()


def test_staff_home_links_the_overview_and_organisations_for_the_team(client, team):
    page = client.get(reverse("staff:home")).content.decode()

    assert reverse("partnerships_staff:overview") in page
    assert reverse("partnerships_staff:organisations") in page


def test_staff_home_has_no_organisations_link_for_other_teams(client):
    client.force_login(make_staff(StaffGroup.FUNDING))

    page = client.get(reverse("staff:home")).content.decode()

    assert reverse("partnerships_staff:organisations") not in page


def test_portal_a_member_whose_membership_ends_today_loses_access_at_once(client, lee):
    """An ending may be for someone's safety: it takes effect on the day it is recorded."""
    partnership = PartnershipFactory()
    member = add_member(partnership, lee.person, PartnershipRole.LEE)
    url = reverse("partnerships_portal:partnership", kwargs={"partnership_id": partnership.pk})
    assert client.get(url).status_code == 200

    member.left_on = TODAY()
    member.save(update_fields=["left_on"])

    assert client.get(url).status_code == 404
