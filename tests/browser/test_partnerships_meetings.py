"""The portal's partnership meetings in a real browser: axe (0 violations) at desktop and
320 px, no sideways scrolling at 320 px, and the calendar file reachable by keyboard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.enums import Role
from coprod.models import User
from coprod.services.roles import grant_role
from partnerships.enums import MeetingStatus, PartnershipRole
from tests.browser.support import Tab
from tests.factories.partnerships import MeetingFactory, PartnershipFactory, add_member, invite

pytestmark = pytest.mark.browser


@pytest.fixture
def meetings_tab(tab: Tab, sign_in: Callable[[User], None], member: User, staff_user: User) -> Tab:
    """Ama, an LEE member invited to two meetings to come (one cancelled)."""
    grant_role(member.person, Role.LEE, by=staff_user)
    partnership = PartnershipFactory(title="Survivor voices in local policing")
    mine = add_member(partnership, member.person, PartnershipRole.LEE)
    meeting = MeetingFactory(
        partnership=partnership,
        title="Steering group: what we heard from survivors",
        starts_at=timezone.now() + timedelta(days=12),
        place="Haven Support Trust, meeting room 1",
        link="https://meet.example.org/steering-group-with-a-long-address-that-must-wrap",
        interpreter=True,
        interpreter_languages="Tigrinya, Vietnamese",
        travel_paid=True,
        childcare_paid=True,
        access_notes="Step-free entrance. A quiet room is available.",
        preparation_hours=Decimal("1.5"),
    )
    invite(meeting, mine)
    cancelled = MeetingFactory(
        partnership=partnership,
        title="Summer get-together",
        starts_at=timezone.now() + timedelta(days=40),
        status=MeetingStatus.CANCELLED,
    )
    invite(cancelled, mine)
    tab.list_url = reverse("partnerships_meetings:list")  # type: ignore[attr-defined]
    sign_in(member)
    return tab


def test_meetings_page_accessible_at_every_width(meetings_tab: Tab) -> None:
    meetings_tab.set_viewport("320px")

    meetings_tab.goto(meetings_tab.list_url)

    assert meetings_tab.page.locator(".govuk-summary-card").count() == 2
    assert meetings_tab.horizontal_overflow() == 0
    meetings_tab.assert_accessible_at_every_viewport()


def test_calendar_link_is_reachable_by_keyboard(meetings_tab: Tab) -> None:
    meetings_tab.goto(meetings_tab.list_url)

    reached = []
    for _ in range(40):
        meetings_tab.page.keyboard.press("Tab")
        href = meetings_tab.page.evaluate("document.activeElement.getAttribute('href') || ''")
        reached.append(href)
        if href.endswith("meeting.ics"):
            break

    assert reached[-1].endswith("meeting.ics")
