"""Services for organisations, partnerships, the ladder and members: each refusal changes
nothing; the first ladder step is recorded with the partnership; moving up more than one step
needs a justification, moving down does not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from coprod.enums import Role, StaffGroup
from partnerships.enums import OrganisationKind, ParticipationLevel, PartnershipRole
from partnerships.enums import PartnershipStatus as Status
from partnerships.models import (
    LevelChange,
    Organisation,
    OrganisationPractitioner,
    Partnership,
    PartnershipMember,
)
from partnerships.services.partnerships import (
    add_member,
    add_practitioner,
    change_level,
    create_organisation,
    create_partnership,
    end_membership,
    remove_practitioner,
    update_organisation,
    update_partnership,
)
from tests.factories.core import make_person, make_staff, make_user
from tests.factories.partnerships import (
    OrganisationFactory,
    PartnershipFactory,
    make_partnerships_staff,
)
from tests.factories.partnerships import add_member as make_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _errors(info: pytest.ExceptionInfo) -> dict:
    return info.value.message_dict


def _state(partnership: Partnership) -> tuple:
    partnership.refresh_from_db()
    return (
        partnership.level,
        list(partnership.level_changes.values_list("from_level", "to_level", "changed_on")),
    )


@pytest.fixture
def team():
    return make_partnerships_staff()


# Organisations -----------------------------------------------------------------------------------


def test_create_and_update_organisation(team):
    organisation = create_organisation(
        by=team,
        name="Survivors Forward",
        kind=OrganisationKind.SURVIVOR_LED,
        safeguarding_contact_name="Grace",
    )

    update_organisation(organisation, by=team, region="North West")

    organisation.refresh_from_db()
    assert (organisation.name, organisation.region) == ("Survivors Forward", "North West")
    assert LogEntry.objects.get_for_object(organisation).count() == 2


def test_create_organisation_refused_without_the_permission():
    lead = make_staff(StaffGroup.ENGAGEMENT)

    with pytest.raises(ValidationError):
        create_organisation(
            by=lead, name="X", kind=OrganisationKind.NGO, safeguarding_contact_name="Y"
        )

    assert Organisation.objects.count() == 0


def test_add_practitioner_needs_the_practitioner_role_now(team):
    organisation = OrganisationFactory()
    practitioner = make_person(roles=[Role.PRACTITIONER])
    researcher = make_person(roles=[Role.RESEARCHER])

    add_practitioner(organisation, practitioner, by=team)
    with pytest.raises(ValidationError) as refused:
        add_practitioner(organisation, researcher, by=team)
    with pytest.raises(ValidationError) as twice:
        add_practitioner(organisation, practitioner, by=team)

    assert _errors(refused) == {"person": ["This person does not hold the practitioner role now."]}
    assert "already" in _errors(twice)["person"][0]
    assert list(organisation.practitioners.all()) == [practitioner]


def test_remove_practitioner(team):
    organisation = OrganisationFactory()
    practitioner = make_person(roles=[Role.PRACTITIONER])
    add_practitioner(organisation, practitioner, by=team)

    remove_practitioner(organisation, practitioner, by=team)

    assert not OrganisationPractitioner.objects.exists()
    with pytest.raises(ValidationError):
        remove_practitioner(organisation, practitioner, by=team)


# Partnerships ------------------------------------------------------------------------------------


def _create(team, **fields):
    values = {
        "title": "Safe work",
        "aims": "Work together.",
        "lead": team,
        "starts_on": TODAY() - timedelta(days=30),
        "level": ParticipationLevel.CONSULT,
        "agreed_by": "The steering group",
        "reason": "Survivors asked to be consulted.",
    }
    return create_partnership(by=team, **{**values, **fields})


def test_create_partnership_records_the_first_step(team):
    organisation = OrganisationFactory()

    partnership = _create(team, organisations=[organisation])

    change = partnership.level_changes.get()
    assert (change.from_level, change.to_level, change.changed_on) == (
        None,
        ParticipationLevel.CONSULT,
        partnership.starts_on,
    )
    assert (change.agreed_by, change.reason, change.recorded_by) == (
        "The steering group",
        "Survivors asked to be consulted.",
        team,
    )
    assert list(partnership.organisations.all()) == [organisation]
    assert partnership.created_by == team


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"agreed_by": ""}, "agreed_by"),
        ({"title": ""}, "title"),
    ],
)
def test_create_partnership_refused_changes_nothing(team, fields, field):
    with pytest.raises(ValidationError) as refused:
        _create(team, **fields)

    assert field in _errors(refused)
    assert (Partnership.objects.count(), LevelChange.objects.count()) == (0, 0)


def test_the_lead_must_be_active_staff(team):
    not_staff = make_user(roles=[Role.RESEARCHER])
    gone = make_staff(StaffGroup.ENGAGEMENT, is_active=False)

    for lead in (not_staff, gone):
        with pytest.raises(ValidationError) as refused:
            _create(team, lead=lead)
        assert list(_errors(refused)) == ["lead"]

    partnership = PartnershipFactory(lead=team)
    with pytest.raises(ValidationError):
        update_partnership(partnership, by=team, lead=not_staff)
    assert Partnership.objects.get().lead == team


def test_update_partnership_does_not_change_the_level(team):
    partnership = PartnershipFactory(lead=team)

    update_partnership(partnership, by=team, title="Renamed", status=Status.PAUSED)
    with pytest.raises(TypeError):
        update_partnership(partnership, by=team, level=ParticipationLevel.CO_PRODUCE)

    partnership.refresh_from_db()
    assert (partnership.title, partnership.status, partnership.level) == (
        "Renamed",
        Status.PAUSED,
        ParticipationLevel.CONSULT,
    )


def test_update_partnership_refused_for_other_staff():
    partnership = PartnershipFactory(title="Kept")
    other = make_staff(StaffGroup.FUNDING)

    with pytest.raises(ValidationError):
        update_partnership(partnership, by=other, title="Taken")

    partnership.refresh_from_db()
    assert partnership.title == "Kept"


# The ladder --------------------------------------------------------------------------------------


def _move(partnership, by, **fields):
    values = {
        "to_level": partnership.level + 1,
        "changed_on": TODAY(),
        "agreed_by": "The steering group",
        "reason": "Members now help plan.",
    }
    return change_level(partnership, by=by, **{**values, **fields})


def test_change_level_one_step_up(team):
    partnership = PartnershipFactory(lead=team)

    change = _move(partnership, team)

    assert partnership.level == ParticipationLevel.INVOLVE
    assert _state(partnership)[0] == ParticipationLevel.INVOLVE
    assert (change.from_level, change.to_level, change.recorded_by) == (
        ParticipationLevel.CONSULT,
        ParticipationLevel.INVOLVE,
        team,
    )
    assert partnership.level_changes.count() == 2


def test_change_level_the_lead_of_another_team_may(team):
    lead = make_staff(StaffGroup.ENGAGEMENT)
    partnership = PartnershipFactory(lead=lead)

    _move(partnership, lead)

    assert _state(partnership)[0] == ParticipationLevel.INVOLVE


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"reason": " "}, "reason"),
        ({"agreed_by": ""}, "agreed_by"),
        ({"to_level": ParticipationLevel.CONSULT}, "to_level"),
        ({"to_level": ParticipationLevel.COLLABORATE}, "justification"),
        ({"to_level": ParticipationLevel.CO_PRODUCE}, "justification"),
        ({"changed_on": TODAY() - timedelta(days=365)}, "changed_on"),
        ({"changed_on": TODAY() + timedelta(days=1)}, "changed_on"),
    ],
    ids=[
        "no reason",
        "no one agreed",
        "same level",
        "two steps unjustified",
        "jump unjustified",
        "before last",
        "future",
    ],
)
def test_change_level_refused_changes_nothing(team, fields, field):
    partnership = PartnershipFactory(lead=team)
    before = _state(partnership)

    with pytest.raises(ValidationError) as refused:
        _move(partnership, team, **fields)

    assert field in _errors(refused)
    assert _state(partnership) == before


def _fail(*args, **kwargs):
    raise RuntimeError("The database went away.")


def test_create_partnership_saves_nothing_when_its_first_step_fails(team, monkeypatch):
    monkeypatch.setattr(LevelChange, "save", _fail)

    with pytest.raises(RuntimeError):
        _create(team)

    assert (Partnership.objects.count(), LevelChange.objects.count()) == (0, 0)


def test_change_level_saves_nothing_when_the_level_cannot_be_saved(team, monkeypatch):
    partnership = PartnershipFactory(lead=team)
    before = _state(partnership)
    monkeypatch.setattr(Partnership, "save", _fail)

    with pytest.raises(RuntimeError):
        _move(partnership, team)

    monkeypatch.undo()
    assert _state(partnership) == before


def test_change_level_more_than_one_step_up_with_a_justification(team):
    partnership = PartnershipFactory(lead=team)

    change = _move(
        partnership, team, to_level=ParticipationLevel.CO_PRODUCE, justification="Ready."
    )

    assert (change.from_level, change.to_level, change.justification) == (2, 5, "Ready.")
    assert _state(partnership)[0] == ParticipationLevel.CO_PRODUCE


def test_change_level_down_several_steps_needs_only_a_reason(team):
    partnership = PartnershipFactory(lead=team, level=ParticipationLevel.CO_PRODUCE)

    change = _move(partnership, team, to_level=ParticipationLevel.INFORM)

    assert (change.from_level, change.to_level, change.justification) == (5, 1, "")
    assert _state(partnership)[0] == ParticipationLevel.INFORM


def test_change_level_refused_for_an_ended_partnership(team):
    partnership = PartnershipFactory(lead=team, status=Status.ENDED)
    before = _state(partnership)

    with pytest.raises(ValidationError) as refused:
        _move(partnership, team)

    assert "ended" in _errors(refused)["__all__"][0]
    assert _state(partnership) == before


def test_change_level_refused_for_staff_who_do_not_lead_it(team):
    partnership = PartnershipFactory(lead=team)
    before = _state(partnership)

    with pytest.raises(ValidationError):
        _move(partnership, make_staff(StaffGroup.FUNDING))

    assert _state(partnership) == before


def test_change_level_reads_the_level_from_the_database(team):
    """A stale object (the level moved since it was read) is judged by the stored level."""
    partnership = PartnershipFactory(lead=team)
    stale = Partnership.objects.get(pk=partnership.pk)
    _move(partnership, team)  # now at involve (3)

    change = _move(stale, team, to_level=ParticipationLevel.COLLABORATE)

    assert (change.from_level, change.to_level) == (3, 4)


# Members -----------------------------------------------------------------------------------------


def test_add_member_in_a_role_they_hold(team):
    partnership = PartnershipFactory(lead=team)
    lee = make_person(roles=[Role.PWLE, Role.LEE])

    member = add_member(partnership, lee, PartnershipRole.LEE, by=team, joined_on=TODAY())

    assert (member.role, member.added_by, member.left_on) == (PartnershipRole.LEE, team, None)


def test_add_member_refused_for_a_role_they_do_not_hold(team):
    partnership = PartnershipFactory(lead=team)
    pwle = make_person(roles=[Role.PWLE])

    with pytest.raises(ValidationError) as refused:
        add_member(partnership, pwle, PartnershipRole.LEE, by=team, joined_on=TODAY())

    assert list(_errors(refused)) == ["role"]
    assert not PartnershipMember.objects.exists()


def test_add_member_refused_for_a_member_already(team):
    partnership = PartnershipFactory(lead=team)
    member = make_member(partnership, role=PartnershipRole.LEE)

    with pytest.raises(ValidationError) as refused:
        add_member(partnership, member.person, PartnershipRole.PWLE, by=team, joined_on=TODAY())

    assert _errors(refused) == {"person": ["This person is already a member of this partnership."]}
    assert PartnershipMember.objects.count() == 1


def test_add_member_refused_for_staff_who_do_not_lead_it(team):
    partnership = PartnershipFactory(lead=team)
    lee = make_person(roles=[Role.PWLE, Role.LEE])

    with pytest.raises(ValidationError):
        add_member(
            partnership,
            lee,
            PartnershipRole.LEE,
            by=make_staff(StaffGroup.FUNDING),
            joined_on=TODAY(),
        )

    assert not PartnershipMember.objects.exists()


def test_add_member_refused_for_an_ended_partnership(team):
    partnership = PartnershipFactory(lead=team, status=Status.ENDED)
    lee = make_person(roles=[Role.PWLE, Role.LEE])

    with pytest.raises(ValidationError) as refused:
        add_member(partnership, lee, PartnershipRole.LEE, by=team, joined_on=TODAY())

    assert _errors(refused) == {"__all__": ["This partnership has ended: no one can join it now."]}
    assert not PartnershipMember.objects.exists()


def test_add_member_refused_before_the_partnership_started(team):
    partnership = PartnershipFactory(lead=team)
    lee = make_person(roles=[Role.PWLE, Role.LEE])

    with pytest.raises(ValidationError) as refused:
        add_member(
            partnership,
            lee,
            PartnershipRole.LEE,
            by=team,
            joined_on=partnership.starts_on - timedelta(days=1),
        )

    assert list(_errors(refused)) == ["joined_on"]
    assert not PartnershipMember.objects.exists()


def test_add_member_refused_for_a_former_member(team):
    partnership = PartnershipFactory(lead=team)
    former = make_member(partnership, role=PartnershipRole.LEE, left_on=TODAY())

    with pytest.raises(ValidationError) as refused:
        add_member(partnership, former.person, PartnershipRole.LEE, by=team, joined_on=TODAY())

    assert _errors(refused) == {
        "person": ["This person was a member of this partnership before, and left."]
    }
    assert PartnershipMember.objects.count() == 1


def test_end_membership(team):
    partnership = PartnershipFactory(lead=team)
    member = make_member(partnership, role=PartnershipRole.LEE)

    end_membership(member, by=team, left_on=TODAY())
    with pytest.raises(ValidationError):
        end_membership(member, by=team, left_on=TODAY())

    member.refresh_from_db()
    assert member.left_on == TODAY()


def test_end_membership_refused_before_joining(team):
    partnership = PartnershipFactory(lead=team)
    member = make_member(partnership, role=PartnershipRole.LEE)

    with pytest.raises(ValidationError) as refused:
        end_membership(member, by=team, left_on=member.joined_on - timedelta(days=1))

    assert list(_errors(refused)) == ["left_on"]
    member.refresh_from_db()
    assert member.left_on is None


def test_end_membership_refused_for_staff_who_do_not_lead_it(team):
    partnership = PartnershipFactory(lead=team)
    member = make_member(partnership, role=PartnershipRole.LEE)

    with pytest.raises(ValidationError):
        end_membership(member, by=make_staff(StaffGroup.FUNDING), left_on=TODAY())

    member.refresh_from_db()
    assert member.left_on is None
