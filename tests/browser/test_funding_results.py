"""Results and decisions in a real browser: the chair's results page (a portal page: axe at
320 px and desktop, no sideways scrolling) and the decision form with errors (a staff page: axe,
the error summary takes focus and moves it to each field)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from coprod.models import User
from tests.browser.support import Tab
from tests.factories.funding import make_funding_staff
from tests.funding.results_example import build_example

pytestmark = pytest.mark.browser


def test_chair_results_page_accessible(tab: Tab, sign_in: Callable[[User], None]) -> None:
    example = build_example()
    sign_in(example.policymaker.person.user)
    tab.set_viewport("320px")

    tab.goto(reverse("funding_chair_results:call", kwargs={"call_id": example.call.pk}))

    assert tab.page.locator(".govuk-exit-this-page__button").is_visible()
    assert tab.page.locator("h3").all_inner_texts() == ["1. B", "2. A", "3. D", "C"]
    assert "LEE scores differ" in tab.page.locator(".govuk-warning-text").first.inner_text()
    tab.assert_accessible_at_every_viewport()


def test_decision_form_with_errors_accessible_and_focus_moves(
    tab: Tab, sign_in: Callable[[User], None]
) -> None:
    example = build_example()
    sign_in(make_funding_staff())
    tab.goto(
        reverse(
            "funding_results:decision",
            kwargs={"call_id": example.call.pk, "proposal_id": example.proposals["B"].pk},
        )
    )
    tab.assert_accessible("desktop")

    with tab.page.expect_navigation():
        tab.page.locator("#main-content form [type=submit]").first.click()
    tab.assert_no_problems()
    focused_on_load = tab.focused()
    focused_after_click = []
    for href in tab.error_summary_links():
        tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(tab.focused()["id"])

    assert tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert focused_after_click == ["id_outcome_1", "id_rationale"]
    tab.assert_accessible("desktop")
    tab.set_viewport("320px")
    tab.assert_accessible("320px")


def test_staff_results_page_accessible(tab: Tab, sign_in: Callable[[User], None]) -> None:
    example = build_example()
    sign_in(make_funding_staff())

    tab.goto(reverse("funding_results:call", kwargs={"call_id": example.call.pk}))

    assert tab.page.locator("h3").all_inner_texts() == ["1. B", "2. A", "3. D", "C"]
    tab.assert_accessible("desktop")
