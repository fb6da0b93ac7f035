"""Browser tests: Debian's Chromium driven by pytest-playwright against pytest-django's live server.

One browser, context and page for the whole session (the browser keeps our CSS and JavaScript
cached); each test starts with no cookies, at desktop size. People are signed in by handing the
browser the session cookie of `Client.force_login`, which is faster than the sign-in form.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from playwright.sync_api import Browser, BrowserContext

from coprod.enums import Role
from coprod.models import User
from coprod.services.people import create_person, create_user_for_person
from coprod.services.roles import grant_role
from tests.browser.support import CHROMIUM, DESKTOP, Tab

# Playwright's sync API runs an event loop on the test thread, so Django would refuse every database
# call with SynchronousOnlyOperation. The tests are synchronous; the loop is Playwright's own.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

PASSWORD = "a long test password for browsers"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """Skip every browser test when Chromium is missing, unless COPROD_REQUIRE_BROWSER=1 (CI)."""
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is not installed (`make browser` installs Debian's chromium)"
    if os.environ.get("COPROD_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason}, and COPROD_REQUIRE_BROWSER=1 says browser tests must run")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    # Playwright's own browser download cannot work here; Debian's Chromium can.
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def base_url(live_server) -> str:
    # Also replaces pytest-playwright's fallback fixture, a method that pytest 9 warns about.
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    return {**browser_context_args, "viewport": DESKTOP, "locale": "en-GB"}


@pytest.fixture(scope="session")
def shared_context(browser: Browser, browser_context_args: dict) -> Iterator[BrowserContext]:
    """One context and page for the whole session, so that the browser keeps its cache of our CSS
    and JavaScript; each test starts with no cookies (signed out) at desktop size."""
    context = browser.new_context(**browser_context_args)
    yield context
    context.close()


@pytest.fixture(scope="session")
def shared_tab(shared_context: BrowserContext, live_server) -> Tab:
    tab = Tab(page=shared_context.new_page(), base_url=live_server.url)
    tab.watch()
    return tab


@pytest.fixture
def tab(
    shared_tab: Tab, shared_context: BrowserContext, transactional_db, django_db_serialized_rollback
) -> Iterator[Tab]:
    """The page, watched: any sub-resource answering 400 or more, any console error (a refused
    inline style or script under our CSP shows up there) and any script error fail the test."""
    shared_context.clear_cookies()
    shared_tab.set_viewport("desktop")
    shared_tab.problems.clear()
    yield shared_tab
    shared_tab.assert_no_problems()


@pytest.fixture
def sign_in(shared_context: BrowserContext, live_server) -> Callable[[User], None]:
    """`sign_in(user)`: give the browser a signed-in session for `user`."""

    def sign_in(user: User, *, recently_authenticated: bool = False) -> None:
        client = Client()
        client.force_login(user)
        if recently_authenticated:
            # What allauth records after a password check; it asks for one before MFA set-up.
            session = client.session
            session["account_authentication_methods"] = [
                {"method": "password", "at": time.time(), "reauthenticated": True}
            ]
            session["account_authentication_methods_user"] = str(user.pk)
            session.save()
        cookie = client.cookies["sessionid"]
        shared_context.add_cookies(
            [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
        )

    return sign_in


@pytest.fixture
def staff_user(transactional_db, django_db_serialized_rollback) -> User:
    """A member of staff without an authenticator app (MFA set-up not done yet)."""
    person = create_person(chosen_name="Sam Staff")
    return create_user_for_person(
        person, email="sam.staff@example.org", password=PASSWORD, email_verified=True, is_staff=True
    )


@pytest.fixture
def admin_user(staff_user: User) -> User:
    """A superuser with TOTP set up, so the MFA middleware lets them into the admin."""
    staff_user.is_superuser = True
    staff_user.save(update_fields=["is_superuser"])
    TOTP.activate(staff_user, TOTP_SECRET)
    return staff_user


@pytest.fixture
def member(staff_user: User) -> User:
    """A person with lived experience who has a verified login."""
    person = create_person(chosen_name="Ama")
    grant_role(person, Role.PWLE, by=staff_user)
    return create_user_for_person(
        person, email="ama@example.org", password=PASSWORD, email_verified=True
    )


@pytest.fixture
def member_tab(tab: Tab, sign_in: Callable[[User], None], member: User) -> Tab:
    sign_in(member)
    return tab
