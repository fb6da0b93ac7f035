"""The availability poll in a real browser: axe (0 violations) at desktop and 320 px, before
and after sending it with answers missing; the error summary moves focus to each slot's first
choice; the answers can be given with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from coprod.enums import Role
from coprod.models import User
from coprod.services.roles import grant_role
from funding.enums import PanelRole
from funding.models import PanelMember, SlotAnswer
from tests.browser.support import Tab
from tests.factories.funding import PanelFactory, open_poll, seat

pytestmark = pytest.mark.browser


@pytest.fixture
def poll_tab(tab: Tab, sign_in: Callable[[User], None], member: User, staff_user: User) -> Tab:
    """Ama, an LEE on a panel whose meeting poll is open over two times."""
    grant_role(member.person, Role.LEE, by=staff_user)
    panel = PanelFactory(call__title="Safer housing research")
    seat(panel, PanelRole.POLICYMAKER, ready=False, is_chair=True)
    PanelMember.objects.create(panel=panel, person=member.person, role=PanelRole.LEE)
    poll = open_poll(panel, title="Panel meeting", place="https://meet.example.org/panel")
    tab.poll_url = reverse("funding_meetings:poll", kwargs={"poll_id": poll.pk})  # type: ignore[attr-defined]
    tab.slot_ids = list(poll.slots.order_by("starts_at").values_list("pk", flat=True))  # type: ignore[attr-defined]
    sign_in(member)
    return tab


def test_availability_poll_accessible(poll_tab: Tab) -> None:
    poll_tab.set_viewport("320px")

    poll_tab.goto(poll_tab.poll_url)

    assert poll_tab.page.locator("input[type=radio]").count() == 6
    assert poll_tab.horizontal_overflow() == 0
    poll_tab.assert_accessible_at_every_viewport()


def test_availability_poll_with_errors_accessible_and_focus_moves(poll_tab: Tab) -> None:
    poll_tab.set_viewport("320px")
    poll_tab.goto(poll_tab.poll_url)
    with poll_tab.page.expect_navigation():
        poll_tab.page.locator("#main-content form [type=submit]").first.click()
    poll_tab.assert_no_problems()

    focused_on_load = poll_tab.focused()
    focused_after_click = []
    for href in poll_tab.error_summary_links():
        poll_tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(poll_tab.focused()["id"])

    assert poll_tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert focused_after_click == [f"id_slot_{pk}_1" for pk in poll_tab.slot_ids]
    assert poll_tab.horizontal_overflow() == 0
    poll_tab.assert_accessible_at_every_viewport()


def test_availability_poll_answered_with_the_keyboard_alone(poll_tab: Tab) -> None:
    poll_tab.goto(poll_tab.poll_url)
    page = poll_tab.page

    page.locator(f"#id_slot_{poll_tab.slot_ids[0]}_1").focus()
    page.keyboard.press("Space")  # the first slot: yes
    page.keyboard.press("Tab")  # on to the second slot's group
    page.keyboard.press("ArrowRight")  # its second choice: if need be
    page.keyboard.press("Tab")  # the button
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert sorted(SlotAnswer.objects.values_list("slot_id", "answer")) == [
        (poll_tab.slot_ids[0], "yes"),
        (poll_tab.slot_ids[1], "if_need_be"),
    ]
    assert "Your answers are saved" in page.locator("main").inner_text()
