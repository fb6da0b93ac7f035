"""The participant portal in a real browser: axe at desktop and 320 px wide, before and after a
form is sent with errors, and what axe cannot check (focus, sideways scrolling)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from coprod.enums import StaffGroup
from coprod.models import User
from coprod.services.rights import request_erasure
from recruitment.enums import ClaimStatus
from recruitment.services import query_claim, send_claim_with_receipts
from tests.browser.support import Tab
from tests.factories.core import make_staff
from tests.factories.recruitment import claim_in, completed_engagement, eligible, standard_rates
from tests.recruitment.receipts import NOT_A_RECEIPT, pdf_upload

pytestmark = pytest.mark.browser

PORTAL_PAGES = {
    "home": reverse("portal:home"),
    "profile": reverse("portal:profile"),
    "contact": reverse("portal:contact"),
    "consents": reverse("portal:consents"),
    "consent": reverse("portal:consent", kwargs={"purpose": "contact"}),
    "involvement": reverse("portal:involvement"),
    "messages": reverse("portal:messages"),
    "support": reverse("portal:support"),
    "my information": reverse("portal:my_data"),
    "leave": reverse("portal:leave"),
    "leave confirm (erase)": reverse("portal:leave_confirm") + "?choice=erase",
    "leave confirm (withdraw)": reverse("portal:leave_confirm") + "?choice=withdraw",
    "paid work": reverse("paid_work:list"),
    "claim": "claim",  # made for each test: see _url
    "claim (queried, with a receipt)": "claim",
}


def _paid_work(member: User) -> None:
    """Work in each state the list shows: paid, waiting, and one to claim."""
    claim_in(ClaimStatus.PAID, person=member.person)
    claim_in(ClaimStatus.SUBMITTED, person=member.person)


def _queried_with_a_receipt(member: User) -> str:
    """A claim the member sent with a receipt, sent back with staff's question."""
    standard_rates()
    eligible(member.person)
    engagement = completed_engagement(member.person, title="Panel for call 7")
    send_claim_with_receipts(
        engagement,
        by=member,
        method="bank_transfer",
        expenses="6.40",
        expenses_note="Bus",
        receipts=[pdf_upload("bus ticket.pdf")],
    )
    query_claim(
        engagement.claim,
        by=make_staff(StaffGroup.ENGAGEMENT),
        question="Please add the receipt for the train as well.",
    )
    return reverse("paid_work:claim", kwargs={"engagement_id": engagement.pk})


def _url(name: str, member: User) -> str:
    """The page's address; the claim page is for one of the member's own engagements."""
    if name == "claim (queried, with a receipt)":
        return _queried_with_a_receipt(member)
    if name.startswith("claim"):
        engagement = completed_engagement(member.person, title="Panel for call 7")
        return reverse("paid_work:claim", kwargs={"engagement_id": engagement.pk})
    if name == "paid work":
        _paid_work(member)
    return PORTAL_PAGES[name]


def _empty_display_name(page: Page) -> None:
    page.fill("#id_chosen_name", "")


def _no_channels_and_do_not_wait(page: Page) -> None:
    for checkbox in page.locator("input[name=channels]").all():
        checkbox.uncheck()
    page.check("input[name=person_initiates_only][value=no]")


def _no_answer(page: Page) -> None:
    pass


def _not_a_receipt(page: Page) -> None:
    """A way of being paid chosen, and a file named like a PDF that is not one."""
    page.locator("input[name=method]").first.check()
    page.set_input_files(
        "#id_receipts",
        files=[{"name": "ticket.pdf", "mimeType": "application/pdf", "buffer": NOT_A_RECEIPT}],
    )


# Form page, how to get it wrong, and where each error summary link must take focus.
INVALID_FORMS: dict[str, tuple[Callable[[Page], None], list[str]]] = {
    "profile": (_empty_display_name, ["id_chosen_name"]),
    "contact": (_no_channels_and_do_not_wait, ["id_channels_1"]),
    "consent": (_no_answer, ["id_answer_1"]),
    "involvement": (_no_answer, ["id_confirm_1"]),
    "leave": (_no_answer, ["id_choice_1"]),
    "leave confirm (erase)": (_no_answer, ["id_confirm_1"]),
    "claim": (_no_answer, ["id_method_1"]),
    "claim (receipt of the wrong kind)": (_not_a_receipt, ["id_receipts"]),
}


def _send_with_errors(tab: Tab, name: str, member: User) -> list[str]:
    make_invalid, expected_targets = INVALID_FORMS[name]
    tab.goto(_url(name, member))
    make_invalid(tab.page)
    with tab.page.expect_navigation():
        tab.page.locator("#main-content form [type=submit]").click()
    tab.assert_no_problems()
    return expected_targets


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_portal_page_accessible(member_tab: Tab, member: User, name: str) -> None:
    member_tab.set_viewport("320px")

    member_tab.goto(_url(name, member))

    assert member_tab.page.locator(".govuk-exit-this-page__button").is_visible()
    member_tab.assert_accessible_at_every_viewport()


@pytest.mark.parametrize("name", INVALID_FORMS)
def test_portal_form_with_errors_accessible(member_tab: Tab, member: User, name: str) -> None:
    member_tab.set_viewport("320px")

    _send_with_errors(member_tab, name, member)

    assert member_tab.page.title().startswith("Error:")
    member_tab.assert_accessible_at_every_viewport()


@pytest.mark.parametrize("name", INVALID_FORMS)
def test_portal_error_summary_moves_focus(member_tab: Tab, member: User, name: str) -> None:
    expected_targets = _send_with_errors(member_tab, name, member)

    focused_on_load = member_tab.focused()
    links = member_tab.error_summary_links()
    focused_after_click = []
    for href in links:
        member_tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(member_tab.focused())

    assert "govuk-error-summary" in focused_on_load["classes"]
    assert links == [f"#{target}" for target in expected_targets]
    assert [element["id"] for element in focused_after_click] == expected_targets
    assert all(element["tag"] in {"input", "textarea", "select"} for element in focused_after_click)


def test_pending_erasure_request_page_accessible(member_tab: Tab, member) -> None:
    request_erasure(member.person, by=member)
    member_tab.set_viewport("320px")

    member_tab.goto(reverse("portal:leave"))

    assert member_tab.page.get_by_role("button", name="Cancel my request").is_visible()
    member_tab.assert_accessible_at_every_viewport()


# Getting started (onboarding checklist and training) -------------------------------------------
from datetime import date  # noqa: E402

from coprod.audit import SystemActor  # noqa: E402
from recruitment.models import TrainingModule  # noqa: E402
from recruitment.services import (  # noqa: E402
    record_agreement_signed,
    record_training_completion,
    start_onboarding,
)


@pytest.mark.parametrize("started", [True, False], ids=["steps open", "not started"])
def test_getting_started_page_accessible(member_tab: Tab, member: User, started: bool) -> None:
    actor = SystemActor("test")
    if started:
        start_onboarding(member.person, by=actor)
        record_agreement_signed(member.person, by=actor, signed_on=date(2026, 4, 3))
        module = TrainingModule.objects.create(name="Induction")
        record_training_completion(member.person, module, by=actor, completed_on=date(2026, 4, 1))
    member_tab.set_viewport("320px")

    member_tab.goto(reverse("onboarding:checklist"))

    heading = member_tab.page.get_by_role("heading", name="What to do next")
    assert heading.is_visible() is started
    member_tab.assert_accessible_at_every_viewport()
