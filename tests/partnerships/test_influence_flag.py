"""Old open "you said, we did" items are flagged to the partnership's lead: one staff message per
item, once (run twice, or killed half way and run again), in a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coprod.enums import NotificationCategory
from coprod.models import Notification
from partnerships.contributions import DOORS
from partnerships.enums import PartnershipReminderKind
from partnerships.enums import YouSaidStatus as Status
from partnerships.models import PartnershipReminder, YouSaidItem
from partnerships.selectors.you_said import you_said_due_for_flag
from partnerships.services import you_said
from partnerships.services.you_said import flag_old_you_said
from partnerships.tasks import flag_old_you_said as flag_task
from tests.factories.core import TEST_ACTOR
from tests.factories.partnerships import (
    PartnershipFactory,
    YouSaidItemFactory,
    make_partnerships_staff,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def _frozen(db, time_machine, settings):
    time_machine.move_to(NOW, tick=False)
    settings.COPROD_YOU_SAID_FLAG_AFTER_DAYS = 30


def item(partnership=None, *, days_ago=31, **fields):  # type: ignore[no-untyped-def]
    partnership = partnership or PartnershipFactory()
    return YouSaidItemFactory(
        partnership=partnership, said_on=TODAY - timedelta(days=days_ago), **fields
    )


def run(capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        return flag_old_you_said(by=TEST_ACTOR)


def test_the_lead_is_told_of_each_item_open_too_long_and_no_other(
    django_capture_on_commit_callbacks, mailoutbox
):
    partnership = PartnershipFactory(lead=make_partnerships_staff(email="lead@example.org"))
    old = item(partnership, said="Papers come too late.")
    item(partnership, days_ago=29)
    item(partnership, days_ago=90, status=Status.ACTED_ON)

    count = run(django_capture_on_commit_callbacks)

    assert count == 1
    message = Notification.objects.get()
    assert (message.person, message.category, message.kind) == (
        partnership.lead.person,
        NotificationCategory.STAFF,
        "partnerships_you_said_overdue",
    )
    assert f"/staff/partnerships/you-said/{partnership.pk}/" in message.content["neutral"]["body"]
    assert "Papers come too late." not in str(message.content)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["lead@example.org"], "An item waits for a response")
    ]
    assert list(PartnershipReminder.objects.values_list("kind", "object_id", "notification")) == [
        (PartnershipReminderKind.YOU_SAID_OVERDUE, old.pk, message.pk)
    ]


def test_run_twice_tells_the_lead_once(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    item()

    first = run(django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    second = run(django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert (PartnershipReminder.objects.count(), Notification.objects.count()) == (1, 1)
    assert len(mailoutbox) == 1


def test_killed_half_way_leaves_nothing_and_the_next_run_sends_each_once(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    for _ in range(3):
        item()

    def killed(batch):  # type: ignore[no-untyped-def]
        raise SystemExit("worker killed after the rows and messages were inserted")

    with monkeypatch.context() as patched:
        patched.setattr(you_said, "_link_messages", killed)
        with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
            flag_old_you_said(by=TEST_ACTOR)
    assert (PartnershipReminder.objects.count(), Notification.objects.count(), mailoutbox) == (
        0,
        0,
        [],
    )

    count = run(django_capture_on_commit_callbacks)
    again = run(django_capture_on_commit_callbacks)

    assert (count, again) == (3, 0)
    assert len(mailoutbox) == 3
    assert PartnershipReminder.objects.filter(notification__isnull=False).count() == 3


def queries_for(due: int) -> int:
    for _ in range(due):
        item()
    with CaptureQueriesContext(connection) as context:
        assert flag_old_you_said(by=TEST_ACTOR) == due
    return len(context.captured_queries)


def test_the_sweep_makes_as_many_queries_for_thirty_items_as_for_one():
    with_one = queries_for(1)
    with_thirty = queries_for(30)

    assert with_one == with_thirty == 11


def test_the_daily_sweep_is_declared_and_its_task_runs_it(django_capture_on_commit_callbacks):
    item()

    with django_capture_on_commit_callbacks(execute=True):
        result = flag_task.apply().get()

    assert result == 1
    assert [
        (task.task, task.crontab.hour) for task in DOORS.periodic_tasks if "you_said" in task.task
    ] == [("coprod.partnerships.flag_old_you_said", "8")]


def test_a_sweep_that_read_what_was_due_before_another_sent_it_sends_nothing_more(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    # Two sweeps at once: the second read the due items before the first saved its rows.
    item()
    read_early = list(you_said_due_for_flag(today=TODAY))

    first = run(django_capture_on_commit_callbacks)
    monkeypatch.setattr(you_said, "you_said_due_for_flag", lambda *, today: read_early)
    second = run(django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert (PartnershipReminder.objects.count(), Notification.objects.count()) == (1, 1)
    assert len(mailoutbox) == 1


def test_an_item_closed_after_the_sweep_read_it_is_not_flagged(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    old = item()
    read_early = list(you_said_due_for_flag(today=TODAY))
    YouSaidItem.objects.filter(pk=old.pk).update(
        status=Status.ACTED_ON, response="Done.", what_changed="All of it."
    )

    monkeypatch.setattr(you_said, "you_said_due_for_flag", lambda *, today: read_early)
    count = run(django_capture_on_commit_callbacks)

    assert (count, Notification.objects.count(), mailoutbox) == (0, 0, [])
