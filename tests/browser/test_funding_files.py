"""Proposal files in a real browser: the proposal form with a file refused (axe at desktop and
320 px, the error summary moving focus to the file picker), and the form and the sent proposal
with files attached. Also the staff pages of calls (at desktop size: staff work at a desk)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.urls import reverse

from coprod.enums import Role
from coprod.models import User
from coprod.services.people import create_person, create_user_for_person
from coprod.services.roles import grant_role
from funding.enums import ProposalStatus
from funding.models import ProposalAttachment
from funding.services import keep_proposal
from tests.browser.support import Tab
from tests.factories.funding import CallFactory, ProposalFactory, make_funding_staff
from tests.funding.files import PNG, pdf_upload

pytestmark = pytest.mark.browser

FIELDS = {
    "title": "Safer housing",
    "summary": "We will ask survivors what helps. We will pay them.",
    "description": "Two years of interviews.",
    "requested_amount": "20000",
    "lived_experience_involvement": "Paid co-researchers.",
}


@pytest.fixture
def researcher_tab(tab: Tab, sign_in: Callable[[User], None], staff_user: User) -> Tab:
    person = create_person(chosen_name="Rae")
    grant_role(person, Role.RESEARCHER, by=staff_user)
    researcher = create_user_for_person(
        person, email="rae.files@example.org", password="a long test password", email_verified=True
    )
    tab.researcher = researcher  # type: ignore[attr-defined]
    sign_in(researcher)
    return tab


def _with_a_file(researcher: User, *, send: bool):
    return keep_proposal(
        CallFactory(title="Safer housing research"),
        by=researcher,
        draft=None,
        fields=FIELDS,
        files=[pdf_upload("our plan.pdf")],
        send=send,
    )


def test_proposal_form_with_a_file_refused_accessible_and_focus_moves(researcher_tab: Tab) -> None:
    call = CallFactory(title="Safer housing research")
    researcher_tab.set_viewport("320px")
    researcher_tab.goto(reverse("funding:propose", kwargs={"call_id": call.pk}))
    page = researcher_tab.page
    page.fill("#id_title", "Safer housing")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "plan.pdf", "mimeType": "application/pdf", "buffer": PNG}],
    )
    with page.expect_navigation():
        page.locator("#main-content form button[name=save]").click()
    researcher_tab.assert_no_problems()

    focused_on_load = researcher_tab.focused()
    links = researcher_tab.error_summary_links()
    page.locator(f'.govuk-error-summary__list a[href="{links[0]}"]').click()

    assert page.title().startswith("Error:")
    assert "govuk-error-summary" in focused_on_load["classes"]
    assert researcher_tab.focused()["id"] == "id_attachments"
    assert (
        "“plan.pdf” is not a PDF or a Word document" in page.locator("#main-content").inner_text()
    )
    researcher_tab.assert_accessible_at_every_viewport()


@pytest.mark.parametrize("name", ["proposal form with a file", "sent proposal with a file"])
def test_pages_with_files_accessible(researcher_tab: Tab, name: str) -> None:
    researcher = researcher_tab.researcher
    sent = name.startswith("sent")
    proposal = _with_a_file(researcher, send=sent)
    url = (
        reverse("funding:proposal", kwargs={"proposal_id": proposal.pk})
        if sent
        else reverse("funding:propose", kwargs={"call_id": proposal.call_id})
    )
    researcher_tab.set_viewport("320px")

    researcher_tab.goto(url)

    assert proposal.status == (ProposalStatus.SUBMITTED if sent else ProposalStatus.DRAFT)
    assert researcher_tab.page.get_by_role("link", name="our plan.pdf").is_visible()
    researcher_tab.assert_accessible_at_every_viewport()


@pytest.mark.parametrize("name", ["calls", "call"])
def test_staff_call_page_accessible(tab: Tab, sign_in: Callable[[User], None], name: str) -> None:
    sign_in(make_funding_staff())
    call = CallFactory(title="Safer housing research")
    proposal = ProposalFactory(call=call, title="What helps")
    ProposalAttachment.objects.create(
        proposal=proposal,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
    )
    path = (
        reverse("funding_calls:list")
        if name == "calls"
        else reverse("funding_calls:call", kwargs={"call_id": call.pk})
    )

    tab.goto(path)

    assert tab.page.locator("h1").count() == 1
    tab.assert_accessible("desktop")
