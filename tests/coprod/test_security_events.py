"""Sign-in security events (coprod.security_events): one line each, by user id, never an address."""

from __future__ import annotations

import logging
import time

import pytest
import time_machine

from coprod.enums import Role, StaffGroup
from tests.factories.core import TEST_PASSWORD, make_staff, make_user, sign_in, totp_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_log(caplog):
    """The security lines logged from here on (the text of every record is checked for '@')."""
    caplog.set_level(logging.INFO, logger="coprod.security")
    caplog.clear()

    def lines() -> list[str]:
        assert "@" not in caplog.text
        return [r.getMessage() for r in caplog.records if r.name == "coprod.security"]

    return lines


def test_sign_in_logs_one_success_with_the_user_id(client, security_log):
    user = make_user(roles=[Role.PWLE])

    sign_in(client, user.email)

    assert security_log() == [f"security event=login outcome=success user={user.pk}"]


def test_wrong_password_logs_one_failure_with_the_user_id(client, security_log, caplog):
    user = make_user(roles=[Role.PWLE])

    sign_in(client, user.email, "not the right password")

    assert security_log() == [f"security event=login outcome=failed user={user.pk}"]
    assert [r.levelname for r in caplog.records if r.name == "coprod.security"] == ["WARNING"]


def test_unknown_address_logs_one_failure_without_a_user(client, security_log):
    sign_in(client, "nobody@example.org", "not the right password")

    assert security_log() == ["security event=login outcome=failed user=-"]


def test_sixth_attempt_on_an_account_logs_a_lockout(client, security_log):
    user = make_user(roles=[Role.PWLE])
    for _ in range(5):
        sign_in(client, user.email, "not the right password")

    sign_in(client, user.email, TEST_PASSWORD)

    assert security_log() == [f"security event=login outcome=failed user={user.pk}"] * 5 + [
        f"security event=login outcome=locked user={user.pk}"
    ]


def test_wrong_mfa_code_logs_one_mfa_failure(client, security_log):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    sign_in(client, staff.email)

    client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    assert security_log() == [f"security event=mfa outcome=failed user={staff.pk}"]


def test_mfa_code_after_five_wrong_ones_logs_a_lockout(client, security_log):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    sign_in(client, staff.email)
    for _ in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    with time_machine.travel(time.time(), tick=False):
        response = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert security_log() == [f"security event=mfa outcome=failed user={staff.pk}"] * 5 + [
        f"security event=mfa outcome=locked user={staff.pk}"
    ]
    assert response.status_code == 200
    assert client.get("/portal/")["Location"] == "/accounts/login/?next=/portal/"


def test_sign_in_with_password_and_mfa_code_logs_one_success(client, security_log):
    staff = make_staff(StaffGroup.ENGAGEMENT)

    sign_in(client, staff.email)
    with time_machine.travel(time.time(), tick=False):
        client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert security_log() == [f"security event=login outcome=success user={staff.pk}"]


def test_wrong_password_when_reauthenticating_logs_a_reauthentication_failure(client, security_log):
    user = make_user(roles=[Role.PWLE])
    client.force_login(user)
    signed_in = security_log()

    client.post("/accounts/reauthenticate/", {"password": "not the right password"})

    assert security_log() == [
        *signed_in,
        f"security event=reauthenticate outcome=failed user={user.pk}",
    ]


def test_rate_limited_request_logs_a_lockout_and_explains_in_plain_words(client, security_log):
    make_user(roles=[Role.PWLE], email="robin@example.org")
    for _ in range(5):
        client.post("/accounts/password/reset/", {"email": "robin@example.org"})

    response = client.post("/accounts/password/reset/", {"email": "robin@example.org"})

    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    # The five allowed requests log nothing; the refused one logs one lockout.
    assert security_log() == [
        "security event=rate_limit outcome=locked user=- view=account_reset_password"
    ]
