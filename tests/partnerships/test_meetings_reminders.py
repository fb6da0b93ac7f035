"""Agreement review reminders (partnerships.services.agreement_reminders): the partnership's lead
is told 30 days and 7 days before a review, each once — run twice, or killed half way and run
again — a missed one is sent late, a new review date reminds again, and the number of queries
does not grow with the number of reminders."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coprod.enums import NotificationCategory, StaffGroup
from coprod.models import Notification, Person
from partnerships.enums import PartnershipReminderKind
from partnerships.models import Agreement, PartnershipReminder
from partnerships.services import agreement_reminders
from partnerships.services.agreement_reminders import remind_agreement_reviews, review_occasion
from tests.factories.core import TEST_ACTOR, make_staff
from tests.factories.partnerships import AgreementFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

# Monday 15 June 2026, 10:00 in London.
NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _at_ten_on_a_monday(db, time_machine):
    time_machine.move_to(NOW, tick=False)


def agreement(review_on, *, lead=None, **fields):
    partnership = PartnershipFactory(lead=lead or make_staff(StaffGroup.PARTNERSHIPS))
    return AgreementFactory(
        partnership=partnership, signed_on=date(2025, 1, 1), review_on=review_on, **fields
    )


def run(capture):
    with capture(execute=True):
        return remind_agreement_reviews(by=TEST_ACTOR)


def sent(mailoutbox):
    return sorted((message.to[0], message.subject) for message in mailoutbox)


def test_occasions():
    assert review_occasion(TODAY + timedelta(days=31), today=TODAY) is None
    assert review_occasion(TODAY + timedelta(days=30), today=TODAY) == "30-days:2026-07-15"
    assert review_occasion(TODAY + timedelta(days=8), today=TODAY) == "30-days:2026-06-23"
    assert review_occasion(TODAY + timedelta(days=7), today=TODAY) == "7-days:2026-06-22"
    assert review_occasion(TODAY, today=TODAY) == "7-days:2026-06-15"
    assert review_occasion(TODAY - timedelta(days=1), today=TODAY) is None


def test_lead_is_reminded_30_and_7_days_before_each_once(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    lead = make_staff(StaffGroup.ENGAGEMENT, email="lead@example.org")
    review = TODAY + timedelta(days=31)
    found = agreement(review, lead=lead, title="Terms of reference 2026")

    counts = []
    for days_before in (31, 30, 20, 7, 3, 0, -1):
        time_machine.move_to(NOW + timedelta(days=31 - days_before), tick=False)
        counts.append(run(django_capture_on_commit_callbacks))

    assert counts == [0, 1, 0, 1, 0, 0, 0]
    assert sorted(PartnershipReminder.objects.values_list("kind", "object_id", "occasion")) == [
        (PartnershipReminderKind.AGREEMENT_REVIEW, found.pk, "30-days:2026-07-16"),
        (PartnershipReminderKind.AGREEMENT_REVIEW, found.pk, "7-days:2026-07-16"),
    ]
    assert sent(mailoutbox) == [
        ("lead@example.org", "A review is due on 16 July 2026"),
        ("lead@example.org", "A review is due on 16 July 2026"),
    ]
    assert set(Notification.objects.values_list("category", "person_id")) == {
        (NotificationCategory.STAFF, lead.person_id)
    }


def test_only_the_lead_is_reminded_not_the_team(django_capture_on_commit_callbacks, mailoutbox):
    make_staff(StaffGroup.PARTNERSHIPS, email="team@example.org")
    agreement(TODAY + timedelta(days=20), lead=make_staff(email="lead@example.org"))

    run(django_capture_on_commit_callbacks)

    assert [message.to for message in mailoutbox] == [["lead@example.org"]]


def test_the_message_says_which_agreement_only_in_full(django_capture_on_commit_callbacks):
    agreement(TODAY + timedelta(days=20), title="Data-sharing with Haven")

    run(django_capture_on_commit_callbacks)

    content = Notification.objects.get().content
    assert "Data-sharing with Haven" in content["full"]["body"]
    assert "Data-sharing with Haven" not in content["neutral"]["body"]
    assert "5 July 2026" in content["neutral"]["body"]


def test_run_twice_reminds_once(django_capture_on_commit_callbacks, mailoutbox, time_machine):
    agreement(TODAY + timedelta(days=20))

    first = run(django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    second = run(django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert len(mailoutbox) == 1
    assert (PartnershipReminder.objects.count(), Notification.objects.count()) == (1, 1)


def test_killed_half_way_leaves_nothing_and_the_next_run_sends_all(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    for days in (5, 20, 29):
        agreement(TODAY + timedelta(days=days))

    def killed(batch):
        raise SystemExit("worker killed after the reminders and messages were inserted")

    with monkeypatch.context() as patched:
        patched.setattr(agreement_reminders, "_link_messages", killed)
        with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
            remind_agreement_reviews(by=TEST_ACTOR)
    assert (PartnershipReminder.objects.count(), Notification.objects.count(), mailoutbox) == (
        0,
        0,
        [],
    )

    count = run(django_capture_on_commit_callbacks)

    assert count == 3
    assert len(mailoutbox) == 3
    assert PartnershipReminder.objects.filter(notification__isnull=False).count() == 3


def test_a_reminder_missed_while_the_task_was_down_is_sent_once_late(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    found = agreement(TODAY + timedelta(days=40))

    # Down from 30 days before until 12 days before: the 30-day one goes late, once.
    time_machine.move_to(NOW + timedelta(days=28), tick=False)
    late = run(django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + timedelta(days=29), tick=False)
    again = run(django_capture_on_commit_callbacks)
    # Down again until 2 days before: only the 7-day one is sent.
    time_machine.move_to(NOW + timedelta(days=38), tick=False)
    last = run(django_capture_on_commit_callbacks)

    assert (late, again, last) == (1, 0, 1)
    assert sorted(
        PartnershipReminder.objects.filter(object_id=found.pk).values_list("occasion", flat=True)
    ) == ["30-days:2026-07-25", "7-days:2026-07-25"]


def test_seven_days_before_only_the_7_day_reminder_is_sent(django_capture_on_commit_callbacks):
    agreement(TODAY + timedelta(days=6))

    run(django_capture_on_commit_callbacks)

    assert list(PartnershipReminder.objects.values_list("occasion", flat=True)) == [
        "7-days:2026-06-21"
    ]


def test_two_agreements_due_the_same_day_are_both_reminded(
    django_capture_on_commit_callbacks, mailoutbox
):
    lead = make_staff(StaffGroup.PARTNERSHIPS, email="lead@example.org")
    partnership = PartnershipFactory(lead=lead)
    first, second = (
        AgreementFactory(partnership=partnership, review_on=TODAY + timedelta(days=25))
        for _ in range(2)
    )

    count = run(django_capture_on_commit_callbacks)

    assert count == 2
    assert sorted(PartnershipReminder.objects.values_list("object_id", flat=True)) == sorted(
        [first.pk, second.pk]
    )
    assert [message.to for message in mailoutbox] == [["lead@example.org"]] * 2


def test_a_new_review_date_reminds_again(django_capture_on_commit_callbacks, time_machine):
    found = agreement(TODAY + timedelta(days=20))
    run(django_capture_on_commit_callbacks)

    Agreement.objects.filter(pk=found.pk).update(review_on=TODAY + timedelta(days=25))
    count = run(django_capture_on_commit_callbacks)

    assert count == 1
    assert sorted(PartnershipReminder.objects.values_list("occasion", flat=True)) == [
        "30-days:2026-07-05",
        "30-days:2026-07-10",
    ]


def test_a_lead_whose_login_is_inactive_is_not_reminded(django_capture_on_commit_callbacks):
    lead = make_staff(StaffGroup.PARTNERSHIPS, is_active=False)
    agreement(TODAY + timedelta(days=20), lead=lead)

    assert run(django_capture_on_commit_callbacks) == 0
    assert PartnershipReminder.objects.count() == 0


def _queries(capture) -> int:
    """The sweep's own queries (the outbox delivers after commit, one message at a time)."""
    with capture(execute=False), CaptureQueriesContext(connection) as queries:
        remind_agreement_reviews(by=TEST_ACTOR)
    return len(queries.captured_queries)


@pytest.mark.parametrize("due", [1, 30])
def test_queries_do_not_grow_with_the_reminders_due(django_capture_on_commit_callbacks, due):
    lead = make_staff(StaffGroup.PARTNERSHIPS)
    for n in range(due):
        agreement(TODAY + timedelta(days=1 + n % 29), lead=lead)
    agreement(TODAY + timedelta(days=60), lead=lead)  # not due

    count = _queries(django_capture_on_commit_callbacks)

    assert PartnershipReminder.objects.count() == due
    assert count == 12


def test_a_lead_whose_information_was_erased_is_not_reminded(django_capture_on_commit_callbacks):
    lead = make_staff(StaffGroup.PARTNERSHIPS)
    Person.objects.filter(pk=lead.person_id).update(erased_at=NOW)
    agreement(TODAY + timedelta(days=20), lead=lead)

    assert run(django_capture_on_commit_callbacks) == 0
    assert (PartnershipReminder.objects.count(), Notification.objects.count()) == (0, 0)
