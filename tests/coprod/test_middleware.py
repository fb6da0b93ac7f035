"""Idle timeout and absolute session lifetime (with drafts of what was typed, for the form views
that declare it), and no caching of signed-in pages."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.db import connection
from django.test import Client

from coprod.enums import Role, StaffGroup
from coprod.middleware import LAST_ACTIVITY_KEY, SIGNED_IN_AT_KEY
from coprod.models import FormDraft, Person
from tests.factories.core import TEST_PASSWORD, make_person, make_staff, make_user

pytestmark = pytest.mark.django_db

MINUTE = 60


def make_visitor(kind):
    if kind == "staff":
        return make_staff(StaffGroup.ENGAGEMENT)
    return make_user(roles=[Role.PWLE])


def active_at(client, user, moment, path):
    """Sign in and use `path` at `moment`, so the session's last activity is then."""
    with time_machine.travel(moment, tick=False):
        client.force_login(user)
        client.get(path)


@pytest.mark.parametrize(
    ("kind", "path", "idle_minutes", "status"),
    [
        ("staff", "/staff/", 29, 200),
        ("staff", "/staff/", 31, 302),
        ("participant", "/portal/", 119, 200),
        ("participant", "/portal/", 121, 302),
    ],
    ids=["staff-29min", "staff-31min", "participant-119min", "participant-121min"],
)
def test_idle_timeout_is_30_minutes_for_staff_and_2_hours_for_others(
    client, kind, path, idle_minutes, status
):
    start = time.time()
    active_at(client, make_visitor(kind), start, path)

    with time_machine.travel(start + idle_minutes * MINUTE, tick=False):
        response = client.get(path)

    assert response.status_code == status


def test_idle_timeout_signs_out_and_asks_to_sign_in_again_with_next(client):
    user = make_user(roles=[Role.PWLE])
    start = time.time()
    active_at(client, user, start, "/portal/")

    with time_machine.travel(start + 121 * MINUTE, tick=False):
        response = client.get("/portal/consents/")
        login_page = client.get(response["Location"])

    assert response["Location"] == "/accounts/login/?next=%2Fportal%2Fconsents%2F"
    assert "_auth_user_id" not in client.session
    assert login_page.context["session_timed_out"] is True


def test_activity_keeps_the_session_alive(client):
    user = make_user(roles=[Role.PWLE])
    start = time.time()
    active_at(client, user, start, "/portal/")
    with time_machine.travel(start + 100 * MINUTE, tick=False):
        client.get("/portal/")

    with time_machine.travel(start + 200 * MINUTE, tick=False):
        response = client.get("/portal/")

    assert response.status_code == 200
    assert client.session[LAST_ACTIVITY_KEY] == pytest.approx(start + 200 * MINUTE)


def test_form_posted_after_timeout_comes_back_after_signing_in_again(client):
    user = make_user(roles=[Role.PWLE])
    start = time.time()
    active_at(client, user, start, "/portal/profile/")

    with time_machine.travel(start + 121 * MINUTE, tick=False):
        timed_out = client.post("/portal/profile/", {"chosen_name": "Typed Name"})
        client.post(
            "/accounts/login/",
            {"login": user.email, "password": TEST_PASSWORD, "next": "/portal/profile/"},
        )
        form_page = client.get("/portal/profile/")

    assert timed_out["Location"] == "/accounts/login/?next=%2Fportal%2Fprofile%2F"
    assert 'value="Typed Name"' in form_page.content.decode()
    assert FormDraft.objects.exists() is False
    assert Person.objects.get(pk=user.person_id).chosen_name == user.person.chosen_name


def test_draft_is_stored_encrypted_and_without_the_csrf_token(client):
    user = make_user(roles=[Role.PWLE])
    start = time.time()
    active_at(client, user, start, "/portal/profile/")

    with time_machine.travel(start + 121 * MINUTE, tick=False):
        client.post("/portal/profile/", {"chosen_name": "Typed Name", "csrfmiddlewaretoken": "abc"})

    draft = FormDraft.objects.get(user=user)
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM coprod_formdraft WHERE id = %s", [draft.pk])
        (raw,) = cursor.fetchone()
    assert (draft.path, draft.data) == ("/portal/profile/", {"chosen_name": ["Typed Name"]})
    assert "Typed Name" not in raw


def test_forged_post_after_timeout_is_not_kept_as_draft():
    client = Client(enforce_csrf_checks=True)
    user = make_user(roles=[Role.PWLE])
    start = time.time()
    active_at(client, user, start, "/portal/profile/")

    with time_machine.travel(start + 121 * MINUTE, tick=False):
        response = client.post("/portal/profile/", {"chosen_name": "Planted Name"})

    assert response["Location"] == "/accounts/login/?next=%2Fportal%2Fprofile%2F"
    assert FormDraft.objects.exists() is False


def test_admin_form_posted_after_timeout_is_not_kept(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    person = make_person(roles=[Role.PWLE])
    start = time.time()
    active_at(client, staff, start, "/admin/")

    with time_machine.travel(start + 31 * MINUTE, tick=False):
        response = client.post(
            f"/admin/coprod/person/{person.pk}/change/", {"phone": "07700 900123"}
        )

    assert response["Location"].startswith("/accounts/login/?next=")
    assert FormDraft.objects.exists() is False


def timed_out_post(client, path, data, *, kind="participant"):
    user = make_visitor(kind)
    start = time.time()
    active_at(client, user, start, "/portal/" if kind == "participant" else "/staff/")
    with time_machine.travel(start + 241 * MINUTE, tick=False):
        response = client.post(path, data)
    return user, response


@pytest.mark.parametrize(
    "path",
    [
        "/portal/involvement/",  # a portal form that does not declare drafts
        "/portal/no-such-page/",
        "/portal/profile/" + "x" * 300,
        "/staff/invitations/new/",
    ],
    ids=["undeclared-view", "unknown-path", "over-long-path", "staff-form"],
)
def test_post_after_timeout_keeps_a_draft_only_for_a_declared_form(client, path):
    _user, response = timed_out_post(client, path, {"confirm": "yes", "chosen_name": "Typed"})

    assert response["Location"].startswith("/accounts/login/?next=")
    assert FormDraft.objects.exists() is False


def test_one_draft_per_person_and_form_the_newest_wins(client):
    user, _response = timed_out_post(client, "/portal/profile/", {"chosen_name": "First"})
    active_at(client, user, time.time(), "/portal/")
    with time_machine.travel(time.time() + 241 * MINUTE, tick=False):
        client.post("/portal/%70rofile/", {"chosen_name": "Second"})

    assert list(FormDraft.objects.values_list("path", "data")) == [
        ("/portal/profile/", {"chosen_name": ["Second"]})
    ]


@pytest.mark.parametrize(
    ("kind", "path", "hours", "status"),
    [
        ("staff", "/staff/", 7.9, 200),
        ("staff", "/staff/", 8.1, 302),
        ("participant", "/portal/", 11.9, 200),
        ("participant", "/portal/", 12.1, 302),
    ],
    ids=["staff-7.9h", "staff-8.1h", "participant-11.9h", "participant-12.1h"],
)
def test_session_ends_after_its_absolute_lifetime_however_active(client, kind, path, hours, status):
    start = time.time()
    active_at(client, make_visitor(kind), start, path)
    # Active every 20 minutes, well inside the idle timeout, until just before the end.
    moment = start
    while moment + 20 * MINUTE < start + hours * 60 * MINUTE:
        moment += 20 * MINUTE
        with time_machine.travel(moment, tick=False):
            assert client.get(path).status_code == 200

    with time_machine.travel(start + hours * 60 * MINUTE, tick=False):
        response = client.get(path)

    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith("/accounts/login/?next=")
        assert "_auth_user_id" not in client.session


def test_exit_after_timeout_still_leaves_for_the_neutral_site(client, settings):
    user = make_user(roles=[Role.PWLE])
    start = time.time()
    active_at(client, user, start, "/portal/")

    with time_machine.travel(start + 121 * MINUTE, tick=False):
        response = client.get("/exit/")

    assert (response.status_code, response["Location"]) == (302, settings.COPROD_EXIT_URL)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("participant", "/portal/"),
        ("participant", "/portal/profile/"),
        ("participant", "/accounts/email/"),
        ("staff", "/admin/"),
        ("staff", "/staff/"),
        ("staff", "/admin/coprod/person/"),
    ],
)
def test_no_store_on_every_page_for_signed_in_people(client, kind, path):
    client.force_login(make_visitor(kind))

    response = client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"]
)
def test_no_store_on_account_pages_for_anonymous_visitors(client, path):
    response = client.get(path)

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_no_cache_header_added_for_anonymous_visitors_elsewhere(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.has_header("Cache-Control") is False


def test_signing_in_starts_the_absolute_lifetime_at_once(client):
    user = make_user(roles=[Role.PWLE])
    before = time.time()

    client.force_login(user)

    assert client.session[SIGNED_IN_AT_KEY] >= before


def test_signing_in_again_restarts_the_absolute_lifetime(client):
    user = make_user(roles=[Role.PWLE])
    start = time.time()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        client.get("/portal/")
    with time_machine.travel(start + 11 * 60 * MINUTE, tick=False):
        client.force_login(user)
        client.get("/portal/")

    with time_machine.travel(start + 12.5 * 60 * MINUTE, tick=False):
        response = client.get("/portal/")

    assert response.status_code == 200
