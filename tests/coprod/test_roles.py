"""Roles: granting, ending, promotion, and who holds what on a London calendar day."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from coprod.enums import PersonStatus, Role, RoleGrantSource, StaffGroup
from coprod.models import Person, RoleGrant
from coprod.selectors import people_for_selection
from coprod.services.roles import end_role, grant_role, promote_to_lee
from tests.factories import RoleGrantFactory, make_person, make_staff, make_user
from tests.factories.core import TEST_ACTOR


@pytest.fixture
def staff():
    return make_staff(StaffGroup.ENGAGEMENT, mfa=False)


@pytest.mark.django_db
def test_grant_role_starts_today_in_london_not_utc(staff, time_machine):
    # 23:30 UTC on 1 July is 00:30 on 2 July in London (BST).
    time_machine.move_to(datetime(2026, 7, 1, 23, 30, tzinfo=UTC), tick=False)
    person = make_person()

    grant = grant_role(person, Role.PWLE, by=staff)

    assert grant.starts_on == date(2026, 7, 2)
    assert (grant.ends_on, grant.source, grant.granted_by) == (None, "granted", staff)
    assert person.holds_role(Role.PWLE)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("ends_on", "moment", "holds"),
    [
        # BST: London's day ends at 23:00 UTC.
        (date(2026, 10, 24), datetime(2026, 10, 24, 22, 59, tzinfo=UTC), True),
        (date(2026, 10, 24), datetime(2026, 10, 24, 23, 0, tzinfo=UTC), False),
        # The clocks go back at 01:00 UTC on 25 October: GMT, London's day ends at midnight UTC.
        (date(2026, 10, 25), datetime(2026, 10, 25, 23, 59, tzinfo=UTC), True),
        (date(2026, 10, 25), datetime(2026, 10, 26, 0, 0, tzinfo=UTC), False),
    ],
    ids=["bst-last-minute", "bst-midnight", "gmt-last-minute", "gmt-midnight"],
)
def test_grant_role_end_date_is_inclusive_in_london(staff, time_machine, ends_on, moment, holds):
    person = make_person()
    grant_role(person, Role.PWLE, by=staff, starts_on=date(2026, 1, 1), ends_on=ends_on)
    time_machine.move_to(moment, tick=False)

    holders = list(Person.objects.holding(Role.PWLE))

    assert holders == ([person] if holds else [])
    assert Person.objects.get(pk=person.pk).holds_role(Role.PWLE) == holds


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("existing", "new"),
    [
        ((date(2026, 1, 1), None), (date(2026, 6, 1), date(2026, 6, 30))),
        ((date(2026, 6, 1), None), (date(2026, 1, 1), None)),
        ((date(2026, 1, 1), date(2026, 3, 31)), (date(2026, 3, 31), None)),
        ((date(2026, 4, 1), date(2026, 4, 30)), (date(2026, 1, 1), date(2026, 4, 1))),
    ],
    ids=["inside-open-grant", "open-before-later-grant", "on-end-day", "up-to-start-day"],
)
def test_grant_role_refuses_overlapping_grant_of_same_role(staff, existing, new):
    person = make_person()
    grant_role(person, Role.PWLE, by=staff, starts_on=existing[0], ends_on=existing[1])

    with pytest.raises(ValidationError, match="already holds this role"):
        grant_role(person, Role.PWLE, by=staff, starts_on=new[0], ends_on=new[1])

    assert RoleGrant.objects.filter(person=person).count() == 1


@pytest.mark.django_db
def test_grant_role_allows_same_role_after_end_and_other_roles_at_once(staff):
    person = make_person()
    grant_role(person, Role.PWLE, by=staff, starts_on=date(2026, 1, 1), ends_on=date(2026, 3, 31))

    grant_role(person, Role.PWLE, by=staff, starts_on=date(2026, 4, 1))
    grant_role(person, Role.PRACTITIONER, by=staff, starts_on=date(2026, 1, 1))

    assert list(person.role_grants.values_list("role", "starts_on", "ends_on")) == [
        ("practitioner", date(2026, 1, 1), None),
        ("pwle", date(2026, 1, 1), date(2026, 3, 31)),
        ("pwle", date(2026, 4, 1), None),
    ]


@pytest.mark.django_db
def test_grant_role_self_signup_researcher_is_granted_by_nobody():
    user = make_user()

    grant = grant_role(user.person, Role.RESEARCHER, by=user, source=RoleGrantSource.SELF_SIGNUP)

    assert (grant.role, grant.source, grant.granted_by) == ("researcher", "self_signup", None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "source", "by"),
    [
        (Role.PWLE, RoleGrantSource.SELF_SIGNUP, "self"),
        (Role.LEE, RoleGrantSource.SELF_SIGNUP, "self"),
        (Role.RESEARCHER, RoleGrantSource.SELF_SIGNUP, "staff"),
        (Role.RESEARCHER, RoleGrantSource.GRANTED, "process"),
        (Role.PWLE, RoleGrantSource.INVITATION, "process"),
    ],
    ids=[
        "signup-pwle",
        "signup-lee",
        "signup-with-granter",
        "granted-by-a-process",
        "invitation-by-a-process",
    ],
)
def test_grant_role_refuses_signup_other_than_researcher_by_themself(staff, role, source, by):
    user = make_user()
    person = user.person

    with pytest.raises(ValidationError):
        grant_role(
            person,
            role,
            by={"self": user, "staff": staff, "process": TEST_ACTOR}[by],
            source=source,
        )

    assert not RoleGrant.objects.filter(person=person).exists()


@pytest.mark.django_db
def test_grant_role_refuses_granting_oneself(staff):
    with pytest.raises(ValidationError, match="themself"):
        grant_role(staff.person, Role.LEE, by=staff)

    assert not RoleGrant.objects.filter(person=staff.person).exists()


@pytest.mark.django_db
def test_end_role_holds_on_end_day_not_the_day_after(staff, time_machine):
    time_machine.move_to(datetime(2026, 5, 10, 12, tzinfo=UTC), tick=False)
    person = make_person()
    grant = grant_role(person, Role.PWLE, by=staff, starts_on=date(2026, 1, 1))

    end_role(grant, by=staff)

    grant.refresh_from_db()
    assert grant.ends_on == date(2026, 5, 10)
    assert list(Person.objects.holding(Role.PWLE)) == [person]
    time_machine.move_to(datetime(2026, 5, 10, 23, 0, tzinfo=UTC), tick=False)  # 00:00 BST
    assert list(Person.objects.holding(Role.PWLE)) == []


@pytest.mark.django_db
def test_end_role_refuses_end_before_start(staff):
    grant = grant_role(make_person(), Role.PWLE, by=staff, starts_on=date(2026, 6, 1))

    with pytest.raises(ValidationError, match="cannot end before it starts"):
        end_role(grant, by=staff, ends_on=date(2026, 5, 31))

    grant.refresh_from_db()
    assert grant.ends_on is None


@pytest.mark.django_db
def test_promote_to_lee_adds_lee_beside_pwle(staff):
    person = make_person(roles=[Role.PWLE])

    lee = promote_to_lee(person, by=staff, note="Finished the programme")

    assert (lee.role, lee.source, lee.granted_by, lee.ends_on) == ("lee", "promotion", staff, None)
    pwle = RoleGrant.objects.get(person=person, role=Role.PWLE)
    assert pwle.ends_on is None
    assert Person.objects.get(pk=person.pk).current_roles == {"pwle", "lee"}


@pytest.mark.django_db
def test_promote_to_lee_refuses_a_person_without_pwle(staff):
    person = make_person(roles=[Role.RESEARCHER])

    with pytest.raises(ValidationError, match="Only a person with lived experience"):
        promote_to_lee(person, by=staff)

    assert not RoleGrant.objects.filter(person=person, role=Role.LEE).exists()


def _people_around(count: int) -> list[Person]:
    """`count` current PWLE, plus people who must not be listed: an ended grant, a future grant,
    another role."""
    RoleGrantFactory(role=Role.PWLE, starts_on=date(2020, 1, 1), ends_on=date(2020, 12, 31))
    RoleGrantFactory(role=Role.PWLE, starts_on=date(2099, 1, 1))
    RoleGrantFactory(role=Role.RESEARCHER)
    return [make_person(roles=[Role.PWLE]) for _ in range(count)]


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_holding_is_one_query_whatever_the_number_of_people(django_assert_num_queries, count):
    expected = _people_around(count)

    with django_assert_num_queries(1):
        holders = list(Person.objects.holding(Role.PWLE))

    assert sorted(holders, key=lambda p: p.pk) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_people_for_selection_hides_paused_and_withdrawn(django_assert_num_queries, count):
    expected = _people_around(count)
    make_person(roles=[Role.PWLE], status=PersonStatus.PAUSED)
    make_person(roles=[Role.PWLE], status=PersonStatus.WITHDRAWN)

    with django_assert_num_queries(1):
        selectable = list(people_for_selection(Role.PWLE))

    assert sorted(selectable, key=lambda p: p.pk) == expected


@pytest.mark.django_db
def test_current_roles_is_cached_on_the_instance(django_assert_num_queries):
    person = Person.objects.get(pk=make_person(roles=[Role.PWLE, Role.LEE]).pk)

    with django_assert_num_queries(1):
        first = person.current_roles
    with django_assert_num_queries(0):
        second = person.current_roles

    assert first == second == {"pwle", "lee"}


@pytest.mark.django_db
def test_grant_role_refreshes_cached_current_roles(staff):
    person = make_person(roles=[Role.PWLE])
    assert person.current_roles == {"pwle"}

    grant_role(person, Role.PRACTITIONER, by=staff)

    assert person.current_roles == {"pwle", "practitioner"}
