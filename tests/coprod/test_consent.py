"""Consent: it counts only for the current text, once per purpose, and withdrawing is immediate."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coprod.enums import ConsentPurpose, HoldReason, NotificationStatus, Role, StaffGroup
from coprod.models import ConsentRecord
from coprod.selectors import consent_states_for_person, current_consent_text, has_consent
from coprod.services.consent import give_consent, publish_consent_text, withdraw_consent
from coprod.services.notifications import (
    deliver_notification,
    queue_account_email,
    queue_notification,
)
from tests.factories import ConsentTextFactory, make_person, make_staff, make_user
from tests.factories.core import TEST_ACTOR, make_reachable_person


@pytest.mark.django_db
def test_give_consent_counts_for_the_current_text():
    user = make_user(roles=[Role.PWLE])

    record = give_consent(user.person, ConsentPurpose.TAKING_PART, by=user)

    assert record.text == current_consent_text(ConsentPurpose.TAKING_PART)
    assert (record.recorded_by, record.is_active) == (user, True)
    assert has_consent(user.person, ConsentPurpose.TAKING_PART)
    assert not has_consent(user.person, ConsentPurpose.NAMED_OR_QUOTED)


@pytest.mark.django_db
def test_give_consent_twice_keeps_one_record():
    user = make_user(roles=[Role.PWLE])
    first = give_consent(user.person, ConsentPurpose.CONTACT, by=user)

    second = give_consent(user.person, ConsentPurpose.CONTACT, by=user)

    assert second == first
    assert ConsentRecord.objects.filter(person=user.person).count() == 1


@pytest.mark.django_db
def test_publish_new_text_makes_earlier_consent_outdated():
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    person = make_person(consents=[ConsentPurpose.CONTACT])

    text = publish_consent_text(ConsentPurpose.CONTACT, title="Contact", body="v2", by=staff)

    assert text.version == 2
    assert not has_consent(person, ConsentPurpose.CONTACT)
    contact = next(s for s in consent_states_for_person(person) if s.purpose == "contact")
    assert (contact.text, contact.outdated, contact.is_given) == (text, True, False)
    assert contact.given.text.version == 1


@pytest.mark.django_db
def test_give_consent_again_after_new_text_replaces_the_old_record():
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    person = make_person(consents=[ConsentPurpose.CONTACT])
    text = publish_consent_text(ConsentPurpose.CONTACT, title="Contact", body="v2", by=staff)

    give_consent(person, ConsentPurpose.CONTACT, by=TEST_ACTOR)

    assert has_consent(person, ConsentPurpose.CONTACT)
    records = ConsentRecord.objects.filter(person=person).order_by("given_at", "pk")
    assert [(r.text.version, r.is_active) for r in records] == [(1, False), (2, True)]
    assert ConsentRecord.objects.get(person=person, withdrawn_at__isnull=True).text == text


@pytest.mark.django_db
def test_text_published_in_the_future_is_not_current_yet():
    person = make_person(consents=[ConsentPurpose.CONTACT])

    ConsentTextFactory(
        purpose=ConsentPurpose.CONTACT, version=2, published_at=timezone.now() + timedelta(days=1)
    )

    assert current_consent_text(ConsentPurpose.CONTACT).version == 1
    assert has_consent(person, ConsentPurpose.CONTACT)


@pytest.mark.django_db
def test_consent_states_for_person_takes_two_queries(django_assert_num_queries):
    person = make_person(consents=[ConsentPurpose.CONTACT, ConsentPurpose.TAKING_PART])

    with django_assert_num_queries(2):
        states = consent_states_for_person(person)

    assert [(s.purpose, s.is_given) for s in states] == [
        ("contact", True),
        ("taking_part", True),
        ("named_or_quoted", False),
    ]


@pytest.mark.django_db
def test_withdraw_consent_holds_a_queued_message_at_delivery(mailoutbox):
    person = make_reachable_person()
    notification = queue_notification(person, kind="test_message", key="k1")

    changed = withdraw_consent(person, ConsentPurpose.CONTACT, by=TEST_ACTOR)
    result = deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert (changed, result) == (1, NotificationStatus.HELD)
    assert notification.hold_reason == HoldReason.NO_CONTACT_CONSENT
    assert mailoutbox == []
    assert not has_consent(person, ConsentPurpose.CONTACT)


@pytest.mark.django_db
def test_give_contact_consent_releases_held_messages(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = make_reachable_person(email="sam@example.org")
    withdraw_consent(person, ConsentPurpose.CONTACT, by=TEST_ACTOR)
    held = queue_notification(person, kind="test_message", key="k1")

    with django_capture_on_commit_callbacks(execute=True):
        give_consent(person, ConsentPurpose.CONTACT, by=TEST_ACTOR)

    held.refresh_from_db()
    assert held.status == NotificationStatus.SENT
    assert [(m.to, m.subject) for m in mailoutbox] == [(["sam@example.org"], "A message for you")]


@pytest.mark.django_db
def test_database_allows_one_active_consent_per_purpose():
    person = make_person(consents=[ConsentPurpose.CONTACT])
    text = current_consent_text(ConsentPurpose.CONTACT)
    ConsentRecord.objects.create(
        person=person, text=text, purpose="contact", withdrawn_at=timezone.now()
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentRecord.objects.create(person=person, text=text, purpose="contact")

    assert ConsentRecord.objects.filter(person=person, withdrawn_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_withdraw_contact_consent_holds_queued_messages_at_once_but_not_account_emails():
    user = make_user(email="sam@example.org", consents=[ConsentPurpose.CONTACT])
    general = queue_notification(user.person, kind="test_message", key="k1")
    reset = queue_account_email(
        email="sam@example.org", kind="password_reset_key", subject="Reset", body="Link: x"
    )
    someone_else = make_reachable_person(email="other@example.org")
    untouched = queue_notification(someone_else, kind="test_message", key="k2")

    withdraw_consent(user.person, ConsentPurpose.CONTACT, by=TEST_ACTOR)

    general.refresh_from_db()
    reset.refresh_from_db()
    untouched.refresh_from_db()
    assert (general.status, general.hold_reason) == ("held", HoldReason.NO_CONTACT_CONSENT)
    assert (reset.person, reset.status, reset.hold_reason) == (user.person, "queued", "")
    assert untouched.status == NotificationStatus.QUEUED


@pytest.mark.django_db
def test_withdraw_other_consent_leaves_queued_messages_alone():
    person = make_reachable_person()
    give_consent(person, ConsentPurpose.TAKING_PART, by=TEST_ACTOR)
    notification = queue_notification(person, kind="test_message", key="k1")

    withdraw_consent(person, ConsentPurpose.TAKING_PART, by=TEST_ACTOR)

    notification.refresh_from_db()
    assert notification.status == NotificationStatus.QUEUED
