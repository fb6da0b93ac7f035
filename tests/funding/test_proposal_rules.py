"""Rules found missing in the first slice's review: one live proposal per person per call (also
when two requests race), and the researcher role checked again at every save and send."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from coprod.enums import Role
from coprod.models import RoleGrant, london_today
from funding.enums import ProposalStatus
from funding.models import Proposal
from funding.services import calls as calls_service
from funding.services import save_proposal, start_proposal, submit_proposal
from tests.factories.funding import CallFactory, ProposalFactory, make_researcher

pytestmark = pytest.mark.django_db

ALREADY = "You already have a proposal for this call."
FULL = {
    "title": "What helps",
    "summary": "We will ask survivors what helps them. We will pay them.",
    "description": "Two years of interviews.",
    "requested_amount": Decimal("20000.00"),
    "lived_experience_involvement": "Paid LEE co-researchers.",
}


def _no_longer_a_researcher(user) -> None:
    today = london_today()
    RoleGrant.objects.filter(person=user.person, role=Role.RESEARCHER).update(
        starts_on=today - timedelta(days=30), ends_on=today - timedelta(days=1)
    )


@pytest.mark.parametrize("status", [ProposalStatus.DRAFT, ProposalStatus.SUBMITTED])
def test_a_second_live_proposal_to_a_call_is_refused_with_a_clear_message(status):
    researcher = make_researcher()
    call = CallFactory()
    ProposalFactory(call=call, applicant=researcher.person, status=status)

    with pytest.raises(ValidationError) as error:
        start_proposal(call, by=researcher, title="Again")

    assert error.value.messages == [ALREADY]
    assert Proposal.objects.filter(call=call).count() == 1


def test_after_withdrawing_a_person_may_propose_again():
    researcher = make_researcher()
    call = CallFactory()
    ProposalFactory(call=call, applicant=researcher.person, status=ProposalStatus.WITHDRAWN)

    start_proposal(call, by=researcher, title="Again")

    assert Proposal.objects.filter(call=call, status=ProposalStatus.DRAFT).count() == 1


@pytest.mark.parametrize("model_check", [True, False], ids=["model check", "database only"])
def test_a_race_past_the_check_ends_in_the_same_clear_message(monkeypatch, model_check):
    researcher = make_researcher()
    call = CallFactory()
    real_set_fields = calls_service._set_fields

    def other_request_commits_now(proposal, fields):
        ProposalFactory(call=call, applicant=researcher.person, status=ProposalStatus.DRAFT)
        real_set_fields(proposal, fields)

    monkeypatch.setattr(calls_service, "_set_fields", other_request_commits_now)
    if not model_check:
        monkeypatch.setattr(Proposal, "validate_constraints", lambda self, exclude=None: None)

    with pytest.raises(ValidationError) as error:
        start_proposal(call, by=researcher, title="Again")

    # (The "other request" ran inside this one's transaction here, so it is rolled back too.)
    assert error.value.messages == [ALREADY]


def test_the_proposal_form_shows_the_race_s_message_not_a_server_error(client, monkeypatch):
    researcher = make_researcher()
    call = CallFactory()
    client.force_login(researcher)
    ProposalFactory(call=call, applicant=researcher.person, status=ProposalStatus.DRAFT)
    # The page found no draft of theirs (the other request had not committed yet).
    monkeypatch.setattr("funding.views.proposals._own_draft", lambda call, user: None)

    response = client.post(
        reverse("funding:propose", args=[call.pk]), {"title": "Again", "save": ""}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [ALREADY]
    assert Proposal.objects.filter(call=call).count() == 1


def test_a_person_whose_proposal_is_sent_is_taken_to_it(client):
    researcher = make_researcher()
    call = CallFactory()
    sent = ProposalFactory(call=call, applicant=researcher.person)
    client.force_login(researcher)

    form = client.get(reverse("funding:propose", args=[call.pk]))
    page = client.get(reverse("funding:call", args=[call.pk])).content.decode()

    assert form["Location"] == reverse("funding:proposal", args=[sent.pk])
    assert reverse("funding:proposal", args=[sent.pk]) in page
    assert reverse("funding:propose", args=[call.pk]) not in page


def test_the_call_page_takes_a_person_with_a_draft_to_it(client):
    researcher = make_researcher()
    call = CallFactory()
    ProposalFactory(call=call, applicant=researcher.person, status=ProposalStatus.DRAFT)
    client.force_login(researcher)

    page = client.get(reverse("funding:call", args=[call.pk])).content.decode()

    assert "Continue your proposal" in page
    assert reverse("funding:propose", args=[call.pk]) in page


def test_saving_a_draft_needs_the_person_to_be_a_researcher_still():
    researcher = make_researcher()
    draft = start_proposal(CallFactory(), by=researcher, title="Working title")
    _no_longer_a_researcher(researcher)

    with pytest.raises(ValidationError) as error:
        save_proposal(draft, by=researcher, title="Changed")

    assert error.value.code == "not_researcher"
    assert Proposal.objects.get().title == "Working title"


def test_sending_needs_the_person_to_be_a_researcher_still():
    researcher = make_researcher()
    draft = start_proposal(CallFactory(), by=researcher, **FULL)
    _no_longer_a_researcher(researcher)

    with pytest.raises(ValidationError) as error:
        submit_proposal(draft, by=researcher)

    assert error.value.code == "not_researcher"
    assert Proposal.objects.get().status == ProposalStatus.DRAFT
