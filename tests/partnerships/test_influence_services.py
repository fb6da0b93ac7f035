"""Decisions, barriers and "you said, we did" through their services: each refusal leaves
nothing changed and says what is wrong on the field; closing an item tells its giver once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from coprod.models import Notification
from partnerships.enums import BarrierKind, BarrierStatus, PartnershipRole, TensionStatus
from partnerships.enums import YouSaidStatus as Status
from partnerships.models import Barrier, Decision, YouSaidItem
from partnerships.services import you_said
from partnerships.services.barriers import change_barrier, mark_barrier_dealt_with, record_barrier
from partnerships.services.decisions import change_decision, record_decision, resolve_tension
from partnerships.services.you_said import change_you_said, close_you_said, record_you_said
from tests.factories.core import (
    TEST_ACTOR,
    backdate_consent_texts,
    make_reachable_person,
    make_staff,
)
from tests.factories.partnerships import (
    BarrierFactory,
    DecisionFactory,
    PartnershipFactory,
    YouSaidItemFactory,
    add_member,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def errors_of(excinfo) -> dict:  # type: ignore[no-untyped-def]
    return excinfo.value.message_dict


def decide(partnership, **fields):  # type: ignore[no-untyped-def]
    values = {
        "decided_on": TODAY,
        "summary": "Publish the guidance in three languages.",
        "decided_by": "The steering group",
        **fields,
    }
    return record_decision(partnership, by=partnership.lead, **values)


# Decisions ------------------------------------------------------------------------------------


def test_a_decision_with_a_resolved_tension_is_recorded_by_its_lead():
    partnership = PartnershipFactory()

    decision = decide(
        partnership,
        tension_status=TensionStatus.RESOLVED,
        tension="Who reads the draft first.",
        views_held="Police: us. Members: us.",
        resolution="Members first, then facts only.",
    )

    assert Decision.objects.filter(partnership=partnership).get() == decision
    assert (decision.tension_status, decision.recorded_by) == (
        TensionStatus.RESOLVED,
        partnership.lead,
    )


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"tension_status": TensionStatus.OPEN}, "tension", "Describe what the disagreement"),
        (
            {"tension_status": TensionStatus.RESOLVED, "tension": "Venue."},
            "resolution",
            "Say how the tension was resolved",
        ),
        ({"tension": "Venue."}, "tension_status", "You described a tension"),
        (
            {"tension_status": TensionStatus.OPEN, "tension": "Venue.", "resolution": "Done."},
            "tension_status",
            "You said how the tension was resolved",
        ),
        ({"summary": "  "}, "summary", "Enter what was decided"),
        ({"decided_by": ""}, "decided_by", "Enter who decided"),
        ({"decided_on": TODAY + timedelta(days=1)}, "decided_on", "cannot be in the future"),
    ],
    ids=[
        "tension without description",
        "resolved without how",
        "description without tension",
        "open with a resolution",
        "no summary",
        "no one decided",
        "in the future",
    ],
)
def test_a_decision_breaking_a_rule_is_refused_on_its_field(fields, field, message):
    partnership = PartnershipFactory()

    with pytest.raises(ValidationError) as excinfo:
        decide(partnership, **fields)

    assert list(errors_of(excinfo)) == [field]
    assert message in errors_of(excinfo)[field][0]
    assert Decision.objects.count() == 0


def test_the_database_refuses_a_tension_without_description_or_resolution():
    partnership = PartnershipFactory()

    for fields in (
        {"tension_status": TensionStatus.OPEN},
        {"tension_status": TensionStatus.RESOLVED, "tension": "Venue."},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            DecisionFactory(partnership=partnership, **fields)

    assert Decision.objects.count() == 0


def test_staff_who_do_not_manage_the_partnership_may_not_record_a_decision():
    partnership = PartnershipFactory()
    outsider = make_staff()

    with pytest.raises(PermissionDenied):
        record_decision(
            partnership, by=outsider, decided_on=TODAY, summary="Meet.", decided_by="Us"
        )

    assert Decision.objects.count() == 0


def test_resolving_a_tension_records_how_and_a_second_time_is_refused():
    decision = DecisionFactory(tension_status=TensionStatus.OPEN, tension="Evening meetings.")
    lead = decision.partnership.lead

    resolved = resolve_tension(decision, by=lead, resolution="Alternate day and evening.")
    with pytest.raises(ValidationError) as excinfo:
        resolve_tension(decision, by=lead, resolution="Something else.")

    decision.refresh_from_db()
    assert (decision.tension_status, decision.resolution) == (
        TensionStatus.RESOLVED,
        "Alternate day and evening.",
    )
    assert resolved.pk == decision.pk
    assert list(errors_of(excinfo)) == ["resolution"]


def test_resolving_without_saying_how_changes_nothing():
    decision = DecisionFactory(tension_status=TensionStatus.OPEN, tension="Evening meetings.")

    with pytest.raises(ValidationError) as excinfo:
        resolve_tension(decision, by=decision.partnership.lead, resolution="  ")

    decision.refresh_from_db()
    assert (decision.tension_status, decision.resolution) == (TensionStatus.OPEN, "")
    assert errors_of(excinfo) == {"resolution": ["Say how the tension was resolved"]}


def test_changing_a_decision_to_a_resolved_tension_without_how_changes_nothing():
    decision = DecisionFactory(summary="Meet monthly.")

    with pytest.raises(ValidationError):
        change_decision(
            decision,
            by=decision.partnership.lead,
            decided_on=TODAY,
            summary="Meet every week.",
            decided_by="Us",
            tension_status=TensionStatus.RESOLVED,
            tension="How often.",
        )

    decision.refresh_from_db()
    assert (decision.summary, decision.tension_status) == ("Meet monthly.", TensionStatus.NONE)


# Barriers -------------------------------------------------------------------------------------


def test_a_barrier_is_recorded_open_and_marked_dealt_with_on_a_date():
    partnership = PartnershipFactory()
    barrier = record_barrier(
        partnership,
        by=partnership.lead,
        kind=BarrierKind.POWER,
        description="Police speak first.",
        action="An independent chair.",
        raised_on=TODAY - timedelta(days=10),
    )

    mark_barrier_dealt_with(barrier, by=partnership.lead, addressed_on=TODAY - timedelta(days=2))

    barrier.refresh_from_db()
    assert (barrier.kind, barrier.status, barrier.addressed_on) == (
        BarrierKind.POWER,
        BarrierStatus.ADDRESSED,
        TODAY - timedelta(days=2),
    )


@pytest.mark.parametrize(
    ("days", "message"),
    [(-1, "cannot be in the future"), (6, "before the barrier was noticed")],
    ids=["future", "before noticed"],
)
def test_a_barrier_dealt_with_on_an_impossible_date_stays_open(days, message):
    barrier = BarrierFactory(raised_on=TODAY - timedelta(days=5))

    with pytest.raises(ValidationError) as excinfo:
        mark_barrier_dealt_with(
            barrier, by=barrier.partnership.lead, addressed_on=TODAY - timedelta(days=days)
        )

    barrier.refresh_from_db()
    assert (barrier.status, barrier.addressed_on) == (BarrierStatus.OPEN, None)
    assert message in errors_of(excinfo)["addressed_on"][0]


def test_a_barrier_already_dealt_with_is_not_dealt_with_again():
    barrier = BarrierFactory(raised_on=TODAY - timedelta(days=5))
    mark_barrier_dealt_with(barrier, by=TEST_ACTOR, addressed_on=TODAY - timedelta(days=3))

    with pytest.raises(ValidationError):
        mark_barrier_dealt_with(barrier, by=TEST_ACTOR, addressed_on=TODAY)

    barrier.refresh_from_db()
    assert barrier.addressed_on == TODAY - timedelta(days=3)


def test_a_barrier_of_an_unknown_kind_or_without_description_is_refused():
    barrier = BarrierFactory(description="Meetings in working hours.")

    with pytest.raises(ValidationError) as excinfo:
        change_barrier(
            barrier, by=barrier.partnership.lead, kind="money", description="", raised_on=TODAY
        )

    barrier.refresh_from_db()
    assert (barrier.kind, barrier.description) == (BarrierKind.TIME, "Meetings in working hours.")
    assert sorted(errors_of(excinfo)) == ["description", "kind"]


# "You said, we did" ---------------------------------------------------------------------------


@pytest.fixture
def reachable_lee():
    backdate_consent_texts()
    return make_reachable_person(email="ayo@example.org")


def say(partnership, person, **fields):  # type: ignore[no-untyped-def]
    values = {"said": "Papers come too late.", "said_on": TODAY - timedelta(days=3), **fields}
    return record_you_said(partnership, by=partnership.lead, given_by=person, **values)


def test_input_from_a_lived_experience_member_is_recorded_open():
    partnership = PartnershipFactory()
    member = add_member(partnership, role=PartnershipRole.PWLE)

    item = say(partnership, member.person, anonymous=True, keep_words=True)

    assert (item.given_by, item.status, item.anonymous, item.keep_words) == (
        member.person,
        Status.OPEN,
        True,
        True,
    )


@pytest.mark.parametrize(
    "who", ["researcher member", "member who left", "member of another partnership"]
)
def test_input_is_only_recorded_from_a_current_lived_experience_member(who):
    partnership = PartnershipFactory()
    if who == "researcher member":
        person = add_member(partnership, role=PartnershipRole.RESEARCHER).person
    elif who == "member who left":
        person = add_member(partnership, left_on=TODAY - timedelta(days=1)).person
    else:
        person = add_member(PartnershipFactory()).person

    with pytest.raises(ValidationError) as excinfo:
        say(partnership, person)

    assert list(errors_of(excinfo)) == ["given_by"]
    assert YouSaidItem.objects.count() == 0


def close(item, **fields):  # type: ignore[no-untyped-def]
    values = {"status": Status.ACTED_ON, "response": "Agreed.", "what_changed": "A week ahead."}
    return close_you_said(item, by=item.partnership.lead, **{**values, **fields})


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": Status.PARTLY}, "reason"),
        ({"status": Status.NOT_ACTED_ON, "what_changed": ""}, "reason"),
        ({"status": Status.OPEN}, "status"),
        ({"response": ""}, "response"),
        ({"what_changed": ""}, "what_changed"),
    ],
    ids=[
        "partly without reason",
        "not acted on without reason",
        "open",
        "no response",
        "acted on without what changed",
    ],
)
def test_closing_against_a_rule_changes_nothing_and_tells_no_one(
    fields, field, reachable_lee, django_capture_on_commit_callbacks
):
    partnership = PartnershipFactory()
    add_member(partnership, reachable_lee)
    item = say(partnership, reachable_lee)

    with pytest.raises(ValidationError) as excinfo, django_capture_on_commit_callbacks():
        close(item, **fields)

    item.refresh_from_db()
    assert list(errors_of(excinfo)) == [field]
    assert (item.status, item.closed_at, item.response) == (Status.OPEN, None, "")
    assert Notification.objects.count() == 0


def test_closing_tells_the_giver_once_what_came_of_it(
    reachable_lee, django_capture_on_commit_callbacks, mailoutbox
):
    partnership = PartnershipFactory(title="Survivor voices")
    add_member(partnership, reachable_lee)
    item = say(partnership, reachable_lee, anonymous=True)

    with django_capture_on_commit_callbacks(execute=True):
        close(
            item,
            status=Status.PARTLY,
            response="We tried.",
            what_changed="Papers go out three days ahead.",
            reason="A week is too long for the police.",
        )
    with pytest.raises(ValidationError), django_capture_on_commit_callbacks(execute=True):
        close(item)

    item.refresh_from_db()
    message = Notification.objects.get()
    assert (item.status, item.reason, item.closed_by) == (
        Status.PARTLY,
        "A week is too long for the police.",
        partnership.lead,
    )
    assert (message.person, message.kind) == (reachable_lee, "partnerships_you_said_closed")
    body = message.content["full"]["body"]
    assert "Partly acted on" in body
    assert "Papers go out three days ahead." in body
    assert "A week is too long for the police." in body
    assert message.content["full"]["subject"] == "What came of what you said: Survivor voices"
    neutral = message.content["neutral"]
    assert "Survivor voices" not in neutral["subject"] + neutral["body"]
    assert "partnership" not in (neutral["subject"] + neutral["body"]).lower()
    assert [(m.to, m.subject) for m in mailoutbox] == [(["ayo@example.org"], "A message for you")]


def test_a_closed_item_is_not_changed():
    partnership = PartnershipFactory()
    member = add_member(partnership)
    item = say(partnership, member.person)
    close(item)

    with pytest.raises(ValidationError):
        change_you_said(
            item,
            by=partnership.lead,
            given_by=member.person,
            said="Something else.",
            said_on=TODAY,
            anonymous=False,
            keep_words=False,
        )

    item.refresh_from_db()
    assert item.said == "Papers come too late."


def test_the_database_refuses_partly_without_a_reason():
    item = YouSaidItemFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        YouSaidItem.objects.filter(pk=item.pk).update(status=Status.PARTLY)

    item.refresh_from_db()
    assert item.status == Status.OPEN


def test_a_closing_that_fails_half_way_leaves_the_item_open_and_a_retry_tells_once(
    reachable_lee, django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    partnership = PartnershipFactory()
    add_member(partnership, reachable_lee)
    item = say(partnership, reachable_lee)

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionError("the outbox failed after the item was saved")

    with monkeypatch.context() as patched:
        patched.setattr(you_said, "queue_notification", broken)
        with pytest.raises(ConnectionError), django_capture_on_commit_callbacks(execute=True):
            close(item)
    item.refresh_from_db()
    assert (item.status, item.closed_at, Notification.objects.count()) == (Status.OPEN, None, 0)

    with django_capture_on_commit_callbacks(execute=True):
        close(item)

    item.refresh_from_db()
    assert item.status == Status.ACTED_ON
    assert list(Notification.objects.values_list("person", "kind")) == [
        (reachable_lee.pk, "partnerships_you_said_closed")
    ]
    assert len(mailoutbox) == 1


def test_closing_two_items_of_one_giver_tells_them_of_each(
    reachable_lee, django_capture_on_commit_callbacks, mailoutbox
):
    partnership = PartnershipFactory()
    add_member(partnership, reachable_lee)
    first = say(partnership, reachable_lee, said="Papers come too late.")
    second = say(partnership, reachable_lee, said="The room is too cold.")

    with django_capture_on_commit_callbacks(execute=True):
        close(first, what_changed="Papers go out a week ahead.")
        close(second, what_changed="The heating is on before we start.")

    told = sorted(
        message.content["full"]["body"].split("What changed:\n")[1].splitlines()[0]
        for message in Notification.objects.filter(person=reachable_lee)
    )
    assert told == ["Papers go out a week ahead.", "The heating is on before we start."]
    assert len(mailoutbox) == 2


def _outsider_calls(partnership, giver):  # type: ignore[no-untyped-def]
    item = say(partnership, giver)
    decision = DecisionFactory(
        partnership=partnership, tension_status=TensionStatus.OPEN, tension="Venue."
    )
    barrier = BarrierFactory(partnership=partnership, raised_on=TODAY - timedelta(days=5))
    words = {"said": "Other words.", "said_on": TODAY, "anonymous": False, "keep_words": False}
    return {
        "change_decision": lambda by: change_decision(
            decision,
            by=by,
            decided_on=TODAY,
            summary="Other.",
            decided_by="Them",
            tension_status=TensionStatus.NONE,
        ),
        "resolve_tension": lambda by: resolve_tension(decision, by=by, resolution="Settled."),
        "record_barrier": lambda by: record_barrier(
            partnership, by=by, kind=BarrierKind.TIME, description="Late.", raised_on=TODAY
        ),
        "change_barrier": lambda by: change_barrier(
            barrier, by=by, kind=BarrierKind.POWER, description="Other.", raised_on=TODAY
        ),
        "mark_barrier_dealt_with": lambda by: mark_barrier_dealt_with(
            barrier, by=by, addressed_on=TODAY
        ),
        "record_you_said": lambda by: record_you_said(
            partnership, by=by, given_by=giver, said="More.", said_on=TODAY
        ),
        "change_you_said": lambda by: change_you_said(item, by=by, given_by=giver, **words),
        "close_you_said": lambda by: close_you_said(
            item, by=by, status=Status.ACTED_ON, response="Yes.", what_changed="All."
        ),
    }


def _state():  # type: ignore[no-untyped-def]
    return (
        sorted(Decision.objects.values_list("pk", "summary", "tension_status", "resolution")),
        sorted(Barrier.objects.values_list("pk", "kind", "description", "status")),
        sorted(YouSaidItem.objects.values_list("pk", "said", "status")),
        Notification.objects.count(),
    )


@pytest.mark.parametrize(
    "service",
    [
        "change_decision",
        "resolve_tension",
        "record_barrier",
        "change_barrier",
        "mark_barrier_dealt_with",
        "record_you_said",
        "change_you_said",
        "close_you_said",
    ],
)
def test_staff_who_do_not_manage_the_partnership_change_nothing_through_a_service(service):
    partnership = PartnershipFactory()
    giver = add_member(partnership, role=PartnershipRole.LEE).person
    calls = _outsider_calls(partnership, giver)
    before = _state()

    with pytest.raises(PermissionDenied):
        calls[service](make_staff())

    assert _state() == before


def test_an_item_cannot_be_moved_to_a_member_of_another_partnership():
    partnership = PartnershipFactory()
    giver = add_member(partnership).person
    item = say(partnership, giver)
    elsewhere = add_member(PartnershipFactory()).person

    with pytest.raises(ValidationError) as excinfo:
        change_you_said(
            item,
            by=partnership.lead,
            given_by=elsewhere,
            said="Papers come too late.",
            said_on=TODAY,
            anonymous=False,
            keep_words=False,
        )

    item.refresh_from_db()
    assert list(errors_of(excinfo)) == ["given_by"]
    assert item.given_by == giver
