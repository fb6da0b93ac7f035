"""Signing in, signing up, password reset: allauth as configured for coprod."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.test.signals import template_rendered

from coprod import crypto
from coprod.enums import (
    NotificationCategory,
    NotificationStatus,
    Role,
    RoleGrantSource,
    StaffGroup,
)
from coprod.models import Notification, RoleGrant, User
from tests.factories.core import TEST_PASSWORD, make_staff, make_user, sign_in, totp_code

pytestmark = pytest.mark.django_db

PASSPHRASE = "walnut harbour lantern"
TOO_MANY_ATTEMPTS = "Too many failed login attempts. Try again later."


def sign_up(client, django_capture_on_commit_callbacks, email, password=PASSPHRASE):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/accounts/signup/", {"email": email, "password1": password})


def test_sign_in_participant_with_password_reaches_portal(client):
    user = make_user(roles=[Role.PWLE])

    response = sign_in(client, user.email)

    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/")["Location"] == "/portal/"
    portal = client.get("/portal/")
    assert portal.status_code == 200
    assert f"Hello, {user.person.display_name}" in portal.content.decode()


def test_sign_in_staff_asks_for_mfa_code_then_reaches_admin(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)

    password_step = sign_in(client, staff.email)
    code_page = client.get(password_step["Location"])
    with time_machine.travel(time.time(), tick=False):
        code_step = client.post("/accounts/2fa/authenticate/", {"code": totp_code()})

    assert password_step["Location"] == "/accounts/2fa/authenticate/"
    assert 'name="code"' in code_page.content.decode()
    assert (code_step.status_code, code_step["Location"]) == (302, "/")
    assert client.get("/")["Location"] == "/admin/"
    admin = client.get("/admin/")
    assert admin.status_code == 200
    assert "coprod administration" in admin.content.decode()


def test_sign_in_staff_with_wrong_mfa_code_is_refused(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    sign_in(client, staff.email)

    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})

    assert response.status_code == 200
    assert "Incorrect code." in response.content.decode()
    assert client.get("/admin/coprod/person/")["Location"].startswith("/accounts/login/")


def test_password_reset_same_answer_for_known_and_unknown_email(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    user = make_user(roles=[Role.PWLE])

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post("/accounts/password/reset/", {"email": user.email})
    with django_capture_on_commit_callbacks(execute=True):
        unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})

    assert (known.status_code, known["Location"]) == (302, "/accounts/password/reset/done/")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert [(m.to, m.subject) for m in mailoutbox] == [([user.email], "Reset your password")]
    assert Notification.objects.count() == 1


def test_sign_up_with_existing_email_gives_the_same_next_page_as_a_new_one(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    existing = make_user(roles=[Role.PWLE])

    new = sign_up(client, django_capture_on_commit_callbacks, "new.person@example.org")
    again = sign_up(type(client)(), django_capture_on_commit_callbacks, existing.email.upper())

    assert (new.status_code, new["Location"]) == (302, "/accounts/confirm-email/")
    assert (again.status_code, again["Location"]) == (new.status_code, new["Location"])
    assert User.objects.filter(email__iexact=existing.email).count() == 1
    assert [m.to for m in mailoutbox] == [["new.person@example.org"], [existing.email]]


class CountingHasher(MD5PasswordHasher):
    """Counts the passwords hashed: hashing is what makes a sign-up slow."""

    algorithm = "counting_md5"
    hashed = 0

    def encode(self, password, salt):
        type(self).hashed += 1
        return super().encode(password, salt)


def test_sign_up_hashes_the_password_whether_or_not_the_address_has_an_account(
    client, settings, django_capture_on_commit_callbacks
):
    settings.PASSWORD_HASHERS = ["tests.coprod.test_auth.CountingHasher"]
    existing = make_user(roles=[Role.PWLE])

    CountingHasher.hashed = 0
    sign_up(client, django_capture_on_commit_callbacks, "new.person@example.org")
    for_a_new_address = CountingHasher.hashed
    CountingHasher.hashed = 0
    sign_up(Client(), django_capture_on_commit_callbacks, existing.email)
    for_an_existing_address = CountingHasher.hashed

    assert (for_a_new_address, for_an_existing_address) == (1, 1)
    assert User.objects.filter(email=existing.email).get().check_password(TEST_PASSWORD) is True


@pytest.fixture
def reset_work(monkeypatch):
    """What one password-reset request does: templates rendered and values encrypted."""

    def run(client, email):
        rendered, encrypted = [], []
        encrypt = crypto.encrypt
        monkeypatch.setattr(crypto, "encrypt", lambda text: encrypted.append(text) or encrypt(text))
        on_render = lambda sender, template, **kwargs: rendered.append(template.name)  # noqa: E731
        template_rendered.connect(on_render)
        try:
            response = client.post("/accounts/password/reset/", {"email": email})
        finally:
            template_rendered.disconnect(on_render)
        emails = [rendered_name for rendered_name in rendered if "/email/" in rendered_name]
        return response, emails, len(encrypted)

    return run


def test_password_reset_does_the_same_work_for_known_and_unknown_addresses(
    client, mailoutbox, reset_work
):
    user = make_user(roles=[Role.PWLE])

    known, known_templates, known_encryptions = reset_work(client, user.email)
    unknown, unknown_templates, unknown_encryptions = reset_work(Client(), "nobody@example.org")

    assert known_templates == [
        "account/email/password_reset_key_subject.txt",
        "account/email/password_reset_key_message.txt",
        "account/email/base_message.txt",
    ]
    assert (unknown_templates, unknown_encryptions) == (known_templates, known_encryptions)
    assert known_encryptions >= 1
    assert unknown["Location"] == known["Location"]
    assert list(Notification.objects.values_list("person", flat=True)) == [user.person.pk]


def test_sign_up_cannot_reach_portal_before_verifying(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, "new.person@example.org")

    portal = client.get("/portal/")
    signed_in = sign_in(client, "new.person@example.org", PASSPHRASE)

    assert portal["Location"] == "/accounts/login/?next=/portal/"
    assert signed_in["Location"] == "/accounts/confirm-email/"
    assert client.get("/portal/")["Location"] == "/accounts/login/?next=/portal/"


def test_sign_up_then_confirm_email_then_sign_in_reaches_portal(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, "new.person@example.org")
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", mailoutbox[0].body)[1]

    confirmed = client.post(link)
    signed_in = sign_in(client, "new.person@example.org", PASSPHRASE)

    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.org").verified is True
    assert signed_in["Location"] == "/"
    assert client.get("/portal/").status_code == 200


def test_sign_up_creates_a_researcher_granted_by_nobody(client, django_capture_on_commit_callbacks):
    sign_up(client, django_capture_on_commit_callbacks, "new.person@example.org")

    user = User.objects.get(email="new.person@example.org")
    grants = list(RoleGrant.objects.filter(person=user.person).values_list("role", "source"))
    assert re.fullmatch(r"Member \d{4}", user.person.display_name)
    assert user.person.chosen_name == ""
    assert grants == [(Role.RESEARCHER, RoleGrantSource.SELF_SIGNUP)]
    assert RoleGrant.objects.get(person=user.person).granted_by is None
    assert user.is_staff is False


def test_sign_up_verification_email_goes_through_outbox_with_neutral_wording(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    sign_up(client, django_capture_on_commit_callbacks, "new.person@example.org")

    notification = Notification.objects.get()
    (message,) = mailoutbox
    body_without_link = re.sub(r"http://testserver/\S+", "", message.body)
    assert (notification.kind, notification.category, notification.status) == (
        "email_confirmation_signup",
        NotificationCategory.ACCOUNT,
        NotificationStatus.SENT,
    )
    assert notification.person == User.objects.get(email="new.person@example.org").person
    assert (message.to, message.subject) == (
        ["new.person@example.org"],
        "Confirm your email address",
    )
    assert "coprod" not in (message.subject + message.body).lower()
    assert "testserver" not in body_without_link


def test_password_shorter_than_12_characters_is_refused(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, "a@example.org", "short pass")

    assert response.status_code == 200
    assert "It must contain at least 12 characters." in response.content.decode()
    assert User.objects.filter(email="a@example.org").exists() is False


def test_common_password_is_refused(client, django_capture_on_commit_callbacks):
    response = sign_up(client, django_capture_on_commit_callbacks, "a@example.org", "ilovemyfamily")

    assert response.status_code == 200
    assert "This password is too common." in response.content.decode()
    assert User.objects.filter(email="a@example.org").exists() is False


def test_lowercase_passphrase_without_digits_or_symbols_is_accepted(
    client, django_capture_on_commit_callbacks
):
    response = sign_up(client, django_capture_on_commit_callbacks, "a@example.org", "walnutharbour")

    assert response["Location"] == "/accounts/confirm-email/"
    assert User.objects.get(email="a@example.org").check_password("walnutharbour") is True


def test_sign_in_refused_after_five_failures_even_with_the_right_password(client):
    user = make_user(roles=[Role.PWLE])
    for _ in range(5):
        sign_in(client, user.email, "not the right password")

    response = sign_in(client, user.email, TEST_PASSWORD)

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert client.get("/portal/")["Location"] == "/accounts/login/?next=/portal/"


def test_four_failures_do_not_lock_the_account(client):
    user = make_user(roles=[Role.PWLE])
    for _ in range(4):
        sign_in(client, user.email, "not the right password")

    response = sign_in(client, user.email, TEST_PASSWORD)

    assert response["Location"] == "/"


PROXY_ADDRESS = "172.18.0.5"


def sign_in_through_proxy(client, email, password, *, client_address):
    """Sign in as Caddy forwards it: from the proxy's address, naming the client's."""
    return client.post(
        "/accounts/login/",
        {"login": email, "password": password},
        REMOTE_ADDR=PROXY_ADDRESS,
        HTTP_X_FORWARDED_FOR=client_address,
    )


def test_failed_sign_ins_behind_the_proxy_lock_out_only_their_own_client(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    someone_else = make_user(roles=[Role.PWLE])
    for attempt in range(10):
        sign_in_through_proxy(
            Client(), f"guess{attempt}@example.org", "wrong", client_address="203.0.113.7"
        )

    attacker_again = sign_in_through_proxy(
        Client(), "guess@example.org", "wrong", client_address="203.0.113.7"
    )
    response = sign_in_through_proxy(
        Client(), someone_else.email, TEST_PASSWORD, client_address="198.51.100.20"
    )

    assert TOO_MANY_ATTEMPTS in attacker_again.content.decode()
    assert (response.status_code, response["Location"]) == (302, "/")


def test_served_directly_a_forged_forwarded_for_does_not_dodge_the_limit(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    user = make_user(roles=[Role.PWLE])
    for attempt in range(10):
        sign_in_through_proxy(
            Client(), f"guess{attempt}@example.org", "wrong", client_address=f"192.0.2.{attempt}"
        )

    response = sign_in_through_proxy(
        Client(), user.email, TEST_PASSWORD, client_address="198.51.100.20"
    )

    assert response.status_code == 200
    assert TOO_MANY_ATTEMPTS in response.content.decode()


def test_admin_sign_in_page_goes_through_allauth(client):
    response = client.get("/admin/login/?next=/admin/coprod/person/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_new_staff_member_sets_up_totp_without_typing_the_password_twice(client):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)

    signed_in = sign_in(client, staff.email)
    sent_to = client.get("/admin/")
    setup = client.get(sent_to["Location"])

    assert signed_in["Location"] == "/"
    assert sent_to["Location"].startswith("/accounts/2fa/totp/activate/")
    assert setup.status_code == 200
    assert 'name="code"' in setup.content.decode()


def test_totp_set_up_asks_for_the_password_again_after_five_minutes(client, time_machine):
    staff = make_staff(StaffGroup.ENGAGEMENT, mfa=False)
    time_machine.move_to("2026-11-23 10:00 +00:00")
    sign_in(client, staff.email)

    time_machine.move_to("2026-11-23 10:06 +00:00")
    setup = client.get("/accounts/2fa/totp/activate/")

    assert setup["Location"].startswith("/accounts/reauthenticate/")


def test_sign_in_with_nothing_typed_says_what_to_enter(client):
    response = client.post("/accounts/login/", {"login": "", "password": ""})

    page = response.content.decode()
    assert response.context["form"].errors == {
        "login": ["Enter your email address"],
        "password": ["Enter your password"],
    }
    assert "placeholder=" not in page
