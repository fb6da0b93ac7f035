"""The self-assessment in a real browser: axe (0 violations) at desktop and 320 px for the form,
before and after sending it with questions unanswered (the error summary takes focus and its
links move focus to each question's first answer), answering with the keyboard alone, and the
results page with its chart (an SVG with a text alternative, and the table beside it)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from coprod.models import User
from partnerships.enums import CoproductionValue, PartnershipRole
from partnerships.models import AssessmentAnswer, AssessmentParticipation
from partnerships.services.assessment import close_round
from tests.browser.support import Tab
from tests.factories.partnerships import AssessmentRoundFactory, PartnershipFactory, add_member
from tests.partnerships.assessment import answered_by

pytestmark = pytest.mark.browser


@pytest.fixture
def form_tab(tab: Tab, sign_in: Callable[[User], None], member: User) -> Tab:
    """Ama, an LEE member of a partnership with an open round."""
    round_ = AssessmentRoundFactory(partnership__title="Survivor voices", title="Spring")
    add_member(round_.partnership, member.person, PartnershipRole.LEE)
    tab.form_url = reverse("partnerships_assessment:answer", kwargs={"round_id": round_.pk})  # type: ignore[attr-defined]
    sign_in(member)
    return tab


def test_assessment_form_accessible(form_tab: Tab) -> None:
    form_tab.set_viewport("320px")

    form_tab.goto(form_tab.form_url)

    assert form_tab.page.locator("input[type=radio]").count() == 25
    assert form_tab.page.locator("fieldset legend").count() == 5
    form_tab.assert_accessible_at_every_viewport()


def test_assessment_form_with_errors_accessible_and_focus_moves(form_tab: Tab) -> None:
    form_tab.set_viewport("320px")
    form_tab.goto(form_tab.form_url)
    form_tab.page.locator("#id_value_people_3").check()
    with form_tab.page.expect_navigation():
        form_tab.page.locator("#main-content form [type=submit]").first.click()
    form_tab.assert_no_problems()

    focused_on_load = form_tab.focused()
    focused_after_click = []
    for href in form_tab.error_summary_links():
        form_tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(form_tab.focused()["id"])

    assert form_tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert focused_after_click == [f"id_{value}_1" for value in CoproductionValue.values[1:]]
    assert AssessmentParticipation.objects.count() == 0
    form_tab.assert_accessible_at_every_viewport()


def test_assessment_answered_with_the_keyboard_alone(form_tab: Tab) -> None:
    form_tab.goto(form_tab.form_url)
    page = form_tab.page

    page.locator("#id_value_people_1").focus()
    for _question in CoproductionValue.values:
        page.keyboard.press("ArrowRight")  # the second answer: "A little" ... then on
        page.keyboard.press("ArrowRight")  # the third: "Somewhat"
        page.keyboard.press("Tab")  # the comment box
        page.keyboard.press("Tab")  # the next question (or the button)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert sorted(set(AssessmentAnswer.objects.values_list("rating", flat=True))) == [3]
    assert "Thank you for your answers" in page.locator("main").inner_text()


def test_results_page_with_the_chart_accessible(
    tab: Tab, sign_in: Callable[[User], None], member: User
) -> None:
    partnership = PartnershipFactory(title="Survivor voices")
    add_member(partnership, member.person, PartnershipRole.LEE)
    for title, rating in [("Spring", 2), ("Autumn", 4)]:
        round_ = AssessmentRoundFactory(partnership=partnership, title=title)
        for _ in range(3):
            answered_by(round_, PartnershipRole.LEE, rating)
        close_round(round_, by=partnership.lead)
    sign_in(member)
    tab.set_viewport("320px")

    tab.goto(reverse("partnerships_assessment:results", kwargs={"partnership_id": partnership.pk}))

    # The chart's accessible name is its title; its description carries the numbers.
    chart = tab.page.get_by_role("img", name="Chart: the average answer for each of the five")
    assert chart.count() == 1
    assert "Build trust and share power: 2.0, 4.0." in chart.locator("desc").text_content()
    # The table: a row per value, a column per round (Spring, then Autumn).
    rows = tab.page.locator("#trend-table tbody tr")
    assert rows.count() == 5
    assert rows.first.locator("td").all_inner_texts() == ["2.0", "4.0"]
    tab.assert_accessible_at_every_viewport()
