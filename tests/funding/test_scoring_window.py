"""Staff close a panel's scoring window before its deadline (the "Close scoring now" button on
the panel's page): after it, members cannot change their reviews; refused before scoring starts,
once it is closed, and for anyone who may not manage panels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from funding.enums import PanelRole, ReviewStatus
from funding.models import Review
from funding.permissions import scoring_is_open, scoring_window_closed
from funding.services import close_scoring, save_review
from tests.factories.funding import (
    PanelFactory,
    ProposalFactory,
    make_funding_staff,
    make_researcher,
    seat,
)

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 6, 14, 9, tzinfo=UTC)
PANELS = "/staff/funding/panels"


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def started_panel(**fields):
    return PanelFactory(scoring_started_at=NOW - timedelta(days=2), **fields)


def test_staff_close_scoring_from_the_panel_page_and_members_can_no_longer_score(client):
    panel = started_panel()
    proposal = ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)
    review = Review.objects.create(member=member, proposal=proposal)
    client.force_login(make_funding_staff())
    assert "Close scoring now" in client.get(f"{PANELS}/{panel.pk}/").content.decode()

    response = client.post(f"/staff/funding/scoring/{panel.pk}/close/", follow=True)

    panel.refresh_from_db()
    assert panel.scoring_closed_at == NOW
    assert scoring_window_closed(panel)
    assert not scoring_is_open(panel)
    page = response.content.decode()
    assert "Scoring is closed. Members can no longer change their reviews." in page
    assert "Scoring was closed on 14 June 2027" in page
    assert "Close scoring now" not in page
    with pytest.raises(ValidationError) as refused:
        save_review(review, by=member.person.user, scores={})
    assert refused.value.code == "scoring_closed"
    review.refresh_from_db()
    assert review.status == ReviewStatus.ASSIGNED
    # The member's review page is locked: a post is refused, saying why.
    client.force_login(member.person.user)
    refused = client.post(f"/portal/funding/reviews/{review.pk}/", {"send": "x"}, follow=True)
    assert refused.redirect_chain == [(f"/portal/funding/reviews/{review.pk}/", 302)]
    assert "Scoring has closed, so your review could not be saved." in refused.content.decode()
    assert Review.objects.get().status == ReviewStatus.ASSIGNED


def test_closing_before_scoring_starts_is_refused_with_a_message_and_changes_nothing(client):
    panel = PanelFactory()
    client.force_login(make_funding_staff())
    assert "Close scoring now" not in client.get(f"{PANELS}/{panel.pk}/").content.decode()

    response = client.post(f"/staff/funding/scoring/{panel.pk}/close/", follow=True)

    assert "Scoring has not started yet." in response.content.decode()
    panel.refresh_from_db()
    assert panel.scoring_closed_at is None


@pytest.mark.parametrize("how", ["closed by staff", "deadline passed"])
def test_closing_a_window_already_closed_is_refused(how):
    closed_at = NOW - timedelta(hours=1)
    panel = started_panel(
        scoring_closed_at=closed_at if how == "closed by staff" else None,
        scoring_deadline=NOW - timedelta(hours=2)
        if how == "deadline passed"
        else NOW + timedelta(days=3),
    )

    with pytest.raises(ValidationError) as refused:
        close_scoring(panel, by=make_funding_staff())

    assert refused.value.code == "closed"
    panel.refresh_from_db()
    assert panel.scoring_closed_at == (closed_at if how == "closed by staff" else None)


def test_someone_who_may_not_manage_panels_cannot_close_scoring():
    panel = started_panel()

    with pytest.raises(ValidationError) as refused:
        close_scoring(panel, by=make_researcher(is_staff=True))

    assert refused.value.code == "not_allowed"
    panel.refresh_from_db()
    assert panel.scoring_closed_at is None
