"""Two-factor authentication: staff must set up TOTP; secrets are encrypted; nobody removes their
last authenticator; changing sign-in details needs a fresh password."""

from __future__ import annotations

import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.test import Client

from coprod import crypto
from coprod.adapters import MFAAdapter
from coprod.enums import Role, StaffGroup
from coprod.models import User
from tests.factories.core import (
    TEST_PASSWORD,
    TOTP_SECRET,
    make_staff,
    make_user,
    sign_in,
    totp_code,
)

pytestmark = pytest.mark.django_db

TOTP_SETUP = "/accounts/2fa/totp/activate/"


def reauthenticate(client):
    return client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})


@pytest.mark.parametrize(
    ("path", "next_param"),
    [
        ("/admin/", "%2Fadmin%2F"),
        ("/staff/", "%2Fstaff%2F"),
        ("/portal/", "%2Fportal%2F"),
        ("/", "%2F"),
    ],
    ids=["admin", "staff", "portal", "home"],
)
def test_staff_without_totp_is_sent_to_set_up_and_back(client, path, next_param):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT, mfa=False))

    response = client.get(path)

    assert (response.status_code, response["Location"]) == (302, f"{TOTP_SETUP}?next={next_param}")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/accounts/logout/", 200),
        ("/accounts/reauthenticate/", 200),
        ("/accounts/confirm-email/", 200),
        ("/healthz/", 200),
        ("/static/admin/css/base.css", 200),
    ],
    ids=["sign-out", "reauthenticate", "email-verification", "healthz", "static"],
)
def test_staff_without_totp_can_reach_pages_needed_to_set_it_up(settings, path, status):
    settings.WHITENOISE_USE_FINDERS = True  # serve static files without collectstatic
    client = Client()
    client.force_login(make_staff(StaffGroup.ENGAGEMENT, mfa=False))

    response = client.get(path)
    response.close()  # static files are streamed from an open file

    assert response.status_code == status


def test_staff_without_totp_reaches_totp_set_up_after_reauthenticating(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT, mfa=False))
    reauthenticate(client)

    response = client.get(TOTP_SETUP)

    assert response.status_code == 200
    assert client.session[SECRET_SESSION_KEY] in response.content.decode()


def test_totp_secret_is_stored_encrypted():
    staff = make_staff(StaffGroup.ENGAGEMENT)

    stored = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP).data["secret"]

    assert stored != TOTP_SECRET
    assert TOTP_SECRET not in stored
    assert crypto.decrypt(stored) == TOTP_SECRET


def test_totp_activation_through_the_view_lets_staff_in(client):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    client.force_login(staff)
    reauthenticate(client)
    client.get(TOTP_SETUP)
    secret = client.session[SECRET_SESSION_KEY]

    with time_machine.travel(time.time(), tick=False):
        response = client.post(TOTP_SETUP, {"code": totp_code(secret)})

    totp = Authenticator.objects.get(user=staff, type=Authenticator.Type.TOTP)
    assert (response.status_code, response["Location"]) == (302, "/accounts/2fa/recovery-codes/")
    assert totp.data["secret"] != secret
    assert crypto.decrypt(totp.data["secret"]) == secret
    assert client.get("/admin/").status_code == 200


def test_totp_activation_with_a_wrong_code_activates_nothing(client):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    client.force_login(staff)
    reauthenticate(client)
    client.get(TOTP_SETUP)

    response = client.post(TOTP_SETUP, {"code": "000000"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert Authenticator.objects.filter(user=staff).exists() is False


def test_last_totp_cannot_be_deleted_but_recovery_codes_and_a_spare_can():
    staff = make_staff(StaffGroup.ENGAGEMENT)
    totp = Authenticator.objects.get(user=staff)
    recovery = Authenticator.objects.create(
        user=staff, type=Authenticator.Type.RECOVERY_CODES, data={}
    )
    adapter = MFAAdapter()

    alone = adapter.can_delete_authenticator(totp)
    Authenticator.objects.create(user=staff, type=Authenticator.Type.WEBAUTHN, data={})
    with_spare = adapter.can_delete_authenticator(totp)

    assert (alone, with_spare) == (False, True)
    assert adapter.can_delete_authenticator(recovery) is True


def test_last_totp_cannot_be_deactivated_through_the_view(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)
    reauthenticate(client)

    response = client.post("/accounts/2fa/totp/deactivate/")

    assert response.status_code == 200
    assert "You cannot deactivate two-factor authentication." in response.content.decode()
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).count() == 1


def test_adding_an_email_address_needs_reauthentication(client):
    user = make_user(roles=[Role.PWLE])
    client.force_login(user)

    response = client.post("/accounts/email/", {"action_add": "", "email": "another@example.org"})

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/reauthenticate/?next=%2Faccounts%2Femail%2F",
    )
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        user.email
    ]


def test_participant_who_just_signed_in_must_reauthenticate_to_add_an_email(client):
    user = make_user(roles=[Role.PWLE])
    sign_in(client, user.email)

    response = client.post("/accounts/email/", {"action_add": "", "email": "another@example.org"})

    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/reauthenticate/?next=%2Faccounts%2Femail%2F",
    )
    assert list(EmailAddress.objects.filter(user=user).values_list("email", flat=True)) == [
        user.email
    ]


def test_staff_who_just_signed_in_with_totp_must_reauthenticate_for_recovery_codes(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    sign_in(client, staff.email)
    with time_machine.travel(time.time(), tick=False):
        client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    response = client.get("/accounts/2fa/recovery-codes/generate/")

    assert client.get("/admin/").status_code == 200  # fully signed in
    assert (response.status_code, response["Location"]) == (
        302,
        "/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Frecovery-codes%2Fgenerate%2F",
    )
    assert (
        Authenticator.objects.filter(user=staff, type=Authenticator.Type.RECOVERY_CODES).exists()
        is False
    )


def test_changing_password_needs_the_current_password(client):
    user = make_user(roles=[Role.PWLE])
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {
            "oldpassword": "not my password",
            "password1": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )

    assert response.status_code == 200
    assert "Please type your current password." in response.content.decode()
    assert User.objects.get(pk=user.pk).check_password(TEST_PASSWORD) is True
