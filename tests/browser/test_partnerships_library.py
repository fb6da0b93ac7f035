"""The library in a real browser: axe (0 violations) at desktop and 320 px for the library with
a search, and for the "Propose a resource" form before and after sending it with errors (the
error summary takes focus and its links move focus to the fields); no sideways scrolling."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partnerships.enums import ResourceKind
from tests.browser.support import Tab
from tests.factories.core import make_person
from tests.factories.partnerships import PartnershipFactory, ResourceFactory, TagFactory
from tests.partnerships.library_support import contribute

pytestmark = pytest.mark.browser


@pytest.fixture
def library_tab(member_tab: Tab, settings, tmp_path) -> Tab:
    settings.COPROD_PARTNERSHIP_FILES_ROOT = tmp_path
    partnership = PartnershipFactory(title="Safe work pathways")
    pay, access = TagFactory(name="Pay", slug="pay"), TagFactory(name="Access", slug="access")
    for index, kind in enumerate(ResourceKind):
        resource = ResourceFactory(
            title=f"Paying people fairly, part {index + 1}",
            kind=kind,
            summary="How to pay people with lived experience on the day.",
            partnership=partnership,
        )
        resource.tags.set([pay, access])
        contribute(resource, make_person(chosen_name="Tendai"), credited=True)
    return member_tab


def test_the_library_with_a_search_is_accessible(library_tab: Tab) -> None:
    library_tab.set_viewport("320px")

    library_tab.goto(f"{reverse('partnerships_library:library')}?q=paying&tag=pay&kind=")

    assert library_tab.page.locator("#main-content li h3").count() == 4
    assert library_tab.horizontal_overflow() == 0
    library_tab.assert_accessible_at_every_viewport()


def test_the_search_form_works_with_the_keyboard(library_tab: Tab) -> None:
    library_tab.goto(reverse("partnerships_library:library"))
    page = library_tab.page

    page.locator("#id_q").focus()
    page.keyboard.type("paying")
    page.locator("#id_kind").select_option("lessons")
    page.locator("#id_kind").focus()
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.locator("#main-content li h3").all_inner_texts() == ["Paying people fairly, part 2"]
    assert "q=paying" in page.url


def test_the_propose_form_is_accessible(member_tab: Tab) -> None:
    member_tab.set_viewport("320px")

    member_tab.goto(reverse("partnerships_library:propose"))

    assert member_tab.horizontal_overflow() == 0
    member_tab.assert_accessible_at_every_viewport()


def test_the_propose_form_with_errors_is_accessible_and_focus_moves(member_tab: Tab) -> None:
    member_tab.set_viewport("320px")
    member_tab.goto(reverse("partnerships_library:propose"))
    with member_tab.page.expect_navigation():
        member_tab.page.locator("#main-content form [type=submit]").first.click()
    member_tab.assert_no_problems()

    focused_on_load = member_tab.focused()
    focused_after_click = []
    for href in member_tab.error_summary_links():
        member_tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(member_tab.focused()["id"])

    assert member_tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert focused_after_click == ["id_title", "id_kind_1", "id_summary", "id_body", "id_credit_1"]
    assert member_tab.horizontal_overflow() == 0
    member_tab.assert_accessible_at_every_viewport()
