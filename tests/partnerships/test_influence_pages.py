"""Pages of decisions, barriers and "you said, we did": what they show, in what order, to whom;
another partnership's record is not found through this one's address; the lists' query counts do
not grow with their rows; anonymous givers are never named to members."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.models import Notification
from partnerships.enums import BarrierKind, PartnershipRole, TensionStatus
from partnerships.enums import YouSaidStatus as Status
from partnerships.models import Decision, YouSaidItem
from partnerships.selectors.barriers import open_barrier_counts
from partnerships.selectors.you_said import overdue_you_said_count
from partnerships.services.barriers import mark_barrier_dealt_with
from tests.factories.core import TEST_ACTOR, make_staff, make_user
from tests.factories.partnerships import (
    CORE_ROLES,
    BarrierFactory,
    DecisionFactory,
    PartnershipFactory,
    YouSaidItemFactory,
    add_member,
    make_partnerships_staff,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def lead():
    return make_staff()


@pytest.fixture
def partnership(lead):
    return PartnershipFactory(lead=lead)


@pytest.fixture
def member(partnership):
    user = make_user(roles=CORE_ROLES[PartnershipRole.RESEARCHER])
    add_member(partnership, user.person, PartnershipRole.RESEARCHER)
    return user


def url(name: str, **kwargs) -> str:  # type: ignore[no-untyped-def]
    return reverse(name, kwargs=kwargs)


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# Decisions ------------------------------------------------------------------------------------


def test_the_staff_log_shows_open_tensions_first_and_can_show_only_them(client, lead, partnership):
    DecisionFactory(partnership=partnership, summary="Newest, no tension.")
    DecisionFactory(
        partnership=partnership,
        summary="Older, still open.",
        decided_on=TODAY - timedelta(days=30),
        tension_status=TensionStatus.OPEN,
        tension="Venue.",
    )
    client.force_login(lead)
    page = url("partnerships_decisions_staff:list", partnership_id=partnership.pk)

    everything = client.get(page)
    only_open = client.get(page, {"show": "open"})

    assert [d.summary for d in everything.context["page"].items] == [
        "Older, still open.",
        "Newest, no tension.",
    ]
    assert [d.summary for d in only_open.context["page"].items] == ["Older, still open."]


def test_members_read_the_log_with_the_views_held_and_the_outcome(client, member, partnership):
    DecisionFactory(
        partnership=partnership,
        tension_status=TensionStatus.RESOLVED,
        tension="Who reads the draft first.",
        views_held="Police: facts first.",
        resolution="Members read it first.",
    )
    client.force_login(member)

    response = client.get(url("partnerships_decisions:list", partnership_id=partnership.pk))

    html = text_of(response)
    assert "Who reads the draft first." in html
    assert "Police: facts first." in html
    assert "Members read it first." in html
    assert "The disagreement was settled" in html


def test_a_decision_form_with_a_resolved_tension_without_how_shows_the_error_and_saves_nothing(
    client, lead, partnership
):
    client.force_login(lead)

    response = client.post(
        url("partnerships_decisions_staff:create", partnership_id=partnership.pk),
        {
            "summary": "Meet monthly.",
            "decided_on": TODAY.isoformat(),
            "decided_by": "Us",
            "tension_status": TensionStatus.RESOLVED,
            "tension": "How often.",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"resolution": ["Say how the tension was resolved"]}
    assert Decision.objects.count() == 0


def test_resolving_a_tension_through_its_page(client, lead, partnership):
    decision = DecisionFactory(
        partnership=partnership, tension_status=TensionStatus.OPEN, tension="Venue."
    )
    client.force_login(lead)

    response = client.post(
        url(
            "partnerships_decisions_staff:resolve",
            partnership_id=partnership.pk,
            decision_id=decision.pk,
        ),
        {"resolution": "We alternate."},
    )

    decision.refresh_from_db()
    assert response.status_code == 302
    assert (decision.tension_status, decision.resolution) == (
        TensionStatus.RESOLVED,
        "We alternate.",
    )


def OpenTensionFactory(**fields):  # type: ignore[no-untyped-def]
    return DecisionFactory(tension_status=TensionStatus.OPEN, tension="Venue.", **fields)


# Swapped ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "key"),
    [
        ("partnerships_decisions_staff:edit", DecisionFactory, "decision_id"),
        ("partnerships_decisions_staff:resolve", OpenTensionFactory, "decision_id"),
        ("partnerships_barriers_staff:edit", BarrierFactory, "barrier_id"),
        ("partnerships_barriers_staff:dealt_with", BarrierFactory, "barrier_id"),
        ("partnerships_you_said_staff:edit", YouSaidItemFactory, "item_id"),
        ("partnerships_you_said_staff:close", YouSaidItemFactory, "item_id"),
    ],
)
def test_a_record_of_another_partnership_is_not_found_through_this_ones_address(
    client, lead, partnership, name, make, key
):
    other = make(partnership=PartnershipFactory(lead=lead))
    client.force_login(lead)

    response = client.get(url(name, partnership_id=partnership.pk, **{key: other.pk}))
    own_address = client.get(url(name, partnership_id=other.partnership_id, **{key: other.pk}))

    assert (response.status_code, own_address.status_code) == (404, 200)


def test_the_team_too_finds_no_record_under_another_partnerships_address(client, partnership):
    other = YouSaidItemFactory(partnership=PartnershipFactory())
    client.force_login(make_partnerships_staff())

    response = client.post(
        url(
            "partnerships_you_said_staff:close",
            partnership_id=partnership.pk,
            item_id=other.pk,
        ),
        {"status": Status.ACTED_ON, "response": "Yes.", "what_changed": "All."},
    )

    other.refresh_from_db()
    assert (response.status_code, other.status) == (404, Status.OPEN)


@pytest.mark.parametrize("name", ["partnerships_decisions:list", "partnerships_you_said:list"])
def test_members_do_not_find_another_partnerships_log(client, member, name):
    other = PartnershipFactory()
    DecisionFactory(partnership=other, summary="Their decision.")
    YouSaidItemFactory(partnership=other, said="Their words.")
    client.force_login(member)

    response = client.get(url(name, partnership_id=other.pk))

    assert response.status_code == 404
    assert "Their" not in text_of(response)


# "You said, we did" ---------------------------------------------------------------------------


def test_members_never_see_the_name_of_an_anonymous_giver(client, member, partnership):
    hidden = add_member(partnership, role=PartnershipRole.LEE).person
    hidden.chosen_name = "Zainab Quietname"
    hidden.save()
    named = add_member(partnership, role=PartnershipRole.PWLE).person
    named.chosen_name = "Kofi Openname"
    named.save()
    YouSaidItemFactory(partnership=partnership, given_by=hidden, anonymous=True, said="Words A.")
    YouSaidItemFactory(partnership=partnership, given_by=named, said="Words B.")
    client.force_login(member)

    response = client.get(url("partnerships_you_said:list", partnership_id=partnership.pk))

    html = text_of(response)
    assert "Words A." in html
    assert "Kofi Openname" in html
    assert "Zainab" not in html
    assert "Quietname" not in html
    assert str(hidden.pk) not in [row["giver"] for row in response.context["rows"]]
    assert [row["giver"] for row in response.context["rows"]] == ["Kofi Openname", "Anonymous"]


def test_the_anonymous_giver_sees_their_own_item_as_theirs(client, partnership):
    user = make_user(roles=CORE_ROLES[PartnershipRole.LEE])
    add_member(partnership, user.person, PartnershipRole.LEE)
    YouSaidItemFactory(partnership=partnership, given_by=user.person, anonymous=True)
    client.force_login(user)

    response = client.get(url("partnerships_you_said:list", partnership_id=partnership.pk))

    assert [row["giver"] for row in response.context["rows"]] == [
        "You (others see \u201cAnonymous\u201d)"
    ]


def test_the_staff_list_flags_open_items_older_than_the_setting_first(
    client, lead, partnership, settings
):
    settings.COPROD_YOU_SAID_FLAG_AFTER_DAYS = 30
    recent = YouSaidItemFactory(partnership=partnership, said_on=TODAY - timedelta(days=5))
    old = YouSaidItemFactory(partnership=partnership, said_on=TODAY - timedelta(days=31))
    YouSaidItemFactory(
        partnership=partnership,
        said_on=TODAY - timedelta(days=90),
        status=Status.ACTED_ON,
    )
    client.force_login(lead)

    response = client.get(url("partnerships_you_said_staff:list", partnership_id=partnership.pk))

    rows = [(item.pk, item.flagged) for item in response.context["page"].items]
    assert rows[:2] == [(old.pk, True), (recent.pk, False)]
    assert text_of(response).count('data-flagged="true"') == 1
    assert overdue_you_said_count() == 1


def test_closing_through_the_page_tells_the_giver(client, lead, partnership):
    giver = add_member(partnership, role=PartnershipRole.LEE).person
    item = YouSaidItemFactory(partnership=partnership, given_by=giver)
    client.force_login(lead)

    response = client.post(
        url("partnerships_you_said_staff:close", partnership_id=partnership.pk, item_id=item.pk),
        {"status": Status.NOT_ACTED_ON, "response": "We could not."},
    )
    again = client.post(
        url("partnerships_you_said_staff:close", partnership_id=partnership.pk, item_id=item.pk),
        {"status": Status.NOT_ACTED_ON, "response": "We could not.", "reason": "No budget."},
    )
    item.refresh_from_db()

    assert response.context["form"].errors == {"reason": ["Say why it was not fully acted on"]}
    assert again.status_code == 302
    assert (item.status, item.reason) == (Status.NOT_ACTED_ON, "No budget.")
    assert list(Notification.objects.values_list("person", "kind")) == [
        (giver.pk, "partnerships_you_said_closed")
    ]


def test_recording_input_offers_only_current_lived_experience_members(client, lead, partnership):
    lee = add_member(partnership, role=PartnershipRole.LEE).person
    researcher = add_member(partnership, role=PartnershipRole.RESEARCHER).person
    client.force_login(lead)

    response = client.post(
        url("partnerships_you_said_staff:create", partnership_id=partnership.pk),
        {"given_by": researcher.pk, "said": "Words.", "said_on": TODAY.isoformat()},
    )
    made = client.post(
        url("partnerships_you_said_staff:create", partnership_id=partnership.pk),
        {"given_by": lee.pk, "said": "Words.", "said_on": TODAY.isoformat(), "anonymous": "on"},
    )

    choices = [value for value, _label in response.context["form"].fields["given_by"].choices]
    assert choices == ["", lee.pk]
    assert "given_by" in response.context["form"].errors
    assert made.status_code == 302
    assert list(YouSaidItem.objects.values_list("given_by", "anonymous")) == [(lee.pk, True)]


# Barriers -------------------------------------------------------------------------------------


def test_open_barriers_are_counted_by_kind_across_partnerships_in_one_query(
    django_assert_num_queries,
):
    first, second, elsewhere = PartnershipFactory(), PartnershipFactory(), PartnershipFactory()
    BarrierFactory(partnership=first, kind=BarrierKind.TIME)
    BarrierFactory(partnership=second, kind=BarrierKind.TIME)
    BarrierFactory(partnership=second, kind=BarrierKind.POWER)
    BarrierFactory(partnership=elsewhere, kind=BarrierKind.POWER)
    dealt = BarrierFactory(
        partnership=first, kind=BarrierKind.RESOURCES, raised_on=TODAY - timedelta(days=3)
    )
    mark_barrier_dealt_with(dealt, by=TEST_ACTOR, addressed_on=TODAY)
    chosen = PartnershipFactory._meta.model.objects.filter(pk__in=[first.pk, second.pk])

    with django_assert_num_queries(1):
        counts = open_barrier_counts(chosen)

    assert counts == {
        BarrierKind.RESOURCES: 0,
        BarrierKind.POWER: 1,
        BarrierKind.TIME: 2,
        BarrierKind.ACADEMIC_INCENTIVES: 0,
        BarrierKind.CULTURE_LANGUAGE: 0,
    }


def test_the_barriers_page_lists_open_ones_first_with_what_is_done(client, lead, partnership):
    dealt = BarrierFactory(partnership=partnership, raised_on=TODAY - timedelta(days=1))
    mark_barrier_dealt_with(dealt, by=TEST_ACTOR, addressed_on=TODAY)
    BarrierFactory(
        partnership=partnership,
        kind=BarrierKind.POWER,
        raised_on=TODAY - timedelta(days=20),
        action="An independent chair.",
    )
    client.force_login(lead)

    response = client.get(url("partnerships_barriers_staff:list", partnership_id=partnership.pk))

    assert [(b.kind, b.status) for b in response.context["page"].items] == [
        (BarrierKind.POWER, "open"),
        (BarrierKind.TIME, "addressed"),
    ]
    assert "An independent chair." in text_of(response)


# Query counts ---------------------------------------------------------------------------------


def _staff_decision(partnership):  # type: ignore[no-untyped-def]
    return lambda: DecisionFactory(
        partnership=partnership, tension_status=TensionStatus.OPEN, tension="Venue."
    )


def _item(partnership):  # type: ignore[no-untyped-def]
    def add():  # type: ignore[no-untyped-def]
        giver = add_member(partnership, role=PartnershipRole.LEE).person
        return YouSaidItemFactory(partnership=partnership, given_by=giver)

    return add


@pytest.mark.parametrize(
    ("name", "viewer", "add", "pinned"),
    [
        ("partnerships_decisions_staff:list", "lead", _staff_decision, "STAFF_DECISIONS"),
        ("partnerships_decisions:list", "member", _staff_decision, "PORTAL_DECISIONS"),
        (
            "partnerships_barriers_staff:list",
            "lead",
            lambda p: lambda: BarrierFactory(partnership=p),
            "BARRIERS",
        ),
        ("partnerships_you_said_staff:list", "lead", _item, "STAFF_YOU_SAID"),
        ("partnerships_you_said:list", "member", _item, "PORTAL_YOU_SAID"),
    ],
)
def test_list_queries_do_not_grow_with_rows(
    client, lead, member, partnership, name, viewer, add, pinned
):
    client.force_login(lead if viewer == "lead" else member)

    count = assert_queries_do_not_grow(
        client, url(name, partnership_id=partnership.pk), add(partnership), rows=(1, 5)
    )

    assert count == PINNED[pinned]


# Staff: the session, the login, its permissions, the partnership, the page of rows; portal:
# the session, the login, the partnership (with the membership), the page of rows.
PINNED = {
    "STAFF_DECISIONS": 5,
    "PORTAL_DECISIONS": 3,
    "BARRIERS": 5,
    "STAFF_YOU_SAID": 5,
    "PORTAL_YOU_SAID": 3,
}


def test_the_list_across_partnerships_queries_do_not_grow(client):
    staff = make_partnerships_staff()
    client.force_login(staff)

    def add():  # type: ignore[no-untyped-def]
        return YouSaidItemFactory(partnership=PartnershipFactory())

    count = assert_queries_do_not_grow(
        client, url("partnerships_you_said_staff:all"), add, rows=(1, 5)
    )

    assert count == PINNED_ALL


PINNED_ALL = 4


@pytest.mark.parametrize(
    ("name", "viewer"),
    [
        ("partnerships_decisions_staff:list", "lead"),
        ("partnerships_decisions:list", "member"),
        ("partnerships_barriers_staff:list", "lead"),
        ("partnerships_you_said_staff:list", "lead"),
        ("partnerships_you_said:list", "member"),
    ],
)
def test_a_partnerships_lists_hold_none_of_another_partnerships_records(
    client, lead, member, partnership, name, viewer
):
    # The other partnership has the same lead and the member too: both could see it elsewhere.
    other = PartnershipFactory(lead=lead)
    add_member(other, member.person, PartnershipRole.RESEARCHER)
    for owner, words in ((partnership, "Ours"), (other, "Theirs")):
        DecisionFactory(partnership=owner, summary=f"{words}: decided.")
        BarrierFactory(partnership=owner, description=f"{words}: a barrier.")
        YouSaidItemFactory(partnership=owner, said=f"{words}: said.")
    client.force_login(lead if viewer == "lead" else member)

    response = client.get(url(name, partnership_id=partnership.pk))

    html = text_of(response)
    assert len(response.context["page"].items) == 1
    assert "Ours: " in html
    assert "Theirs" not in html


def test_the_list_across_partnerships_shows_a_lead_only_the_items_of_what_they_lead(
    client, lead, partnership
):
    YouSaidItemFactory(partnership=partnership, said="Ours: said.")
    YouSaidItemFactory(partnership=PartnershipFactory(), said="Theirs: said.")
    client.force_login(lead)

    response = client.get(url("partnerships_you_said_staff:all"))

    assert [item.said for item in response.context["page"].items] == ["Ours: said."]
    assert "Theirs" not in text_of(response)
