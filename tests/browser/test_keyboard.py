"""Keyboard only: the skip link comes first, and a whole form can be filled in and sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coprod.models import User
from tests.browser.support import Tab

pytestmark = pytest.mark.browser

PROFILE_TAB_STOPS = [
    "id_chosen_name",
    "id_pronouns",
    "id_preferred_language",
    "id_needs_interpreter",
    "id_access_needs",
    "submit-id-submit",
]


def _tab_to(tab: Tab, element_id: str, *, limit: int = 30) -> None:
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.focused()["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} not reached in {limit} presses of Tab")


def test_skip_link_first_tab_stop_moves_focus_to_main(member_tab: Tab) -> None:
    member_tab.goto(reverse("portal:home"))

    member_tab.page.keyboard.press("Tab")
    first_stop = member_tab.focused()
    member_tab.page.keyboard.press("Enter")

    assert "govuk-skip-link" in first_stop["classes"]
    assert member_tab.focused()["id"] == "main-content"


def test_profile_form_keyboard_only_saves(member_tab: Tab, member: User) -> None:
    keyboard = member_tab.page.keyboard
    member_tab.goto(reverse("portal:profile"))
    _tab_to(member_tab, "id_chosen_name")

    stops = [member_tab.focused()["id"]]
    keyboard.press("ControlOrMeta+A")
    keyboard.type("Ama K")
    for text in ["she/her", "Twi", " ", "Breaks every hour"]:
        keyboard.press("Tab")
        stops.append(member_tab.focused()["id"])
        if text == " ":
            keyboard.press("Space")
        else:
            keyboard.type(text)
    keyboard.press("Tab")
    stops.append(member_tab.focused()["id"])
    with member_tab.page.expect_navigation():
        keyboard.press("Enter")

    member.person.refresh_from_db()
    assert stops == PROFILE_TAB_STOPS
    assert member_tab.page.url == member_tab.url(reverse("portal:home"))
    assert member_tab.page.locator(".govuk-notification-banner__heading").inner_text() == (
        "Your profile is saved."
    )
    assert (member.person.chosen_name, member.person.pronouns) == ("Ama K", "she/her")
    assert member.person.needs_interpreter is True
