"""Scoring online in a real browser: axe at 320 px and desktop on "Your reviews", the review page
(with its content warning) and the review page with errors shown (the error summary moves focus
to each radio group); and the scoring form filled in and sent with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.enums import Role
from coprod.models import User
from coprod.services.people import create_person, create_user_for_person
from coprod.services.roles import grant_role
from funding.enums import PanelRole, ReviewStatus
from funding.models import PanelMember, Review, Score
from funding.services.reviews import criteria_for
from tests.browser.support import Tab
from tests.factories.funding import (
    CriterionFactory,
    PanelFactory,
    ProposalFactory,
    declare_clear,
    scored_review,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def reviewer_tab(tab: Tab, sign_in: Callable[[User], None], staff_user: User) -> Tab:
    """An LEE on a panel scoring now, with one review of a proposal that has a content warning."""
    person = create_person(chosen_name="Lee")
    grant_role(person, Role.LEE, by=staff_user)
    user = create_user_for_person(
        person, email="lee@example.org", password="a long test password", email_verified=True
    )
    panel = PanelFactory(scoring_started_at=timezone.now() - timedelta(days=1))
    CriterionFactory(call=panel.call, name="Is the method sound?", scale_max=5)
    proposal = ProposalFactory(
        call=panel.call, title="Safer housing", content_warning="Violence and exploitation"
    )
    member = PanelMember.objects.create(panel=panel, person=person, role=PanelRole.LEE)
    declare_clear(member)
    tab.review = Review.objects.create(member=member, proposal=proposal)  # type: ignore[attr-defined]
    sign_in(user)
    return tab


def review_url(tab: Tab) -> str:
    return reverse("funding_reviews:review", kwargs={"review_id": tab.review.pk})  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", ["your reviews", "review", "sent review"])
def test_review_page_accessible(reviewer_tab: Tab, name: str) -> None:
    review = reviewer_tab.review  # type: ignore[attr-defined]
    if name == "sent review":  # read-only: the form's fields are disabled
        scored_review(review.member, review.proposal, 4, comment="Sound plan")
    reviewer_tab.set_viewport("320px")

    reviewer_tab.goto(
        reverse("funding_reviews:list") if name == "your reviews" else review_url(reviewer_tab)
    )

    assert reviewer_tab.page.locator(".govuk-exit-this-page__button").is_visible()
    reviewer_tab.assert_accessible_at_every_viewport()
    if name != "your reviews":  # and with the proposal shown, past its content warning
        reviewer_tab.page.locator(".govuk-details__summary").click()
        reviewer_tab.assert_accessible_at_every_viewport()


def test_review_page_with_errors_accessible_and_focus_moves_to_each_group(
    reviewer_tab: Tab,
) -> None:
    review = reviewer_tab.review  # type: ignore[attr-defined]
    criteria = criteria_for(review.member, review.proposal.call_id)
    reviewer_tab.set_viewport("320px")
    reviewer_tab.goto(review_url(reviewer_tab))
    with reviewer_tab.page.expect_navigation():
        reviewer_tab.page.get_by_role("button", name="Send my review").click()
    reviewer_tab.assert_no_problems()

    focused_on_load = reviewer_tab.focused()
    focused_after_click = []
    for href in reviewer_tab.error_summary_links():
        reviewer_tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(reviewer_tab.focused()["id"])

    assert reviewer_tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert focused_after_click == [f"id_score_{criterion.pk}_1" for criterion in criteria]
    assert Review.objects.get().status == ReviewStatus.ASSIGNED
    reviewer_tab.assert_accessible_at_every_viewport()


def _tab_to(tab: Tab, element_id: str, *, limit: int = 40) -> None:
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.focused()["id"] == element_id:
            return
    raise AssertionError(f"#{element_id} not reached in {limit} presses of Tab")


def _tab_to_class(tab: Tab, css_class: str, *, limit: int = 40) -> None:
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if css_class in tab.focused()["classes"]:
            return
    raise AssertionError(f".{css_class} not reached in {limit} presses of Tab")


def test_scoring_form_keyboard_only_sends(reviewer_tab: Tab) -> None:
    review = reviewer_tab.review  # type: ignore[attr-defined]
    criteria = criteria_for(review.member, review.proposal.call_id)
    keyboard = reviewer_tab.page.keyboard
    reviewer_tab.goto(review_url(reviewer_tab))

    _tab_to_class(reviewer_tab, "govuk-details__summary")
    keyboard.press("Enter")
    shown = reviewer_tab.page.locator("#proposal-summary").is_visible()
    for criterion in criteria:
        _tab_to(reviewer_tab, f"id_score_{criterion.pk}_1")
        keyboard.press("Space")
        _tab_to(reviewer_tab, f"id_comment_{criterion.pk}")
        keyboard.type("Clear")
    _tab_to(reviewer_tab, "id_feedback")
    keyboard.type("Thank you")
    _tab_to(reviewer_tab, "id_send")
    with reviewer_tab.page.expect_navigation():
        keyboard.press("Enter")

    review.refresh_from_db()
    assert shown
    assert review.status == ReviewStatus.SUBMITTED
    assert review.feedback == "Thank you"
    assert sorted(Score.objects.values_list("value", "comment")) == [(1, "Clear")] * len(criteria)
    assert reviewer_tab.page.url == reviewer_tab.url(reverse("funding_reviews:list"))
