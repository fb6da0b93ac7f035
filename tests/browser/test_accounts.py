"""Sign-in, sign-up, password reset, accepting an invitation and staff MFA set-up: allauth's pages
(and ours) in the portal's GOV.UK markup, checked with axe and for focus after errors."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from coprod.enums import Role
from coprod.services.invitations import create_invitation
from tests.browser.support import Tab

pytestmark = pytest.mark.browser

ACCOUNT_PAGES = ["sign-in", "sign-up", "password-reset", "accept-invitation", "totp-setup"]
# Staff set up MFA; everyone else on these pages may be a participant who needs a quick exit.
STAFF_PAGES = {"totp-setup"}


def _open(name: str, tab: Tab, request: pytest.FixtureRequest) -> None:
    """Arrange what the page needs, then load it."""
    if name == "accept-invitation":
        staff = request.getfixturevalue("staff_user")
        _invitation, link = create_invitation(
            email="new.person@example.org",
            role=Role.PWLE,
            by=staff,
            send_email=False,
            base_url=tab.base_url,
        )
        tab.goto(link.removeprefix(tab.base_url))
    elif name == "totp-setup":
        staff = request.getfixturevalue("staff_user")
        request.getfixturevalue("sign_in")(staff, recently_authenticated=True)
        tab.goto(reverse("mfa_activate_totp"))
    else:
        paths = {
            "sign-in": reverse("account_login"),
            "sign-up": reverse("account_signup"),
            "password-reset": reverse("account_reset_password"),
        }
        tab.goto(paths[name])


def _send_empty(tab: Tab) -> None:
    with tab.page.expect_navigation():
        tab.page.locator("#main-content form [type=submit]").first.click()
    tab.assert_no_problems()


@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_account_page_accessible(tab: Tab, request: pytest.FixtureRequest, name: str) -> None:
    tab.set_viewport("320px")

    _open(name, tab, request)

    has_exit = tab.page.locator(".govuk-exit-this-page__button").count() == 1
    assert has_exit == (name not in STAFF_PAGES)
    tab.assert_accessible_at_every_viewport()


@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_account_page_with_errors_accessible(
    tab: Tab, request: pytest.FixtureRequest, name: str
) -> None:
    tab.set_viewport("320px")
    _open(name, tab, request)

    _send_empty(tab)

    assert tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in tab.focused()["classes"]
    tab.assert_accessible_at_every_viewport()


@pytest.mark.parametrize("name", ACCOUNT_PAGES)
def test_account_error_summary_links_move_focus(
    tab: Tab, request: pytest.FixtureRequest, name: str
) -> None:
    _open(name, tab, request)
    _send_empty(tab)

    links = tab.error_summary_links()
    focused = []
    for href in links:
        tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused.append(tab.focused())

    assert links != []
    assert [f"#{element['id']}" for element in focused] == links
    assert all(element["tag"] == "input" for element in focused)


def test_totp_setup_qr_code_and_key_usable(tab: Tab, request: pytest.FixtureRequest) -> None:
    _open("totp-setup", tab, request)

    qr_code = tab.page.get_by_role("img", name="QR code to scan with your authenticator app")
    key = tab.page.get_by_label("Setup key")
    key.focus()

    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 0")
    assert qr_code.bounding_box()["width"] >= 150
    assert re.fullmatch(r"[A-Z2-7]{32}", key.input_value())
    assert key.is_editable() is False
    assert tab.focused()["id"] == "authenticator_secret"


@pytest.mark.parametrize(
    "url_name",
    ["mfa_index", "account_email", "account_change_password", "account_logout"],
)
def test_account_page_signed_in_accessible(member_tab: Tab, url_name: str) -> None:
    member_tab.goto(reverse(url_name))

    member_tab.assert_accessible()
    assert member_tab.page.url == member_tab.url(reverse(url_name))
    assert member_tab.page.locator(".govuk-exit-this-page__button").count() == 1
