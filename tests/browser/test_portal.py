"""The participant portal in a real browser: axe at desktop and 320 px wide, before and after a
form is sent with errors, and what axe cannot check (focus, sideways scrolling)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page

from coprod.enums import ContactChannel, Role, StaffGroup
from coprod.models import User
from coprod.services.contact import update_safe_contact
from coprod.services.people import create_person, create_user_for_person
from coprod.services.rights import request_erasure
from coprod.services.roles import grant_role
from recruitment.enums import ApplicationRoute, ApplicationStatus, ClaimStatus
from recruitment.models import Application
from recruitment.services import query_claim, send_claim_with_receipts
from tests.browser.support import Tab
from tests.factories.core import make_staff
from tests.factories.recruitment import (
    ApplicationFactory,
    OpportunityFactory,
    application_in,
    claim_in,
    completed_engagement,
    eligible,
    standard_rates,
)
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
    # Opportunities and applications: made for each test (OPPORTUNITY_PAGES).
    "opportunities": "opportunities",
    "opportunity": "opportunity",
    "apply": "apply",
    "your applications": "your applications",
    "withdraw": "withdraw",
    "offer": "offer",
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
    if name in OPPORTUNITY_PAGES:
        return OPPORTUNITY_PAGES[name](member)
    if name == "claim (queried, with a receipt)":
        return _queried_with_a_receipt(member)
    if name.startswith("claim"):
        engagement = completed_engagement(member.person, title="Panel for call 7")
        return reverse("paid_work:claim", kwargs={"engagement_id": engagement.pk})
    if name == "paid work":
        _paid_work(member)
    return PORTAL_PAGES[name]


def _opportunities(member: User) -> str:
    """Open opportunities, one the member has applied to."""
    OpportunityFactory(title="Survivor advisory panel", location="Leeds")
    application_in(ApplicationStatus.SUBMITTED, person=member.person)
    return reverse("opportunities:list")


def _opportunity(member: User) -> str:
    opportunity = OpportunityFactory(places=3)
    return reverse("opportunities:detail", kwargs={"opportunity_id": opportunity.pk})


def _apply(member: User) -> str:
    return reverse("opportunities:apply", kwargs={"opportunity_id": OpportunityFactory().pk})


def _your_applications(member: User) -> str:
    """One in each shape the list shows: a draft, an offer, one that ended with feedback."""
    ApplicationFactory(person=member.person)
    application_in(ApplicationStatus.OFFERED, person=member.person)
    application_in(
        ApplicationStatus.UNSUCCESSFUL, person=member.person, feedback="Apply again in spring."
    )
    return reverse("opportunities:applications")


def _withdraw(member: User) -> str:
    application = application_in(ApplicationStatus.SUBMITTED, person=member.person)
    return reverse("opportunities:withdraw", kwargs={"application_id": application.pk})


def _offer(member: User) -> str:
    application = application_in(ApplicationStatus.OFFERED, person=member.person)
    return reverse("opportunities:offer", kwargs={"application_id": application.pk})


OPPORTUNITY_PAGES: dict[str, Callable[[User], str]] = {
    "opportunities": _opportunities,
    "opportunity": _opportunity,
    "apply": _apply,
    "your applications": _your_applications,
    "withdraw": _withdraw,
    "offer": _offer,
}


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
    "apply": (_no_answer, ["id_why_interested", "id_what_they_bring", "id_safe_contact"]),
    "offer": (_no_answer, ["id_answer_1"]),
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


# A practitioner's pages: referring someone, and their referrals.


@pytest.fixture
def practitioner_tab(tab: Tab, sign_in: Callable[[User], None], staff_user: User) -> Tab:
    person = create_person(chosen_name="Pat")
    grant_role(person, Role.PRACTITIONER, by=staff_user)
    practitioner = create_user_for_person(
        person, email="pat@example.org", password="a long test password", email_verified=True
    )
    supported = create_person(chosen_name="Mira")
    update_safe_contact(
        supported,
        by=staff_user,
        confirm=True,
        channels=[ContactChannel.SUPPORT_WORKER],
        support_worker=person,
    )
    tab.practitioner = practitioner  # type: ignore[attr-defined]
    sign_in(practitioner)
    return tab


def _referral(practitioner: User) -> Application:
    return application_in(
        ApplicationStatus.SUBMITTED,
        route=ApplicationRoute.REFERRAL,
        referred_by=practitioner.person,
        consent_confirmed_at=timezone.now(),
    )


def _practitioner_url(name: str, practitioner: User) -> str:
    if name == "refer":
        opportunity = OpportunityFactory()
        return reverse("opportunities:refer", kwargs={"opportunity_id": opportunity.pk})
    referral = _referral(practitioner)
    if name == "referrals":
        return reverse("opportunities:referrals")
    return reverse("opportunities:referral", kwargs={"application_id": referral.pk})


@pytest.mark.parametrize("name", ["refer", "referrals", "referral"])
def test_practitioner_page_accessible(practitioner_tab: Tab, name: str) -> None:
    practitioner_tab.set_viewport("320px")

    practitioner_tab.goto(_practitioner_url(name, practitioner_tab.practitioner))

    assert practitioner_tab.page.locator(".govuk-exit-this-page__button").is_visible()
    practitioner_tab.assert_accessible_at_every_viewport()


def test_referral_form_with_errors_accessible_and_focus_moves(practitioner_tab: Tab) -> None:
    practitioner_tab.set_viewport("320px")
    practitioner_tab.goto(_practitioner_url("refer", practitioner_tab.practitioner))
    with practitioner_tab.page.expect_navigation():
        practitioner_tab.page.locator("#main-content form [type=submit]").click()
    practitioner_tab.assert_no_problems()

    focused_on_load = practitioner_tab.focused()
    links = practitioner_tab.error_summary_links()
    focused_after_click = []
    for href in links:
        practitioner_tab.page.locator(f'.govuk-error-summary__list a[href="{href}"]').click()
        focused_after_click.append(practitioner_tab.focused()["id"])

    assert practitioner_tab.page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    expected = [
        "id_person_1",
        "id_consent",
        "id_why_interested",
        "id_what_they_bring",
        "id_safe_contact",
    ]
    assert focused_after_click == expected
    practitioner_tab.assert_accessible_at_every_viewport()


def _tab_to_link(tab: Tab, href: str, *, limit: int = 40) -> None:
    for _ in range(limit):
        tab.page.keyboard.press("Tab")
        if tab.focused()["href"] == href:
            return
    raise AssertionError(f"no link to {href} in {limit} presses of Tab")


def test_application_keyboard_only_from_the_list_to_sent(member_tab: Tab, member: User) -> None:
    opportunity = OpportunityFactory(title="Survivor advisory panel")
    detail = reverse("opportunities:detail", kwargs={"opportunity_id": opportunity.pk})
    keyboard = member_tab.page.keyboard
    member_tab.goto(reverse("opportunities:list"))

    _tab_to_link(member_tab, detail)
    with member_tab.page.expect_navigation():
        keyboard.press("Enter")
    _tab_to_link(
        member_tab, reverse("opportunities:apply", kwargs={"opportunity_id": opportunity.pk})
    )
    with member_tab.page.expect_navigation():
        keyboard.press("Enter")
    for _ in range(30):
        if member_tab.focused()["id"] == "id_why_interested":
            break
        keyboard.press("Tab")
    stops = [member_tab.focused()["id"]]
    for text in ["I want change", "I know the system", "", "Text me mornings"]:
        keyboard.type(text)
        keyboard.press("Tab")
        stops.append(member_tab.focused()["id"])
    with member_tab.page.expect_navigation():
        keyboard.press("Enter")

    assert stops == [
        "id_why_interested",
        "id_what_they_bring",
        "id_support_needs",
        "id_safe_contact",
        "id_send",
    ]
    assert member_tab.page.url == member_tab.url(reverse("opportunities:applications"))
    sent = Application.objects.get(opportunity=opportunity)
    assert (sent.person, sent.status, sent.safe_contact) == (
        member.person,
        ApplicationStatus.SUBMITTED,
        "Text me mornings",
    )
