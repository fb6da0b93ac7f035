"""The portal's funding pages: what they show, and what each form does."""

from __future__ import annotations

import time
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from coprod.enums import Role
from coprod.models import FormDraft
from funding.enums import CallStatus, Eligibility, ProposalStatus
from funding.models import Call, Proposal
from tests.factories.core import make_user
from tests.factories.funding import CallFactory, ProposalFactory, make_researcher
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

SEND = {
    "title": "What helps",
    "summary": "We will ask survivors what helps. We will pay them.",
    "description": "Two years of interviews.",
    "requested_amount": "20000",
    "team": "Dr A",
    "lived_experience_involvement": "Paid co-researchers.",
    "send": "",
}


def test_a_researcher_sees_open_calls_only(client):
    CallFactory(title="Open call")
    CallFactory(title="Draft call", status=CallStatus.DRAFT)
    client.force_login(make_researcher())

    page = client.get("/portal/funding/").content.decode()

    assert "Open call" in page
    assert "Draft call" not in page


def test_the_portal_shows_funding_calls_to_researchers_only(client):
    client.force_login(make_researcher())
    # The link itself (an LEE sees "Funding panels", under /portal/funding/panel/).
    assert 'href="/portal/funding/"' in client.get("/portal/").content.decode()

    client.force_login(make_user(roles=[Role.LEE]))
    assert 'href="/portal/funding/"' not in client.get("/portal/").content.decode()


def test_a_researcher_sends_a_proposal(client):
    researcher = make_researcher()
    call = CallFactory()
    client.force_login(researcher)

    response = client.post(f"/portal/funding/{call.pk}/propose/", SEND, follow=True)

    proposal = Proposal.objects.get()
    assert proposal.applicant == researcher.person
    assert proposal.status == ProposalStatus.SUBMITTED
    assert proposal.requested_amount == Decimal("20000")
    assert "Your proposal is sent" in response.content.decode()


def test_saving_keeps_a_draft_and_shows_the_reading_hint(client):
    researcher = make_researcher()
    call = CallFactory()
    client.force_login(researcher)
    data = {**SEND, "summary": "We will ask. We will pay."}
    del data["send"]

    response = client.post(f"/portal/funding/{call.pk}/propose/", {**data, "save": ""}, follow=True)

    assert Proposal.objects.get().status == ProposalStatus.DRAFT
    page = response.content.decode()
    assert "This looks easy to read." in page
    assert "only a hint" in page


def test_sending_with_fields_missing_shows_errors_and_saves_nothing(client):
    client.force_login(make_researcher())
    call = CallFactory()

    response = client.post(f"/portal/funding/{call.pk}/propose/", {"title": "T", "send": ""})

    page = response.content.decode()
    assert "Enter a plain-language summary" in page
    assert "Say how people with lived experience will be involved and paid" in page
    assert Proposal.objects.count() == 0


def test_an_amount_over_the_budget_is_shown_as_an_error(client):
    client.force_login(make_researcher())
    call = CallFactory(budget=Decimal("100"))

    response = client.post(
        f"/portal/funding/{call.pk}/propose/", {**SEND, "requested_amount": "101"}
    )

    assert "more than the call&#x27;s budget" in response.content.decode()
    assert Proposal.objects.count() == 0


def test_sending_after_the_closing_time_is_refused_with_a_clear_message(client):
    researcher = make_researcher()
    call = CallFactory()
    client.force_login(researcher)
    draft = {k: v for k, v in SEND.items() if k != "send"}
    client.post(f"/portal/funding/{call.pk}/propose/", {**draft, "save": ""})
    Call.objects.filter(pk=call.pk).update(closes_at=timezone.now() - timedelta(seconds=1))

    response = client.post(f"/portal/funding/{call.pk}/propose/", SEND)

    page = response.content.decode()
    assert "Proposals can no longer be sent to it" in page
    assert "Your draft is still saved" in page
    assert Proposal.objects.get().status == ProposalStatus.DRAFT


def test_a_closed_call_is_hidden_from_researchers_without_a_proposal(client):
    call = CallFactory(closes_at=timezone.now() - timedelta(seconds=1))
    client.force_login(make_researcher())

    assert client.get(f"/portal/funding/{call.pk}/").status_code == 404


def test_your_proposals_shows_status_and_eligibility(client):
    researcher = make_researcher()
    ProposalFactory(
        applicant=researcher.person,
        title="Mine",
        eligibility=Eligibility.INELIGIBLE,
        ineligible_reason="Outside the UK",
    )
    ProposalFactory(title="Someone else's")
    client.force_login(researcher)

    page = client.get("/portal/funding/proposals/").content.decode()

    assert "Mine" in page
    assert "Not eligible: Outside the UK" in page
    assert "Someone else" not in page


def test_the_applicant_withdraws_after_confirming(client):
    researcher = make_researcher()
    proposal = ProposalFactory(applicant=researcher.person)
    client.force_login(researcher)

    assert (
        "Withdraw your proposal"
        in client.get(f"/portal/funding/proposals/{proposal.pk}/withdraw/").content.decode()
    )
    client.post(f"/portal/funding/proposals/{proposal.pk}/withdraw/", {"withdraw": ""})

    assert Proposal.objects.get().status == ProposalStatus.WITHDRAWN


def test_calls_list_queries_do_not_grow(client):
    client.force_login(make_researcher())

    count = assert_queries_do_not_grow(client, "/portal/funding/", lambda: CallFactory())

    # The page of rows (one query, the call joined) and the count for the pagination; the
    # session, login and roles come from the session cache.
    assert count == 2


def test_your_proposals_queries_do_not_grow(client):
    researcher = make_researcher()
    client.force_login(researcher)

    count = assert_queries_do_not_grow(
        client,
        "/portal/funding/proposals/",
        lambda: ProposalFactory(applicant=researcher.person),
    )

    # The page of rows (one query, the call joined) and the count for the pagination; the
    # session, login and roles come from the session cache.
    assert count == 2


def test_a_timed_out_proposal_comes_back_after_signing_in(client):
    researcher = make_researcher()
    call = CallFactory(closes_at=timezone.now() + timedelta(days=2))
    client.force_login(researcher)
    start = time.time()
    with time_machine.travel(start, tick=False):
        client.get(f"/portal/funding/{call.pk}/propose/")
    with time_machine.travel(start + 3 * 60 * 60, tick=False):
        client.post(f"/portal/funding/{call.pk}/propose/", {"summary": "Typed before the timeout"})
        client.force_login(researcher)

        page = client.get(f"/portal/funding/{call.pk}/propose/").content.decode()

    assert "Typed before the timeout" in page
    assert not FormDraft.objects.exists()
    assert not Proposal.objects.exists()
