"""Safe-contact preferences: confirming them, and what happens when they are not re-confirmed."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.forms import modelform_factory

from coprod.enums import HoldReason, NotificationStatus, PersonStatus, Role, StaffGroup
from coprod.models import Person, RoleGrant, SafeContactPreferences, london_today
from coprod.services.contact import update_safe_contact
from coprod.services.notifications import queue_notification
from coprod.services.roles import end_role
from tests.factories import RoleGrantFactory, make_person, make_staff, make_user
from tests.factories.core import TEST_ACTOR, backdate_consent_texts, make_reachable_person


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


SUPPORT_WORKER_REFUSED = (
    "Choose a practitioner: a support worker must be taking part and hold a current "
    "practitioner role."
)


def _paused_practitioner():
    person = make_person(roles=[Role.PRACTITIONER])
    Person.objects.filter(pk=person.pk).update(status=PersonStatus.PAUSED)
    return Person.objects.get(pk=person.pk)


def _practitioner_between(starts_in_days, ends_in_days):
    person = make_person()
    today = london_today()
    RoleGrantFactory(
        person=person,
        role=Role.PRACTITIONER,
        starts_on=today + timedelta(days=starts_in_days),
        ends_on=None if ends_in_days is None else today + timedelta(days=ends_in_days),
    )
    return person


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make_worker",
    [
        lambda: make_person(roles=[Role.PWLE]),
        lambda: make_person(roles=[Role.PWLE, Role.LEE]),
        lambda: _practitioner_between(-365, -1),
        lambda: _practitioner_between(1, None),
        lambda: make_person(roles=[Role.RESEARCHER]),
        _paused_practitioner,
    ],
    ids=[
        "survivor",
        "lived-experience-expert",
        "former-practitioner",
        "not-yet",
        "researcher",
        "paused-practitioner",
    ],
)
def test_update_safe_contact_refuses_a_support_worker_who_is_not_a_practitioner_now(make_worker):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    person = make_reachable_person()
    worker = make_worker()

    with pytest.raises(ValidationError) as refused:
        update_safe_contact(
            person, by=staff, confirm=False, channels=["support_worker"], support_worker=worker
        )

    assert refused.value.message_dict == {"support_worker": [SUPPORT_WORKER_REFUSED]}
    prefs = SafeContactPreferences.objects.get(person=person)
    assert (prefs.channels, prefs.support_worker) == (["email"], None)


@pytest.mark.django_db
def test_update_safe_contact_accepts_a_current_practitioner_as_support_worker():
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    person = make_reachable_person()
    worker = make_person(roles=[Role.PRACTITIONER])

    update_safe_contact(person, by=staff, confirm=False, support_worker=worker)

    assert SafeContactPreferences.objects.get(person=person).support_worker == worker


@pytest.mark.django_db
def test_preferences_form_shows_why_a_support_worker_is_refused_on_the_field():
    # What the admin's inline form (a ModelForm on these preferences) shows.
    prefs = SafeContactPreferences.objects.get(person=make_reachable_person())
    form_class = modelform_factory(SafeContactPreferences, fields=["support_worker"])

    form = form_class(data={"support_worker": make_person(roles=[Role.PWLE]).pk}, instance=prefs)

    assert form.errors == {"support_worker": [SUPPORT_WORKER_REFUSED]}
    assert SafeContactPreferences.objects.get(pk=prefs.pk).support_worker is None


@pytest.mark.django_db
def test_person_can_change_their_preferences_after_their_support_worker_stops_practising(
    time_machine,
):
    time_machine.move_to(datetime(2026, 6, 15, 9, tzinfo=UTC), tick=False)
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    user = make_user()
    worker = make_person(roles=[Role.PRACTITIONER])
    update_safe_contact(user.person, by=staff, confirm=False, support_worker=worker)
    end_role(RoleGrant.objects.get(person=worker), by=staff)
    time_machine.move_to(datetime(2026, 6, 16, 9, tzinfo=UTC), tick=False)

    prefs = update_safe_contact(user.person, by=user, confirm=True, message_detail="full")

    prefs = SafeContactPreferences.objects.get(pk=prefs.pk)
    assert (prefs.message_detail, prefs.support_worker) == ("full", worker)


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
    update_safe_contact(person, by=TEST_ACTOR, confirm=True)
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
    update_safe_contact(person, by=TEST_ACTOR, confirm=True)
    time_machine.move_to(datetime(2026, 8, 1, 12, tzinfo=UTC), tick=False)
    held = queue_notification(person, kind="test_message", key="k1")

    with django_capture_on_commit_callbacks(execute=True):
        prefs = update_safe_contact(person, by=TEST_ACTOR, confirm=True)

    held.refresh_from_db()
    assert (held.status, held.hold_reason) == (NotificationStatus.SENT, "")
    assert prefs.reconfirm_by == date(2027, 1, 30)
    assert [(m.to, m.subject) for m in mailoutbox] == [(["sam@example.org"], "A message for you")]


def test_portal_contact_form_gives_the_service_exactly_the_fields_a_person_may_change():
    from coprod.forms import SafeContactForm
    from coprod.services.contact import EDITABLE_FIELDS

    prefs = SafeContactPreferences(channels=["email"])
    form = SafeContactForm(
        {
            "channels": ["email"],
            "voicemail_ok": "no",
            "message_detail": "neutral",
            "person_initiates_only": "no",
        },
        prefs=prefs,
    )

    assert form.is_valid(), form.errors
    assert sorted(form.changes()) == sorted(EDITABLE_FIELDS)
