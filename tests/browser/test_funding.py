"""Funding's portal pages in a real browser: axe at desktop and 320 px wide, the proposal form
also with errors shown (and the error summary moving focus to each field)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from coprod.enums import Role
from coprod.models import User
from coprod.services.people import create_person, create_user_for_person
from coprod.services.roles import grant_role
from funding.enums import Eligibility
from tests.browser.support import Tab
from tests.factories.funding import CallFactory, ProposalFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def researcher_tab(tab: Tab, sign_in: Callable[[User], None], staff_user: User) -> Tab:
    person = create_person(chosen_name="Rae")
    grant_role(person, Role.RESEARCHER, by=staff_user)
    researcher = create_user_for_person(
        person, email="rae@example.org", password="a long test password", email_verified=True
    )
    tab.researcher = researcher  # type: ignore[attr-defined]
    sign_in(researcher)
    return tab


def _url(name: str, researcher: User) -> str:
    call = CallFactory(title="Safer housing research")
    if name == "calls":
        CallFactory(title="Another call")
        return reverse("funding:calls")
    if name == "call":
        return reverse("funding:call", kwargs={"call_id": call.pk})
    if name == "proposal form":
        return reverse("funding:propose", kwargs={"call_id": call.pk})
    proposal = ProposalFactory(
        call=call,
        applicant=researcher.person,
        eligibility=Eligibility.INELIGIBLE,
        ineligible_reason="Outside the UK",
    )
    if name == "your proposals":
        return reverse("funding:proposals")
    if name == "proposal":
        return reverse("funding:proposal", kwargs={"proposal_id": proposal.pk})
    return reverse("funding:withdraw", kwargs={"proposal_id": proposal.pk})


@pytest.mark.parametrize(
    "name", ["calls", "call", "proposal form", "your proposals", "proposal", "withdraw"]
)
def test_funding_page_accessible(researcher_tab: Tab, name: str) -> None:
    researcher_tab.set_viewport("320px")

    researcher_tab.goto(_url(name, researcher_tab.researcher))

    assert researcher_tab.page.locator(".govuk-exit-this-page__button").is_visible()
    researcher_tab.assert_accessible_at_every_viewport()


def test_proposal_form_with_errors_accessible_and_focus_moves(researcher_tab: Tab) -> None:
    researcher_tab.set_viewport("320px")
    researcher_tab.goto(_url("proposal form", researcher_tab.researcher))
    with researcher_tab.page.expect_navigation():
        researcher_tab.page.locator("#main-content form [type=submit]").first.click()
    researcher_tab.assert_no_problems()

    focused_on_load = researcher_tab.focused()
    links = researcher_tab.error_summary_links()
    focused_after_click = []
    for href in links:
        researcher_tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(researcher_tab.focused()["id"])

    assert researcher_tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert focused_after_click == [
        "id_title",
        "id_summary",
        "id_description",
        "id_requested_amount",
        "id_lived_experience_involvement",
    ]
    researcher_tab.assert_accessible_at_every_viewport()
