"""The panel's staff page while scoring is open, with its "Close scoring now" button: axe at
desktop and 320 px wide, and the button pressed with the keyboard alone closes scoring."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.models import User
from funding.enums import PanelRole
from funding.models import Panel
from tests.browser.support import Tab
from tests.factories.funding import PanelFactory, ProposalFactory, make_funding_staff, seat

pytestmark = pytest.mark.browser


def test_closing_scoring_from_the_panel_page_with_the_keyboard(
    tab: Tab, sign_in: Callable[[User], None]
) -> None:
    panel = PanelFactory(
        call__title="Safer housing research",
        scoring_started_at=timezone.now() - timedelta(days=2),
    )
    ProposalFactory(call=panel.call, title="Housing after exploitation")
    seat(panel, PanelRole.LEE, is_chair=True)
    seat(panel, PanelRole.RESEARCHER)
    sign_in(make_funding_staff())
    tab.goto(reverse("funding_panels:panel", kwargs={"panel_id": panel.pk}))
    tab.assert_accessible_at_every_viewport()
    page = tab.page

    page.get_by_role("button", name="Close scoring now").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert Panel.objects.get(pk=panel.pk).scoring_closed_at is not None
    assert "Scoring is closed." in page.locator("#main-content").inner_text()
    tab.assert_accessible_at_every_viewport()
