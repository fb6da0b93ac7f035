"""Safe-contact preferences: confirming them, and what happens when they are not re-confirmed."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from coprod.enums import HoldReason, NotificationStatus
from coprod.models import SafeContactPreferences
from coprod.services.contact import update_safe_contact
from coprod.services.notifications import queue_notification
from tests.factories import make_user
from tests.factories.core import backdate_consent_texts, make_reachable_person


@pytest.fixture(autouse=True)
def _consent_texts_published_long_ago(db):
    backdate_consent_texts()


@pytest.mark.django_db
def test_update_safe_contact_confirm_sets_reconfirm_date(time_machine):
    now = datetime(2026, 1, 10, 9, 30, tzinfo=UTC)
    time_machine.move_to(now, tick=False)
    user = make_user()

    prefs = update_safe_contact(
        user.person, by=user, confirm=True, channels=["email", "sms"], safety_notes="Not Fridays"
    )

    prefs = SafeContactPreferences.objects.get(pk=prefs.pk)
    assert (prefs.confirmed_at, prefs.reconfirm_by) == (now, date(2026, 7, 11))
    assert (prefs.channels, prefs.safety_notes) == (["email", "sms"], "Not Fridays")


@pytest.mark.django_db
def test_update_safe_contact_without_confirm_keeps_dates():
    user = make_user()

    prefs = update_safe_contact(user.person, by=user, confirm=False, message_detail="full")

    assert (prefs.message_detail, prefs.confirmed_at, prefs.reconfirm_by) == ("full", None, None)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"confirmed_at": None}, ValueError),
        ({"message_detail": "everything"}, ValidationError),
    ],
    ids=["not-editable", "bad-choice"],
)
def test_update_safe_contact_refuses_bad_changes(changes, error):
    user = make_user()

    with pytest.raises(error):
        update_safe_contact(user.person, by=user, confirm=False, **changes)

    prefs = SafeContactPreferences.objects.get(person=user.person)
    assert (prefs.message_detail, prefs.reconfirm_by) == ("neutral", None)


@pytest.mark.django_db
def test_safety_notes_are_encrypted_at_rest():
    user = make_user()
    prefs = update_safe_contact(
        user.person, by=user, confirm=False, safety_notes="Partner reads my post"
    )

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT safety_notes FROM coprod_safecontactpreferences WHERE person_id = %s",
            [prefs.person_id],
        )
        (raw,) = cursor.fetchone()

    assert "Partner" not in raw
    assert SafeContactPreferences.objects.get(pk=prefs.pk).safety_notes == "Partner reads my post"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "status", "reason"),
    [
        (datetime(2026, 7, 11, 12, tzinfo=UTC), NotificationStatus.SENT, ""),
        (datetime(2026, 7, 12, 12, tzinfo=UTC), NotificationStatus.HELD, HoldReason.RECONFIRM_DUE),
    ],
    ids=["on-reconfirm-day", "day-after"],
)
def test_general_message_is_held_past_the_reconfirm_date(
    django_capture_on_commit_callbacks, mailoutbox, time_machine, moment, status, reason
):
    time_machine.move_to(datetime(2026, 1, 10, 12, tzinfo=UTC), tick=False)
    person = make_reachable_person()
    update_safe_contact(person, by=None, confirm=True)
    time_machine.move_to(moment, tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        notification = queue_notification(person, kind="test_message", key="k1")

    notification.refresh_from_db()
    assert (notification.status, notification.hold_reason) == (status, reason)
    assert len(mailoutbox) == (1 if status == NotificationStatus.SENT else 0)


@pytest.mark.django_db
def test_confirming_again_releases_messages_held_for_reconfirmation(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    time_machine.move_to(datetime(2026, 1, 10, 12, tzinfo=UTC), tick=False)
    person = make_reachable_person(email="sam@example.org")
    update_safe_contact(person, by=None, confirm=True)
    time_machine.move_to(datetime(2026, 8, 1, 12, tzinfo=UTC), tick=False)
    held = queue_notification(person, kind="test_message", key="k1")

    with django_capture_on_commit_callbacks(execute=True):
        prefs = update_safe_contact(person, by=None, confirm=True)

    held.refresh_from_db()
    assert (held.status, held.hold_reason) == (NotificationStatus.SENT, "")
    assert prefs.reconfirm_by == date(2027, 1, 30)
    assert [(m.to, m.subject) for m in mailoutbox] == [(["sam@example.org"], "A message for you")]
