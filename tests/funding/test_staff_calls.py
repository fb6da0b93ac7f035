"""Staff pages for funding calls: the list (status, dates, proposals sent) and a call's page
(facts, criteria with weights, the call's proposal list with display names, amounts,
eligibility and files), for funding staff only; their query counts do not grow."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from coprod.enums import Role, StaffGroup
from coprod.services.people import create_person
from funding.enums import CallStatus, Eligibility, ProposalStatus
from funding.models import ProposalAttachment
from tests.factories.core import make_staff, make_user
from tests.factories.funding import (
    CallFactory,
    CriterionFactory,
    ProposalFactory,
    make_funding_staff,
    make_researcher,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = make_funding_staff()
    client.force_login(user)
    return user


def _file(proposal) -> None:
    ProposalAttachment.objects.create(
        proposal=proposal,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
    )


def test_the_list_shows_each_call_with_its_status_and_proposals_sent(client, staff):
    call = CallFactory(title="Safer housing")
    CallFactory(title="Next year", status=CallStatus.DRAFT)
    ProposalFactory.create_batch(2, call=call)
    ProposalFactory(call=call, status=ProposalStatus.WITHDRAWN)
    ProposalFactory(call=call, status=ProposalStatus.DRAFT, submitted_at=None)

    response = client.get(reverse("funding_calls:list"))

    rows = {
        call.title: (call.get_status_display(), call.sent_count)
        for call in response.context["page"].items
    }
    assert rows == {"Safer housing": ("Open", 2), "Next year": ("Draft", 0)}
    assert reverse("funding_calls:call", args=[call.pk]) in response.content.decode()


def test_the_call_page_shows_facts_criteria_and_sent_proposals(client, staff):
    call = CallFactory(title="Safer housing", budget=Decimal("90000"))
    CriterionFactory(call=call, name="Sound method", weight=3)
    applicant = create_person(chosen_name="Dr Rae")
    applicant.legal_name = "Rachel Legalname"
    applicant.save()
    sent = ProposalFactory(
        call=call,
        applicant=applicant,
        title="What helps",
        requested_amount=Decimal("12500"),
        eligibility=Eligibility.ELIGIBLE,
    )
    _file(sent)
    _file(sent)
    ProposalFactory(call=call, title="Not sent yet", status=ProposalStatus.DRAFT)

    response = client.get(reverse("funding_calls:call", args=[call.pk]))

    page = response.content.decode()
    assert "£90000.00" in page
    assert "Sound method" in page
    [row] = response.context["page"].items
    assert (row.title, row.applicant_name, row.requested_amount, row.files_count) == (
        "What helps",
        "Dr Rae",
        Decimal("12500.00"),
        2,
    )
    assert "Eligible" in page
    assert reverse("admin:funding_proposal_change", args=[sent.pk]) in page
    assert "Not sent yet" not in page
    assert "Legalname" not in page
    assert 'id="call-pages"' in page


@pytest.mark.parametrize(
    "user",
    [
        lambda: make_staff(StaffGroup.ENGAGEMENT),
        lambda: make_researcher(),
        lambda: make_user(roles=[Role.PWLE, Role.LEE]),
    ],
    ids=["other staff", "researcher", "lee"],
)
def test_only_funding_staff_open_the_call_pages(client, user):
    call = CallFactory()
    client.force_login(user())

    answers = [
        client.get(reverse("funding_calls:list")).status_code,
        client.get(reverse("funding_calls:call", args=[call.pk])).status_code,
    ]

    assert answers == [403, 403]


def test_the_staff_home_links_to_the_call_pages_for_funding_staff(client, staff):
    page = client.get(reverse("staff:home")).content.decode()

    assert reverse("funding_calls:list") in page


def test_the_call_list_query_count_does_not_grow(client, staff):
    def add_row():
        ProposalFactory(call=CallFactory())

    assert_queries_do_not_grow(client, reverse("funding_calls:list"), add_row, rows=(1, 30))


def test_the_call_s_proposal_list_query_count_does_not_grow(client, staff):
    call = CallFactory(budget=Decimal("900000"))

    def add_row():
        _file(ProposalFactory(call=call))

    assert_queries_do_not_grow(
        client, reverse("funding_calls:call", args=[call.pk]), add_row, rows=(1, 30)
    )


def test_the_call_page_links_to_its_panel_reviews_results_and_meetings(client):
    from tests.factories.funding import PanelFactory

    staff = make_funding_staff()
    client.force_login(staff)
    panel = PanelFactory()
    bare = CallFactory()

    with_panel = client.get(reverse("funding_calls:call", args=[panel.call_id])).content.decode()
    without = client.get(reverse("funding_calls:call", args=[bare.pk])).content.decode()

    for url in (
        reverse("funding_panels:panel", args=[panel.pk]),
        reverse("funding_panels:assignments", args=[panel.pk]),
        reverse("funding_review_staff:call", args=[panel.call_id]),
        reverse("funding_results:call", args=[panel.call_id]),
    ):
        assert f'href="{url}"' in with_panel
    assert f'href="{reverse("funding_panels:create", args=[bare.pk])}"' in without
    assert reverse("funding_results:call", args=[bare.pk]) not in without
