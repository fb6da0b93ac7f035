"""The "Exit this page" control leaves for a neutral site and signs the person out."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser.support import Tab

pytestmark = pytest.mark.browser


@pytest.fixture
def exit_url(settings, live_server) -> str:
    # A page of our own instead of the real neutral site: the tests reach no outside network.
    settings.COPROD_EXIT_URL = live_server.url + reverse("healthz")
    return settings.COPROD_EXIT_URL


def test_exit_this_page_button_leaves_and_signs_out(member_tab: Tab, exit_url: str) -> None:
    member_tab.goto(reverse("portal:contact"))

    with member_tab.page.expect_navigation(url=exit_url):
        member_tab.page.get_by_role("button", name="Emergency Exit this page").click()
    member_tab.goto(reverse("portal:home"))

    assert member_tab.page.url.startswith(member_tab.url(reverse("account_login")))


def test_exit_this_page_three_shift_presses_leave_and_sign_out(
    member_tab: Tab, exit_url: str
) -> None:
    member_tab.goto(reverse("portal:profile"))

    with member_tab.page.expect_navigation(url=exit_url):
        for _ in range(3):
            member_tab.page.keyboard.press("Shift")
    member_tab.goto(reverse("portal:home"))

    assert member_tab.page.url.startswith(member_tab.url(reverse("account_login")))
