"""Partnership pages in a real browser: the portal's partnership page and list (axe: 0 violations
at desktop and 320 px, no sideways scrolling), and the staff "move on the ladder" form before
and after sending it with errors (the error summary takes focus, its links move focus to each
field)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coprod.enums import Role
from coprod.models import User
from coprod.services.roles import grant_role
from partnerships.enums import ParticipationLevel, PartnershipRole
from partnerships.models import LevelChange
from partnerships.services.partnerships import change_level
from tests.browser.support import Tab
from tests.factories.core import make_person
from tests.factories.partnerships import (
    OrganisationFactory,
    PartnershipFactory,
    add_member,
    make_partnerships_staff,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def partnership(staff_user: User):
    team = make_partnerships_staff()
    partnership = PartnershipFactory(
        title="Survivor voices in local policing",
        aims="Make sure what survivors know about policing shapes local police guidance.",
        lead=team,
        starts_on=timezone.localdate() - timedelta(days=300),
        level=ParticipationLevel.INFORM,
    )
    change_level(
        partnership,
        by=team,
        to_level=ParticipationLevel.CONSULT,
        changed_on=timezone.localdate() - timedelta(days=100),
        agreed_by="The steering group",
        reason="Survivor groups asked to comment on draft guidance.",
    )
    partnership.organisations.add(OrganisationFactory(name="Survivors Forward"))
    add_member(partnership, make_person(roles=[Role.LEE], chosen_name="Noor"), PartnershipRole.LEE)
    add_member(
        partnership,
        make_person(roles=[Role.RESEARCHER], chosen_name="Dr Kim"),
        PartnershipRole.RESEARCHER,
    )
    partnership.team = team  # type: ignore[attr-defined]
    return partnership


@pytest.fixture
def member_page(tab: Tab, sign_in: Callable[[User], None], member: User, staff_user, partnership):
    grant_role(member.person, Role.LEE, by=staff_user)
    add_member(partnership, member.person, PartnershipRole.LEE)
    sign_in(member)
    return tab


def test_portal_partnership_page_accessible(member_page: Tab, partnership) -> None:
    member_page.goto(
        reverse("partnerships_portal:partnership", kwargs={"partnership_id": partnership.pk})
    )

    main = member_page.page.locator("main")
    assert member_page.page.locator("h1").inner_text() == "Survivor voices in local policing"
    assert main.locator('[aria-current="step"]').inner_text().startswith("Consult (we are here)")
    assert main.locator("ol time").all_inner_texts() == [
        (timezone.localdate() - timedelta(days=300)).strftime("%-d %B %Y"),
        (timezone.localdate() - timedelta(days=100)).strftime("%-d %B %Y"),
    ]
    assert "Dr Kim (Researcher)" in main.inner_text()
    member_page.assert_accessible_at_every_viewport()


def test_portal_partnership_list_accessible(member_page: Tab, partnership) -> None:
    member_page.goto(reverse("partnerships_portal:list"))

    assert member_page.page.locator("main h2").all_inner_texts() == [partnership.title]
    member_page.assert_accessible_at_every_viewport()


@pytest.fixture
def ladder_tab(tab: Tab, sign_in: Callable[[User], None], partnership) -> Tab:
    sign_in(partnership.team)
    tab.ladder_url = reverse(  # type: ignore[attr-defined]
        "partnerships_staff:change_level", kwargs={"partnership_id": partnership.pk}
    )
    return tab


def test_ladder_form_accessible(ladder_tab: Tab) -> None:
    ladder_tab.goto(ladder_tab.ladder_url)

    assert ladder_tab.page.locator("input[name=to_level]").count() == 4
    ladder_tab.assert_accessible_at_every_viewport()


def test_ladder_form_with_errors_accessible_and_focus_moves(ladder_tab: Tab, partnership) -> None:
    ladder_tab.set_viewport("320px")
    ladder_tab.goto(ladder_tab.ladder_url)
    page = ladder_tab.page
    page.locator('input[name=to_level][value="5"]').check()
    page.locator("#id_agreed_by").fill("The steering group")
    with page.expect_navigation():
        page.locator("#main-content form [type=submit]").first.click()
    ladder_tab.assert_no_problems()

    focused_on_load = ladder_tab.focused()
    focused_after_click = []
    for href in ladder_tab.error_summary_links():
        page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(ladder_tab.focused()["id"])

    assert page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert focused_after_click == ["id_reason", "id_justification"]
    assert LevelChange.objects.filter(partnership=partnership).count() == 2
    ladder_tab.assert_accessible_at_every_viewport()


@pytest.mark.parametrize("name", ["overview", "partnership"])
def test_staff_pages_accessible(tab: Tab, sign_in: Callable[[User], None], partnership, name):
    sign_in(partnership.team)
    kwargs = {"partnership_id": partnership.pk} if name == "partnership" else {}

    tab.goto(reverse(f"partnerships_staff:{name}", kwargs=kwargs))

    assert partnership.title in tab.page.locator("main").inner_text()
    tab.assert_accessible_at_every_viewport()
