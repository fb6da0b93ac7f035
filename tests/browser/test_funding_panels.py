"""The panel member's pages in a real browser: the confidentiality terms and the conflict
declaration (also with errors shown, the error summary moving focus to each field), with axe at
desktop and 320 px wide; and the declaration done with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from coprod.enums import Role
from coprod.models import User
from coprod.services.people import create_person, create_user_for_person
from coprod.services.roles import grant_role
from funding.enums import ConflictCategory, ConflictDecision, PanelRole
from funding.models import ConflictDeclaration, PanelMember, Review
from funding.services import accept_confidentiality, answer_field
from tests.browser.support import Tab
from tests.factories.core import make_person
from tests.factories.funding import PanelFactory, ProposalFactory, make_funding_staff, seat

pytestmark = pytest.mark.browser


@pytest.fixture
def seat_tab(tab: Tab, sign_in: Callable[[User], None], staff_user: User) -> Tab:
    """An LEE on a panel whose call has two proposals; terms not accepted yet."""
    person = create_person(chosen_name="Lina")
    grant_role(person, Role.LEE, by=staff_user)
    user = create_user_for_person(
        person, email="lina@example.org", password="a long test password", email_verified=True
    )
    panel = PanelFactory(call__title="Safer housing research")
    tab.proposals = [  # type: ignore[attr-defined]
        ProposalFactory(
            call=panel.call,
            title=title,
            team="Dr Ahmed, Dr Brown",
            applicant=make_person(roles=[Role.RESEARCHER], chosen_name=name),
        )
        for title, name in (("Housing after exploitation", "Robin"), ("Work and rest", "Kit"))
    ]
    tab.member = PanelMember.objects.create(  # type: ignore[attr-defined]
        panel=panel, person=person, role=PanelRole.LEE
    )
    sign_in(user)
    return tab


def _declare_url(tab: Tab) -> str:
    return reverse("funding_panel:declare", kwargs={"member_id": tab.member.pk})


def test_confidentiality_terms_page_accessible(seat_tab: Tab) -> None:
    seat_tab.set_viewport("320px")

    seat_tab.goto(reverse("funding_panel:seat", kwargs={"member_id": seat_tab.member.pk}))

    assert seat_tab.page.locator("#terms").is_visible()
    assert "Housing after exploitation" not in seat_tab.page.content()
    seat_tab.assert_accessible_at_every_viewport()


def test_declaration_page_accessible(seat_tab: Tab) -> None:
    accept_confidentiality(seat_tab.member, by=seat_tab.member.person.user)
    seat_tab.set_viewport("320px")

    seat_tab.goto(_declare_url(seat_tab))

    assert seat_tab.page.locator("legend", has_text="Housing after exploitation").is_visible()
    seat_tab.assert_accessible_at_every_viewport()


def test_declaration_with_errors_accessible_and_focus_moves(seat_tab: Tab) -> None:
    accept_confidentiality(seat_tab.member, by=seat_tab.member.person.user)
    first, second = seat_tab.proposals
    seat_tab.set_viewport("320px")
    seat_tab.goto(_declare_url(seat_tab))
    seat_tab.page.locator(f"#id_{answer_field(second.pk, 'conflict')}_2").check()
    with seat_tab.page.expect_navigation():
        seat_tab.page.locator("#main-content form [type=submit]").first.click()

    focused_on_load = seat_tab.focused()
    focused_after_click = []
    for href in seat_tab.error_summary_links():
        seat_tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(seat_tab.focused()["id"])

    assert seat_tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert focused_after_click == [
        f"id_{answer_field(first.pk, 'conflict')}_1",
        f"id_{answer_field(second.pk, 'category')}",
        f"id_{answer_field(second.pk, 'description')}",
    ]
    assert not ConflictDeclaration.objects.exists()
    seat_tab.assert_accessible_at_every_viewport()


def test_declaration_with_the_keyboard_alone(seat_tab: Tab) -> None:
    accept_confidentiality(seat_tab.member, by=seat_tab.member.person.user)
    first, second = seat_tab.proposals
    seat_tab.goto(_declare_url(seat_tab))
    page = seat_tab.page

    page.locator(f"#id_{answer_field(first.pk, 'conflict')}_1").focus()
    page.keyboard.press("Space")
    page.locator(f"#id_{answer_field(second.pk, 'conflict')}_1").focus()
    page.keyboard.press("Space")
    page.locator("#main-content form [type=submit]").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert set(
        ConflictDeclaration.objects.filter(member=seat_tab.member).values_list(
            "proposal_id", "conflicted"
        )
    ) == {(first.pk, False), (second.pk, False)}


@pytest.mark.parametrize("page", ["panel", "assignments", "decide"])
def test_staff_panel_pages_accessible(tab: Tab, sign_in: Callable[[User], None], page: str) -> None:
    panel = PanelFactory(call__title="Safer housing research")
    proposal = ProposalFactory(call=panel.call, title="Housing after exploitation")
    lee = seat(panel, PanelRole.LEE, is_chair=True)
    seat(panel, PanelRole.RESEARCHER)
    Review.objects.create(member=lee, proposal=proposal)
    declaration = ConflictDeclaration.objects.get(member=lee, proposal=proposal)
    ConflictDeclaration.objects.filter(pk=declaration.pk).update(
        conflicted=True,
        category=ConflictCategory.USED_SERVICES,
        description="I used their advice line.",
        decision=ConflictDecision.PENDING,
    )
    sign_in(make_funding_staff())
    urls = {
        "panel": reverse("funding_panels:panel", kwargs={"panel_id": panel.pk}),
        "assignments": reverse("funding_panels:assignments", kwargs={"panel_id": panel.pk}),
        "decide": reverse(
            "funding_panels:decide",
            kwargs={"panel_id": panel.pk, "declaration_id": declaration.pk},
        ),
    }

    tab.goto(urls[page])

    headings = {"panel": "Panel", "assignments": "Assign reviewers", "decide": "Decide a conflict"}
    assert tab.page.locator("h1").inner_text() == headings[page]
    tab.assert_accessible_at_every_viewport()
