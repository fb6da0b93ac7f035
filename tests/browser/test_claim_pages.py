"""The staff pages for claims in a real browser: axe finds nothing on the queue, the timeliness
page and a claim (also with an error shown), at desktop size (staff work at a desk; the tables
are wide)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from coprod.enums import StaffGroup
from coprod.models import User
from recruitment.enums import ClaimStatus
from recruitment.models import HonorariumClaim
from tests.browser.support import Tab
from tests.factories.core import make_staff
from tests.factories.recruitment import claim_in

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_tab(tab: Tab, sign_in: Callable[[User], None]) -> Tab:
    sign_in(make_staff(StaffGroup.ENGAGEMENT, StaffGroup.FINANCE))
    return tab


def _claims() -> HonorariumClaim:
    claim_in(ClaimStatus.PAID)
    claim_in(ClaimStatus.APPROVED)
    return claim_in(ClaimStatus.SUBMITTED)


@pytest.mark.parametrize(
    "page",
    ["queue", "late", "paid", "timeliness", "claim"],
)
def test_claim_staff_page_accessible(staff_tab: Tab, page: str) -> None:
    claim = _claims()
    path = {
        "queue": reverse("recruitment:claims"),
        "late": reverse("recruitment:claims_in_state", kwargs={"state": "late"}),
        "paid": reverse("recruitment:claims_in_state", kwargs={"state": "paid"}),
        "timeliness": reverse("recruitment:claims_timeliness"),
        "claim": reverse("recruitment:claim", kwargs={"pk": claim.pk}),
    }[page]

    staff_tab.goto(path)

    assert staff_tab.page.locator("h1").count() == 1
    staff_tab.assert_accessible("desktop")


def test_claim_query_without_a_question_shows_an_accessible_error(staff_tab: Tab) -> None:
    claim = _claims()
    staff_tab.goto(reverse("recruitment:claim", kwargs={"pk": claim.pk}))

    with staff_tab.page.expect_navigation():
        staff_tab.page.locator("#query [type=submit]").click()

    assert staff_tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in staff_tab.focused()["classes"]
    assert staff_tab.error_summary_links() == ["#id_question"]
    staff_tab.assert_accessible("desktop")
