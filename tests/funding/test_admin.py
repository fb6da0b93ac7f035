"""Funding in the admin: calls keep their lived experience criterion and move only through the
service; proposals are read-only, drafts unseen, eligibility recorded through the service."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coprod.enums import StaffGroup
from coprod.models import Notification
from funding.enums import CallStatus, Eligibility, ProposalStatus
from funding.models import LIVED_EXPERIENCE_KEY, Call, Criterion, Proposal
from tests.factories.core import make_staff
from tests.factories.funding import CallFactory, ProposalFactory, make_funding_staff

pytestmark = pytest.mark.django_db


def _management(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _call_data(**overrides: str) -> dict[str, str]:
    opens = timezone.localtime(timezone.now())
    closes = opens + timedelta(days=10)
    return {
        "title": "Admin call",
        "description": "Plain words.",
        "budget": "1000",
        "opens_at_0": opens.strftime("%Y-%m-%d"),
        "opens_at_1": opens.strftime("%H:%M:%S"),
        "closes_at_0": closes.strftime("%Y-%m-%d"),
        "closes_at_1": closes.strftime("%H:%M:%S"),
        "eligibility": "Anyone.",
        **_management("criteria", 0, 0),
        **overrides,
    }


def test_a_call_added_in_the_admin_gets_its_lived_experience_criterion(client):
    staff = make_funding_staff()
    client.force_login(staff)

    response = client.post("/admin/funding/call/add/", _call_data())

    assert response.status_code == 302, response.content.decode()[:2000]
    call = Call.objects.get()
    assert call.created_by == staff
    assert list(call.criteria.values_list("key", flat=True)) == [LIVED_EXPERIENCE_KEY]


def test_the_lived_experience_criterion_cannot_be_deleted_in_the_admin(client):
    client.force_login(make_funding_staff())
    call = CallFactory(status=CallStatus.DRAFT)
    criterion = call.criteria.get()
    data = _call_data(
        **_management("criteria", 1, 1),
        **{
            "criteria-0-id": str(criterion.pk),
            "criteria-0-call": str(call.pk),
            "criteria-0-name": criterion.name,
            "criteria-0-guidance": criterion.guidance,
            "criteria-0-weight": "1",
            "criteria-0-scale_max": "5",
            "criteria-0-scored_by": criterion.scored_by,
            "criteria-0-order": "0",
            "criteria-0-DELETE": "on",
        },
    )

    response = client.post(f"/admin/funding/call/{call.pk}/change/", data)

    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_the_open_action_goes_through_the_service(client):
    client.force_login(make_funding_staff())
    call = CallFactory(status=CallStatus.DRAFT)
    closed = CallFactory(status=CallStatus.DRAFT, closes_at=timezone.now() - timedelta(days=1))

    response = client.post(
        "/admin/funding/call/",
        {"action": "open_calls", "_selected_action": [call.pk, closed.pk]},
        follow=True,
    )

    assert Call.objects.get(pk=call.pk).status == CallStatus.OPEN
    assert Call.objects.get(pk=closed.pk).status == CallStatus.DRAFT
    assert "closing time has passed" in response.content.decode()


def test_drafts_are_not_listed_for_staff(client):
    client.force_login(make_funding_staff())
    ProposalFactory(title="Sent one")
    ProposalFactory(title="Draft one", status=ProposalStatus.DRAFT, submitted_at=None)

    page = client.get("/admin/funding/proposal/").content.decode()

    assert "Sent one" in page
    assert "Draft one" not in page


def test_eligibility_in_the_admin_goes_through_the_service(client):
    client.force_login(make_funding_staff())
    proposal = ProposalFactory()

    response = client.post(
        f"/admin/funding/proposal/{proposal.pk}/change/",
        {"eligibility": Eligibility.INELIGIBLE, "ineligible_reason": "Outside the UK"},
    )

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.eligibility == Eligibility.INELIGIBLE
    assert proposal.eligibility_checked_at is not None
    assert Notification.objects.get().person == proposal.applicant


def test_ineligible_without_a_reason_is_refused_in_the_admin(client):
    client.force_login(make_funding_staff())
    proposal = ProposalFactory()

    response = client.post(
        f"/admin/funding/proposal/{proposal.pk}/change/",
        {"eligibility": Eligibility.INELIGIBLE, "ineligible_reason": ""},
    )

    assert response.status_code == 200
    assert "Say why the proposal is not eligible" in response.content.decode()
    assert Proposal.objects.get().eligibility == Eligibility.UNCHECKED
    assert Notification.objects.count() == 0


def test_other_staff_do_not_see_proposals(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    proposal = ProposalFactory()

    assert client.get(f"/admin/funding/proposal/{proposal.pk}/change/").status_code == 403
