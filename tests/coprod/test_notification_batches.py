"""The outbox's batched door (queue_notifications): the same decisions as queue_notification,
in a fixed number of queries, with one delivery task per batch; and staff work messages."""

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from coprod import tasks
from coprod.enums import HoldReason, NotificationCategory, NotificationStatus, PersonStatus
from coprod.models import Notification
from coprod.selectors import messages_for_person
from coprod.services import notifications
from coprod.services.notifications import (
    Outgoing,
    decide_delivery,
    deliver_notification,
    deliver_notifications,
    queue_notifications,
    release_held_notifications,
)
from coprod.services.people import set_involvement_status
from tests.coprod.test_notifications import (
    NEUTRAL_BODY,
    _forget_email,
    _pause,
    _reconfirmation_overdue,
    _route_to_paused_support_worker,
    _route_to_support_worker_who_is_not_a_practitioner,
    _set_prefs,
    _withdraw,
    _withdraw_contact_consent,
    make_practitioner,
    route_through_support_worker,
    sent,
)
from tests.factories import PersonFactory, UserFactory, make_staff
from tests.factories.core import TEST_ACTOR, backdate_consent_texts, make_reachable_person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _consent_texts_published_long_ago(db):
    backdate_consent_texts()


def paused_person(**fields):
    person = make_reachable_person(**fields)
    _pause(person)
    person.refresh_from_db()
    return person


def outgoing(person, key="batch:1", **fields):
    return Outgoing(
        person_id=person.pk,
        kind="test_message",
        key=key,
        context={"detail": "a paid panel"},
        **fields,
    )


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (_pause, HoldReason.PAUSED),
        (_withdraw, HoldReason.WITHDRAWN),
        (_withdraw_contact_consent, HoldReason.NO_CONTACT_CONSENT),
        (_reconfirmation_overdue, HoldReason.RECONFIRM_DUE),
        (_set_prefs(person_initiates_only=True), HoldReason.PERSON_INITIATES),
        (_set_prefs(channels=["phone", "post"]), HoldReason.NO_SAFE_CHANNEL),
        (_set_prefs(channels=["support_worker"]), HoldReason.NO_SAFE_CHANNEL),
        (_route_to_paused_support_worker, HoldReason.SUPPORT_WORKER_UNAVAILABLE),
        (
            _route_to_support_worker_who_is_not_a_practitioner,
            HoldReason.SUPPORT_WORKER_UNAVAILABLE,
        ),
        (_forget_email, HoldReason.NO_ADDRESS),
    ],
    ids=[
        "paused",
        "withdrawn",
        "no-contact-consent",
        "reconfirm-due",
        "person-initiates-only",
        "phone-and-post-only",
        "support-worker-not-named",
        "support-worker-paused",
        "support-worker-not-a-practitioner",
        "no-address",
    ],
)
def test_queue_notifications_holds_for_the_same_reasons_as_the_single_door(
    django_capture_on_commit_callbacks, mailoutbox, arrange, reason
):
    person = make_reachable_person()
    arrange(person)

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = queue_notifications([outgoing(person)])

    notification.refresh_from_db()
    assert (notification.status, notification.hold_reason) == ("held", reason)
    assert decide_delivery(person, now=timezone.now()).hold_reason == reason
    assert mailoutbox == []


def test_queue_notifications_without_preferences_holds_for_no_safe_channel():
    person = make_reachable_person()
    person.safe_contact.delete()

    (notification,) = queue_notifications([outgoing(person)])

    assert (notification.status, notification.hold_reason) == ("held", "no_safe_channel")


def test_queue_notifications_decides_as_decide_delivery_for_everyone(time_machine):
    time_machine.move_to(datetime(2026, 6, 15, 6, tzinfo=UTC), tick=False)  # 7:00 in London
    worker = make_practitioner(email="worker@example.org")
    through_worker = make_reachable_person(email="a@example.org")
    route_through_support_worker(through_worker, worker)
    people = [
        make_reachable_person(email="b@example.org"),
        make_reachable_person(email="c@example.org", safe_times=["morning"]),
        make_reachable_person(email="d@example.org", message_detail="full"),
        through_worker,
        paused_person(email="e@example.org"),
    ]

    created = queue_notifications(
        [outgoing(person, key=f"batch:{n}") for n, person in enumerate(people)]
    )

    now = timezone.now()
    for person, notification in zip(people, created, strict=True):
        decision = decide_delivery(person, now=now)
        expected_status = "held" if decision.hold_reason else "queued"
        assert (notification.status, notification.hold_reason, notification.send_after) == (
            expected_status,
            decision.hold_reason,
            decision.send_after or now,
        )
    assert [n.send_after.hour for n in created[:3]] == [6, 7, 6]  # UTC: 8:00 London for mornings


def test_queue_notifications_routes_through_the_support_worker(
    django_capture_on_commit_callbacks, mailoutbox
):
    worker = make_practitioner(email="worker@example.org")
    person = make_reachable_person(email="sam@example.org")
    route_through_support_worker(person, worker)

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = queue_notifications([outgoing(person)])

    notification.refresh_from_db()
    name = person.display_name
    assert sent(mailoutbox) == [
        (
            ["worker@example.org"],
            "A message for you",
            f"This message is for {name}. They asked us to reach them through you. "
            "Please pass it on in a safe way.\n\n----\n\n" + NEUTRAL_BODY.format(name=name),
        )
    ]
    assert (notification.routed_via, notification.sent_to) == (worker, "worker@example.org")


def _crowd(size):
    worker = make_practitioner(email="worker@example.org")
    people = []
    for n in range(size):
        person = make_reachable_person(email=f"p{n}@example.org")
        if n % 2:
            _set_prefs(channels=["support_worker"], support_worker=worker)(person)
        people.append(person)
    return people


@pytest.mark.parametrize("size", [2, 20])
def test_queue_notifications_makes_a_fixed_number_of_queries(django_assert_num_queries, size):
    # Half the crowd is reached through a support worker (with one person alone, the query for
    # the available workers is not needed, and not made).
    people = _crowd(size)
    items = [outgoing(person, key=f"batch:{n}") for n, person in enumerate(people)]

    # Existing keys, people (with login, preferences, worker), consent, available workers, and
    # the insert in its savepoint.
    with django_assert_num_queries(7):
        created = queue_notifications(items)

    assert len(created) == size


def test_queue_notifications_skips_keys_already_queued(django_capture_on_commit_callbacks):
    person = make_reachable_person()
    first = queue_notifications([outgoing(person, key="batch:1")])

    again = queue_notifications([outgoing(person, key="batch:1"), outgoing(person, key="batch:2")])

    assert [n.idempotency_key for n in first + again] == ["batch:1", "batch:2"]
    assert Notification.objects.count() == 2


def test_queue_notifications_refuses_a_key_twice_in_one_batch():
    person = make_reachable_person()

    with pytest.raises(ValueError, match="its own idempotency key"):
        queue_notifications([outgoing(person), outgoing(person)])

    assert Notification.objects.count() == 0


def test_queue_notifications_enqueues_one_task_for_the_messages_due(
    django_capture_on_commit_callbacks, monkeypatch, time_machine
):
    time_machine.move_to(datetime(2026, 6, 15, 6, tzinfo=UTC), tick=False)  # 7:00 in London
    calls = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda **kw: calls.append(kw))
    now_ok = [make_reachable_person(email=f"n{n}@example.org") for n in range(3)]
    later = make_reachable_person(email="later@example.org", safe_times=["morning"])
    paused = paused_person(email="paused@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        created = queue_notifications(
            [outgoing(p, key=f"b:{n}") for n, p in enumerate([*now_ok, later, paused])]
        )

    assert calls == [{"notification_ids": [n.pk for n in created[:3]]}]


def test_queue_notifications_delivers_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    people = [make_reachable_person(email=f"n{n}@example.org") for n in range(2)]

    with django_capture_on_commit_callbacks(execute=True):
        queue_notifications([outgoing(p, key=f"b:{n}") for n, p in enumerate(people)])

    assert sorted(m.to[0] for m in mailoutbox) == ["n0@example.org", "n1@example.org"]
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}


def test_delivering_a_batch_stops_when_its_time_budget_is_used(monkeypatch, mailoutbox):
    people = [make_reachable_person(email=f"n{n}@example.org") for n in range(2)]
    created = queue_notifications([outgoing(p, key=f"b:{n}") for n, p in enumerate(people)])
    monkeypatch.setattr(notifications, "DISPATCH_TIME_BUDGET", timedelta(0))

    sent_count = deliver_notifications([n.pk for n in created])

    assert (sent_count, mailoutbox) == (0, [])
    assert set(Notification.objects.values_list("status", flat=True)) == {"queued"}


def test_delivering_a_batch_sends_each_once(mailoutbox):
    people = [make_reachable_person(email=f"n{n}@example.org") for n in range(2)]
    created = queue_notifications([outgoing(p, key=f"b:{n}") for n, p in enumerate(people)])
    ids = [n.pk for n in created]

    deliver_notifications(ids)
    deliver_notifications(ids)

    assert sorted(m.to[0] for m in mailoutbox) == ["n0@example.org", "n1@example.org"]
    assert list(Notification.objects.values_list("status", "attempts")) == [("sent", 1)] * 2


# Staff work messages ----------------------------------------------------------------------------


def staff_message(person, key="staff:1"):
    return outgoing(person, key=key, category=NotificationCategory.STAFF)


def test_staff_message_goes_to_the_login_address_without_participant_rules(
    django_capture_on_commit_callbacks, mailoutbox
):
    # No contact consent, no safe-contact preferences, a contact email that is not the login's.
    staff = make_staff(email="finance.member@example.org")
    staff.person.contact_email = "home@example.org"
    staff.person.save()
    staff.person.safe_contact.delete()

    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = queue_notifications([staff_message(staff.person)])

    notification.refresh_from_db()
    assert sent(mailoutbox) == [
        (["finance.member@example.org"], "A message for you", mailoutbox[0].body)
    ]
    assert (notification.status, notification.sent_variant) == ("sent", "neutral")


def test_staff_message_to_a_login_that_is_not_staff_is_held(mailoutbox):
    user = UserFactory()

    (notification,) = queue_notifications([staff_message(user.person)])

    assert (notification.status, notification.hold_reason) == ("held", HoldReason.NOT_STAFF)


def test_staff_message_to_a_person_without_login_is_held():
    (notification,) = queue_notifications([staff_message(PersonFactory())])

    assert (notification.status, notification.hold_reason) == ("held", HoldReason.NOT_STAFF)


def test_staff_message_is_not_sent_once_the_login_is_no_longer_active(mailoutbox):
    staff = make_staff()
    (notification,) = queue_notifications([staff_message(staff.person)])
    staff.is_active = False
    staff.save()

    result = deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert (result, notification.hold_reason, mailoutbox) == ("held", HoldReason.NOT_STAFF, [])


def test_staff_messages_are_neither_held_nor_released_by_the_participant_rules(mailoutbox):
    staff = make_staff()
    (queued,) = queue_notifications([staff_message(staff.person, key="staff:queued")])
    staff.is_staff = False
    staff.save()
    (held,) = queue_notifications([staff_message(staff.person, key="staff:held")])
    staff.person.safe_contact.channels = ["email"]
    staff.person.safe_contact.save()

    set_involvement_status(staff.person, PersonStatus.PAUSED, by=TEST_ACTOR)
    set_involvement_status(staff.person, PersonStatus.ACTIVE, by=TEST_ACTOR)
    released = release_held_notifications(staff.person)

    queued.refresh_from_db()
    held.refresh_from_db()
    assert (queued.status, held.status, held.hold_reason) == ("queued", "held", "not_staff")
    assert released == 0


def test_staff_messages_are_not_among_the_persons_portal_messages():
    staff = make_staff()
    queue_notifications([staff_message(staff.person)])

    assert list(messages_for_person(staff.person)) == []
    assert Notification.objects.get().status == NotificationStatus.QUEUED
