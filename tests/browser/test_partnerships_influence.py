"""Decisions and "you said, we did" in a real browser: the portal's decision log and "you said,
we did" list pass axe (0 violations) at desktop and 320 px without sideways scrolling, and never
carry an anonymous giver's name; the staff decision form with errors moves focus to its error
summary, whose links move focus to each field."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.enums import Role
from coprod.models import User
from coprod.services.people import create_person
from coprod.services.roles import grant_role
from partnerships.enums import PartnershipRole, TensionStatus, YouSaidStatus
from tests.browser.support import Tab
from tests.factories.partnerships import (
    DecisionFactory,
    PartnershipFactory,
    YouSaidItemFactory,
    add_member,
    make_partnerships_staff,
)

pytestmark = pytest.mark.browser

TODAY = timezone.localdate()


@pytest.fixture
def partnership(member: User, staff_user: User):
    """Ama (a PWLE) in a partnership with a decision log and "you said, we did" items, one of
    them from a member who chose to be anonymous."""
    partnership = PartnershipFactory(title="Survivor voices in local policing")
    add_member(partnership, member.person, PartnershipRole.PWLE)
    hidden = create_person(chosen_name="Zainab Quietname")
    grant_role(hidden, Role.LEE, by=staff_user)
    add_member(partnership, hidden, PartnershipRole.LEE)
    DecisionFactory(
        partnership=partnership,
        decided_on=TODAY - timedelta(days=40),
        summary="Lived experience members read the draft guidance first.",
        tension_status=TensionStatus.RESOLVED,
        tension="Police partners wanted to check the draft first.",
        views_held="Police: facts first.\nMembers: survivors first.",
        resolution="Members read it first; police check facts only.",
    )
    DecisionFactory(
        partnership=partnership,
        summary="Meetings move to the evening for a trial.",
        tension_status=TensionStatus.OPEN,
        tension="Evenings suit people in work, not people with children.",
    )
    YouSaidItemFactory(
        partnership=partnership,
        given_by=hidden,
        anonymous=True,
        said="I would not feel safe giving evidence in a police station.",
    )
    YouSaidItemFactory(
        partnership=partnership,
        given_by=member.person,
        said="Please send the papers a week before.",
        said_on=TODAY - timedelta(days=2),
        response="You were right.",
        what_changed="Papers go out a week ahead.",
        status=YouSaidStatus.ACTED_ON,
    )
    return partnership


@pytest.mark.parametrize("name", ["partnerships_you_said:list", "partnerships_decisions:list"])
def test_portal_pages_accessible_and_no_anonymous_name(
    member_tab: Tab, partnership, name: str
) -> None:
    member_tab.set_viewport("320px")

    member_tab.goto(reverse(name, kwargs={"partnership_id": partnership.pk}))

    html = member_tab.page.content()
    assert "Zainab" not in html
    assert "Quietname" not in html
    assert member_tab.page.locator(".govuk-summary-card").count() == 2
    member_tab.assert_accessible_at_every_viewport()


def test_the_you_said_list_names_the_anonymous_item_anonymous(member_tab: Tab, partnership) -> None:
    member_tab.goto(
        reverse("partnerships_you_said:list", kwargs={"partnership_id": partnership.pk})
    )

    titles = member_tab.page.locator(".govuk-summary-card__title").all_inner_texts()

    assert [title.split(",")[0] for title in titles] == ["You", "Anonymous"]


def test_staff_decision_log_accessible(
    tab: Tab, sign_in: Callable[[User], None], partnership
) -> None:
    sign_in(make_partnerships_staff())

    tab.goto(
        reverse("partnerships_decisions_staff:list", kwargs={"partnership_id": partnership.pk})
    )

    assert tab.page.locator("h1").inner_text() == "Decision log"
    tab.assert_accessible_at_every_viewport()


def test_staff_decision_form_with_errors_accessible_and_focus_moves(
    tab: Tab, sign_in: Callable[[User], None], partnership
) -> None:
    sign_in(make_partnerships_staff())
    tab.set_viewport("320px")
    tab.goto(
        reverse("partnerships_decisions_staff:create", kwargs={"partnership_id": partnership.pk})
    )
    tab.page.locator("#id_decided_by").fill("The steering group")
    tab.page.locator("#id_tension_status_3").check()  # resolved, with nothing said
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
    assert focused_after_click == ["id_summary", "id_tension", "id_resolution"]
    tab.assert_accessible_at_every_viewport()
