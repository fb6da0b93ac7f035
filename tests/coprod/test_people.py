"""People and logins: names, sign-up, one login each, involvement status, encryption at rest."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import connection

from coprod.enums import HoldReason, NotificationStatus, PersonStatus, Role, StaffGroup
from coprod.models import Notification, Person, RoleGrant, SafeContactPreferences, User
from coprod.selectors import people_for_selection
from coprod.services.notifications import deliver_notification, queue_notification
from coprod.services.people import (
    create_person,
    create_user_for_person,
    set_involvement_status,
    sign_up_researcher,
    update_profile,
)
from tests.factories import make_person, make_staff, make_user
from tests.factories.core import TEST_ACTOR, make_reachable_person


@pytest.mark.django_db
def test_create_person_gets_a_generated_name_and_safe_defaults():
    person = create_person()

    assert re.fullmatch(r"Member \d{4}", person.generated_name)
    assert person.display_name == person.generated_name == str(person)
    prefs = SafeContactPreferences.objects.get(person=person)
    assert (prefs.channels, prefs.message_detail, prefs.confirmed_at) == (
        ["email"],
        "neutral",
        None,
    )


@pytest.mark.django_db
def test_create_person_display_name_is_the_chosen_name():
    person = create_person(chosen_name="  Sam  ")

    assert person.display_name == "Sam"
    assert person.generated_name.startswith("Member ")


@pytest.mark.django_db
def test_sign_up_researcher_gives_a_new_login_the_researcher_role_only():
    user = User(email="new.researcher@example.org")

    sign_up_researcher(user)

    grant = RoleGrant.objects.get(person__user=user)
    assert (grant.role, grant.source, grant.granted_by) == ("researcher", "self_signup", None)
    assert Person.objects.get(user=user).current_roles == {"researcher"}


@pytest.mark.django_db
def test_create_user_for_person_saves_lowercase_primary_email():
    person = make_person()

    user = create_user_for_person(
        person, email="Sam@Example.ORG", password="a long password", email_verified=True
    )

    assert (user.email, user.person, user.is_staff) == ("sam@example.org", person, False)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("sam@example.org", True, True)


@pytest.mark.django_db
def test_create_user_for_person_refuses_a_second_login():
    user = make_user()

    with pytest.raises(ValidationError, match="already has an account"):
        create_user_for_person(
            user.person, email="other@example.org", password=None, email_verified=False
        )

    assert list(User.objects.filter(person=user.person)) == [user]
    assert not User.objects.filter(email="other@example.org").exists()


@pytest.mark.django_db
def test_create_user_for_person_refuses_an_email_in_use_in_any_case():
    make_user(email="sam@example.org")
    person = make_person()

    with pytest.raises(ValidationError, match="already has an account"):
        create_user_for_person(person, email="SAM@example.org", password=None, email_verified=False)

    assert person.login is None
    assert User.objects.filter(email__iexact="sam@example.org").count() == 1


@pytest.mark.django_db
def test_update_profile_refuses_fields_a_person_may_not_change():
    user = make_user(roles=[Role.PWLE])

    with pytest.raises(ValueError, match="Not profile fields"):
        update_profile(user.person, by=user, chosen_name="Sam", status=PersonStatus.WITHDRAWN)

    person = Person.objects.get(pk=user.person.pk)
    assert (person.chosen_name, person.status) == (user.person.chosen_name, "active")


@pytest.mark.django_db
@pytest.mark.parametrize("status", [PersonStatus.PAUSED, PersonStatus.WITHDRAWN])
def test_set_involvement_status_holds_new_messages_and_hides_from_selection(
    django_capture_on_commit_callbacks, mailoutbox, status
):
    person = make_reachable_person()

    set_involvement_status(person, status, by=TEST_ACTOR)
    with django_capture_on_commit_callbacks(execute=True):
        queue_notification(person, kind="test_message", key="k1", context={"detail": "a panel"})

    notification = Notification.objects.get(idempotency_key="k1")
    assert (notification.status, notification.hold_reason) == ("held", str(status))
    assert mailoutbox == []
    assert list(people_for_selection(Role.PWLE)) == []
    assert Person.objects.get(pk=person.pk).status_changed_at is not None


@pytest.mark.django_db
def test_set_involvement_status_pause_holds_a_message_queued_before(mailoutbox):
    person = make_reachable_person()
    notification = queue_notification(person, kind="test_message", key="k1")

    set_involvement_status(person, PersonStatus.PAUSED, by=TEST_ACTOR)
    result = deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert result == "held"
    assert (notification.status, notification.hold_reason) == ("held", HoldReason.PAUSED)
    assert mailoutbox == []


@pytest.mark.django_db
def test_set_involvement_status_resume_releases_held_messages(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person(email="sam@example.org")
    set_involvement_status(person, PersonStatus.PAUSED, by=TEST_ACTOR)
    held = queue_notification(person, kind="test_message", key="k1")
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)

    with django_capture_on_commit_callbacks(execute=True):
        set_involvement_status(person, PersonStatus.ACTIVE, by=staff)

    held.refresh_from_db()
    assert (held.status, held.hold_reason) == (NotificationStatus.SENT, "")
    assert [(m.to, m.subject) for m in mailoutbox] == [(["sam@example.org"], "A message for you")]
    assert list(people_for_selection(Role.PWLE)) == [person]


@pytest.mark.django_db
def test_restricted_person_fields_are_encrypted_at_rest():
    secrets = {
        "legal_name": "Alexandra Quill-Smith",
        "access_needs": "Needs step-free access and a quiet room",
        "contact_email": "alexandra.quill@example.org",
        "phone": "07700 900123",
        "postal_address": "14 Larkspur Road, Leeds",
    }
    person = create_person(chosen_name="Alex", **secrets)

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(secrets)} FROM coprod_person WHERE id = %s",  # noqa: S608
            [person.pk],
        )
        raw = cursor.fetchone()

    assert all(value not in str(raw) for value in secrets.values())
    assert all(raw), "every restricted column holds a value"
    reloaded = Person.objects.get(pk=person.pk)
    assert {field: getattr(reloaded, field) for field in secrets} == secrets


@pytest.mark.django_db
def test_set_involvement_status_pause_marks_queued_messages_held_at_once():
    person = make_reachable_person()
    notification = queue_notification(person, kind="test_message", key="k1")

    set_involvement_status(person, PersonStatus.PAUSED, by=TEST_ACTOR)

    notification.refresh_from_db()
    assert (notification.status, notification.hold_reason) == ("held", HoldReason.PAUSED)
    assert notification.attempts == 0


@pytest.mark.django_db
def test_user_created_through_the_manager_gets_a_person_with_safe_contact_defaults():
    user = User.objects.create_superuser("admin@example.org", "a long admin passphrase")

    prefs = SafeContactPreferences.objects.get(person=user.person)
    assert user.person.generated_name.startswith("Member ")
    assert prefs.channels == ["email"]


@pytest.mark.django_db
def test_create_person_draws_another_name_when_the_generated_one_was_just_taken(monkeypatch):
    first = create_person()
    names = iter([first.generated_name, "Member 5678"])
    monkeypatch.setattr("coprod.services.people.new_generated_name", lambda: next(names))

    second = create_person()

    assert second.generated_name == "Member 5678"
    assert Person.objects.filter(generated_name=first.generated_name).count() == 1
