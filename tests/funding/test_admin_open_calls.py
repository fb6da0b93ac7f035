"""The admin once a call is open: its criteria keep their weights, scales and scorers and none
is added or deleted, and its budget stays at least the largest amount asked for; a refused
eligibility change is shown alone, without Django's "changed successfully"."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core.exceptions import ValidationError

from coprod.models import Notification
from funding.enums import CallStatus, Eligibility, ProposalStatus
from funding.models import Call, Criterion, Proposal
from tests.factories.funding import (
    CallFactory,
    CriterionFactory,
    ProposalFactory,
    make_funding_staff,
)
from tests.funding.test_admin import _call_data, _management

pytestmark = pytest.mark.django_db


def _criterion_rows(call: Call, **changes: dict[str, str]) -> dict[str, str]:
    """The call's change form, every criterion as it is, with `changes` by criterion name."""
    data = _call_data(
        title=call.title,
        budget=str(call.budget),
        **_management("criteria", call.criteria.count(), call.criteria.count()),
    )
    for index, criterion in enumerate(call.criteria.order_by("order", "pk")):
        row = {
            "id": str(criterion.pk),
            "call": str(call.pk),
            "name": criterion.name,
            "guidance": criterion.guidance,
            "weight": str(criterion.weight),
            "scale_max": str(criterion.scale_max),
            "scored_by": criterion.scored_by,
            "order": str(criterion.order),
            **changes.get(criterion.name, {}),
        }
        data |= {f"criteria-{index}-{key}": value for key, value in row.items()}
    return data


def _open_call(**fields) -> Call:
    call = CallFactory(**fields)
    CriterionFactory(call=call, name="Sound method", weight=2)
    return call


@pytest.fixture
def staff(client):
    user = make_funding_staff()
    client.force_login(user)
    return user


def _weights(call: Call) -> dict[str, tuple[int, int, str]]:
    return {c.name: (c.weight, c.scale_max, c.scored_by) for c in call.criteria.all()}


@pytest.mark.parametrize(
    "change",
    [{"weight": "0"}, {"scale_max": "10"}, {"scored_by": "lees"}],
    ids=["weight", "scale", "scorers"],
)
def test_an_open_call_s_lived_experience_criterion_cannot_be_changed(client, staff, change):
    call = _open_call()
    before = _weights(call)
    name = call.criteria.get(key="lived_experience").name

    response = client.post(
        f"/admin/funding/call/{call.pk}/change/", _criterion_rows(call, **{name: change})
    )

    assert response.status_code == 200
    assert "The call is open: this cannot be changed now" in response.content.decode()
    assert _weights(call) == before


def test_an_open_call_s_criteria_cannot_be_deleted_in_the_admin(client, staff):
    call = _open_call()

    response = client.post(
        f"/admin/funding/call/{call.pk}/change/",
        _criterion_rows(call, **{"Sound method": {"DELETE": "on"}}),
    )

    assert response.status_code == 200
    assert "The call is open: its criteria cannot be deleted now." in response.content.decode()
    assert call.criteria.filter(name="Sound method").exists()


def test_no_criterion_is_added_to_an_open_call(client, staff):
    call = _open_call()
    data = _criterion_rows(call)
    extra = call.criteria.count()
    data |= {
        "criteria-TOTAL_FORMS": str(extra + 1),
        f"criteria-{extra}-name": "New idea",
        f"criteria-{extra}-weight": "5",
        f"criteria-{extra}-scale_max": "5",
        f"criteria-{extra}-scored_by": "everyone",
        f"criteria-{extra}-order": "9",
    }

    response = client.post(f"/admin/funding/call/{call.pk}/change/", data)

    assert response.status_code == 200
    assert "no criterion can be added to it now" in response.content.decode()
    assert not Criterion.objects.filter(name="New idea").exists()


def test_an_open_call_s_wording_can_still_be_corrected(client, staff):
    call = _open_call()

    response = client.post(
        f"/admin/funding/call/{call.pk}/change/",
        _criterion_rows(call, **{"Sound method": {"name": "A sound method"}}),
    )

    assert response.status_code == 302
    assert call.criteria.filter(name="A sound method", weight=2).exists()


def test_a_draft_call_s_criteria_can_be_re_weighted(client, staff):
    call = _open_call(status=CallStatus.DRAFT)

    response = client.post(
        f"/admin/funding/call/{call.pk}/change/",
        _criterion_rows(call, **{"Sound method": {"weight": "4"}}),
    )

    assert response.status_code == 302
    assert call.criteria.get(name="Sound method").weight == 4


def test_the_budget_cannot_go_below_the_largest_amount_asked_for(client, staff):
    call = _open_call(budget=Decimal("50000"))
    ProposalFactory(call=call, requested_amount=Decimal("30000"))
    ProposalFactory(call=call, requested_amount=Decimal("45000"), status=ProposalStatus.DRAFT)
    data = _criterion_rows(call)

    refused = client.post(f"/admin/funding/call/{call.pk}/change/", {**data, "budget": "40000"})
    allowed = client.post(f"/admin/funding/call/{call.pk}/change/", {**data, "budget": "45000"})

    assert "less than the largest amount already asked for in a proposal (£45000.00)" in (
        refused.content.decode()
    )
    assert allowed.status_code == 302
    assert Call.objects.get(pk=call.pk).budget == Decimal("45000")


def test_the_model_refuses_re_weighting_an_open_call_s_criterion():
    call = _open_call()
    criterion = call.criteria.get(name="Sound method")
    criterion.weight = 9

    with pytest.raises(ValidationError) as error:
        criterion.full_clean()

    assert list(error.value.message_dict) == ["weight"]


def test_a_refused_eligibility_change_shows_no_success_notice(client):
    staff = make_funding_staff()
    client.force_login(staff)
    own = ProposalFactory(applicant=staff.person)

    response = client.post(
        f"/admin/funding/proposal/{own.pk}/change/",
        {"eligibility": Eligibility.ELIGIBLE, "ineligible_reason": ""},
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["You cannot check the eligibility of your own proposal."]
    assert Proposal.objects.get(pk=own.pk).eligibility == Eligibility.UNCHECKED
    assert Notification.objects.count() == 0
    assert not AdminLogEntry.objects.filter(object_id=str(own.pk)).exists()
