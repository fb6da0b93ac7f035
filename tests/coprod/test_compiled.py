"""The portal's "Things to do" is compiled to SQL once (coprod.compiled) and must still answer
exactly what the ORM would, for every person, as the database's clock moves on."""

import gc
import weakref
from datetime import timedelta

import pytest
from django.db.models import OuterRef
from django.utils import timezone

from coprod import doors
from coprod.compiled import NotCompilable, OneRowQuery
from coprod.enums import ConsentPurpose, NotificationStatus, Role
from coprod.models import (
    ConsentText,
    Notification,
    Person,
    RoleGrant,
    SafeContactPreferences,
    london_today,
)
from coprod.selectors import count_subquery, things_to_do_for_person
from coprod.services.consent import give_consent
from tests.factories import NotificationFactory, make_user

pytestmark = pytest.mark.django_db

CONTACT = "Check how we can contact you safely"
NEW_CONTACT_TEXT = "Read the new version of “Being contacted”"


def texts(person: Person) -> list[str]:
    return [item.text for item in things_to_do_for_person(person)]


def orm_values(person: Person) -> list[int]:
    """The same items evaluated by the ORM afresh, for comparison."""
    items = doors.things_to_do()
    expressions = {f"item_{index}": item.count() for index, item in enumerate(items)}
    row = Person.objects.filter(pk=person.pk).values(**expressions).get()
    return [int(row[key]) for key in expressions]


def confirmed(person: Person, *, reconfirm_by) -> None:
    SafeContactPreferences.objects.update_or_create(
        person=person,
        defaults={"confirmed_at": timezone.now(), "reconfirm_by": reconfirm_by},
    )


def test_a_confirmation_due_yesterday_is_asked_for_and_one_due_today_is_not():
    due_yesterday = make_user(roles=[Role.PWLE]).person
    due_today = make_user(roles=[Role.PWLE]).person
    never = make_user(roles=[Role.PWLE]).person
    confirmed(due_yesterday, reconfirm_by=london_today() - timedelta(days=1))
    confirmed(due_today, reconfirm_by=london_today())

    assert CONTACT in texts(due_yesterday)
    assert CONTACT not in texts(due_today)
    assert CONTACT in texts(never)


def test_a_new_text_counts_once_published_by_the_databases_clock():
    member = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
    texts(member.person)  # compiled now, before either text exists
    ConsentText.objects.create(
        purpose=ConsentPurpose.CONTACT,
        version=8,
        title="Later",
        body="Not yet.",
        published_at=timezone.now() + timedelta(hours=1),
    )
    assert NEW_CONTACT_TEXT not in texts(member.person)

    ConsentText.objects.create(
        purpose=ConsentPurpose.CONTACT,
        version=7,
        title="Now",
        body="Published a minute ago.",
        published_at=timezone.now() - timedelta(minutes=1),
    )
    assert NEW_CONTACT_TEXT in texts(member.person)


def test_the_compiled_query_answers_what_the_orm_answers_for_everyone():
    people = []
    for index in range(6):
        member = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
        if index % 2:
            confirmed(member.person, reconfirm_by=london_today() + timedelta(days=index - 3))
        for _ in range(index):
            NotificationFactory(person=member.person, status=NotificationStatus.HELD)
        people.append(member.person)
    ConsentText.objects.create(
        purpose=ConsentPurpose.CONTACT, version=5, title="New", body="New text."
    )
    give_consent(people[0], ConsentPurpose.CONTACT, by=people[0].user)

    answers = [[item.text for item in things_to_do_for_person(p)] for p in people]

    for person, shown in zip(people, answers, strict=True):
        expected = [
            str(item.text(value))
            for item, value in zip(doors.things_to_do(), orm_values(person), strict=True)
            if value
        ]
        assert shown == expected
    # The states differ, so the comparison is not of six empty lists.
    assert len({tuple(shown) for shown in answers}) >= 4


def test_things_to_do_is_compiled_once_per_set_of_items(monkeypatch):
    built = []
    item = doors.ThingToDo(
        key="counted",
        count=lambda: (
            built.append(1) or count_subquery(Notification.objects.filter(person=OuterRef("pk")))
        ),
        text=lambda count: f"Counted {count}",
        url_name="portal:messages",
    )
    member = make_user(roles=[Role.PWLE])
    NotificationFactory(person=member.person)

    with doors.contributing("counted", doors.AppDoors(things_to_do=[item])):
        first = texts(member.person)
        builds_to_compile = len(built)
        NotificationFactory(person=member.person)
        second = texts(member.person)
        texts(make_user(roles=[Role.PWLE]).person)

    assert ("Counted 1" in first, "Counted 2" in second) == (True, True)
    assert len(built) == builds_to_compile


def test_items_contributed_later_are_not_answered_from_an_earlier_compilation():
    member = make_user(roles=[Role.PWLE])

    def app(word, *, due):
        # Due: the person's own row, counted (1). Not due: a row no person has (0). An item
        # answered by an earlier item's compiled query (its id reused) would flip.
        wanted = {} if due else {"generated_name": "no such name"}
        return doors.AppDoors(
            things_to_do=[
                doors.ThingToDo(
                    key=word,
                    count=lambda: count_subquery(
                        Person.objects.filter(pk=OuterRef("pk"), **wanted)
                    ),
                    text=lambda _count: word,
                    url_name="portal:messages",
                )
            ]
        )

    # Each item is freed when its app leaves, so a later one may get its id: the pattern differs
    # from each of the 1st, 2nd and 3rd before, whichever id comes back.
    due = [True, True, False, False, True, True]
    shown = []
    for index, word in enumerate(["one", "two", "three", "four", "five", "six"]):
        with doors.contributing(word, app(word, due=due[index])):
            shown.append(word in texts(member.person))

    assert shown == due


def test_a_compiled_item_is_kept_alive_so_that_its_id_cannot_name_another():
    member = make_user(roles=[Role.PWLE])
    item = doors.ThingToDo(
        key="kept",
        count=lambda: count_subquery(Person.objects.filter(pk=OuterRef("pk"))),
        text=lambda _count: "kept",
        url_name="portal:messages",
    )
    with doors.contributing("kept", doors.AppDoors(things_to_do=[item])):
        texts(member.person)
    kept = weakref.ref(item)

    del item
    gc.collect()

    assert kept() is not None


def test_a_query_holding_our_clock_is_refused():
    with pytest.raises(NotCompilable, match="moment"):
        OneRowQuery(
            lambda pk: Person.objects.filter(pk=pk, created_at__lte=timezone.now()).values("pk")
        )


@pytest.mark.parametrize(
    "today", [london_today, lambda: london_today().isoformat()], ids=["date", "text"]
)
def test_a_query_holding_todays_date_is_refused(today):
    with pytest.raises(NotCompilable, match="moment"):
        OneRowQuery(
            lambda pk: RoleGrant.objects.filter(person_id=pk, starts_on__lte=today()).values("pk")
        )


def test_a_query_without_exactly_one_id_is_refused():
    with pytest.raises(NotCompilable, match="exactly once"):
        OneRowQuery(lambda pk: Person.objects.filter(pk=pk).exclude(user__pk=pk).values("pk"))
    with pytest.raises(NotCompilable, match="exactly once"):
        OneRowQuery(lambda pk: Person.objects.values("pk"))


def test_a_missing_row_gives_none():
    query = OneRowQuery(lambda pk: Person.objects.filter(pk=pk).values("pk"))

    assert query.run(0) is None
