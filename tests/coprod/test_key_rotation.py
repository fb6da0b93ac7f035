"""Rotating COPROD_FIELD_ENCRYPTION_KEY: the rotate_encryption_key command re-encrypts every
encrypted value with the first key, so that the old key can be removed."""

from __future__ import annotations

import io
import time

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from auditlog.models import LogEntry
from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.management import call_command
from django.db.models import TextField
from django.db.models.functions import Cast

from coprod.enums import StaffGroup
from coprod.fields import EncryptedJSONField, EncryptedTextField
from coprod.models import FormDraft, Notification, Person
from tests.factories.core import (
    InvitationFactory,
    NotificationFactory,
    make_person,
    make_staff,
    totp_code,
)

pytestmark = pytest.mark.django_db

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()


def rotate() -> str:
    out = io.StringIO()
    call_command("rotate_encryption_key", "--batch-size", "2", stdout=out)
    return out.getvalue()


def stored_tokens() -> list[str]:
    """Every encrypted value in the database as stored, found independently of the command."""
    tokens = []
    for model in apps.get_models():
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedTextField | EncryptedJSONField):
                raw = model._base_manager.annotate(raw=Cast(field.attname, TextField()))
                tokens += [token for token in raw.values_list("raw", flat=True) if token]
    for data in Authenticator.objects.values_list("data", flat=True):
        tokens += [data[key] for key in ("secret", "seed") if key in data]
    return tokens


@pytest.fixture
def data_under_key_a(settings):
    """A person with restricted fields, their notification and invitation, and a staff member's
    TOTP, recovery codes and form draft, all written while only key A existed."""
    settings.COPROD_FIELD_ENCRYPTION_KEY = KEY_A
    person = make_person(legal_name="Amina Okafor", phone="07700 900123")
    notification = NotificationFactory(person=person)
    InvitationFactory(person=person)
    staff = make_staff(StaffGroup.ENGAGEMENT)
    FormDraft.objects.create(user=staff, path="/portal/profile/", data={"phone": "07700 900123"})
    recovery_codes = RecoveryCodes.activate(staff).generate_codes()
    return person, notification, staff, recovery_codes


def test_rotation_leaves_every_value_readable_with_the_new_key_alone(settings, data_under_key_a):
    person, notification, staff, recovery_codes = data_under_key_a
    settings.COPROD_FIELD_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"

    rotate()
    settings.COPROD_FIELD_ENCRYPTION_KEY = KEY_B

    reread = Person.objects.get(pk=person.pk)
    assert (reread.legal_name, reread.phone) == ("Amina Okafor", "07700 900123")
    assert Notification.objects.get(pk=notification.pk).content == notification.content
    totp = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    with time_machine.travel(time.time(), tick=False):
        assert TOTP(totp).validate_code(totp_code()) is True
    codes = Authenticator.objects.get(user=staff, type=Authenticator.Type.RECOVERY_CODES)
    assert RecoveryCodes(codes).validate_code(recovery_codes[0]) is True


def test_rotation_leaves_no_value_that_needs_the_old_key(settings, data_under_key_a):
    settings.COPROD_FIELD_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    before = stored_tokens()

    rotate()

    after = stored_tokens()
    new_key = Fernet(KEY_B)
    assert len(after) == len(before) >= 7
    assert [new_key.decrypt(token.encode()) for token in after] == [
        Fernet(KEY_A).decrypt(token.encode()) for token in before
    ]
    with pytest.raises(InvalidToken):
        Fernet(KEY_A).decrypt(after[0].encode())


def test_rotation_again_changes_nothing_and_says_so(settings, data_under_key_a):
    settings.COPROD_FIELD_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    first = rotate()
    tokens = stored_tokens()

    second = rotate()

    assert stored_tokens() == tokens
    assert "coprod.Person.legal_name: 1 re-encrypted, 0 already under the first key" in first
    assert "coprod.Person.legal_name: 0 re-encrypted, 1 already under the first key" in second
    assert (
        first.splitlines()[-1]
        == "mfa.Authenticator.data: 2 re-encrypted, 0 already under the first key"
    )
    assert (
        second.splitlines()[-1]
        == "mfa.Authenticator.data: 0 re-encrypted, 2 already under the first key"
    )


def test_rotation_writes_no_audit_entries(settings, data_under_key_a):
    settings.COPROD_FIELD_ENCRYPTION_KEY = f"{KEY_B},{KEY_A}"
    entries = LogEntry.objects.count()

    rotate()

    assert LogEntry.objects.count() == entries
