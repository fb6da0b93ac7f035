"""Scoring online, the pages: "Your reviews" (only what the member may open, constant queries),
the review page (summary first, the content warning before the content, one form, read-only
once sent), the panel's scores (independence), and the staff pages."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from coprod.enums import Role
from coprod.models import FormDraft
from funding.enums import (
    ConflictCategory,
    ConflictDecision,
    PanelRole,
    ProposalStatus,
    ReviewStatus,
)
from funding.models import ConflictDeclaration, Panel, Review, Score
from funding.permissions import sync_proposal_access
from funding.services.reviews import criteria_for
from tests.factories.core import make_user
from tests.factories.funding import (
    CriterionFactory,
    PanelFactory,
    ProposalFactory,
    make_funding_staff,
    scored_review,
    seat,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def open_panel(**fields):
    return PanelFactory(scoring_started_at=timezone.now() - timedelta(days=1), **fields)


def assigned(member, **proposal_fields):
    proposal = ProposalFactory(call=member.panel.call, **proposal_fields)
    ConflictDeclaration.objects.create(member=member, proposal=proposal, conflicted=False)
    sync_proposal_access([member])
    return Review.objects.create(member=member, proposal=proposal)


def url(review):
    return f"/portal/funding/reviews/{review.pk}/"


def form_data(review, value=3, **extra):
    data = {f"score_{c.pk}": value for c in criteria_for(review.member, review.proposal.call_id)}
    return {**data, **extra}


def test_my_reviews_lists_due_date_progress_and_hides_excluded_and_stepped_back(client):
    member = seat(open_panel())
    shown = assigned(member, title="Shown proposal")
    assigned(member, title="Excluded proposal")
    stepped = assigned(member, title="Stepped back proposal")
    Review.objects.filter(pk=stepped.pk).update(status=ReviewStatus.STEPPED_BACK)
    ConflictDeclaration.objects.filter(member=member, proposal__title="Excluded proposal").update(
        conflicted=True, category=ConflictCategory.WORK, decision=ConflictDecision.EXCLUDED
    )
    sync_proposal_access([member])
    Score.objects.create(review=shown, criterion=shown.proposal.call.criteria.first(), value=2)
    client.force_login(member.person.login)

    page = client.get("/portal/funding/reviews/").content.decode()

    assert "Shown proposal" in page
    assert "1 of 1 scored" in page
    assert timezone.localtime(member.panel.scoring_deadline).strftime("%-d %B %Y") in page
    assert "Excluded proposal" not in page
    assert "Stepped back proposal" not in page
    assert "declined" not in page.lower()


def test_my_reviews_query_count_does_not_grow(client):
    member = seat(open_panel())
    client.force_login(member.person.login)

    assert_queries_do_not_grow(
        client, "/portal/funding/reviews/", lambda: assigned(member), rows=(1, 30)
    )


def test_the_portal_links_to_reviews_for_panel_roles(client):
    member = seat(open_panel())
    client.force_login(member.person.login)

    assert 'href="/portal/funding/reviews/"' in client.get("/portal/").content.decode()

    client.force_login(make_user(roles=[Role.PRACTITIONER]))
    assert 'href="/portal/funding/reviews/"' not in client.get("/portal/").content.decode()


def test_the_review_page_shows_the_summary_then_the_warning_before_the_content(client):
    member = seat(open_panel())
    review = assigned(
        member, summary="SUMMARY-TEXT", description="DESCRIPTION-TEXT", content_warning="abuse"
    )
    client.force_login(member.person.login)

    page = client.get(url(review)).content.decode()

    assert page.index("Content warning") < page.index("SUMMARY-TEXT")
    assert page.index("SUMMARY-TEXT") < page.index("DESCRIPTION-TEXT")
    assert page.index('<details class="govuk-details" id="proposal-content">') < page.index(
        "SUMMARY-TEXT"
    )
    assert "Save and come back later" in page


def test_the_review_page_says_who_can_see_the_scores_before_scoring_closes(client):
    member = seat(open_panel())
    review = assigned(member)
    client.force_login(member.person.login)

    page = client.get(url(review)).content.decode()

    assert (
        "Other panel members do not see your scores before scoring closes; the chair and the "
        "funding team can." in page
    )
    assert "Nobody on the panel sees your scores" not in page


def test_saving_from_the_page_keeps_a_draft(client):
    member = seat(open_panel())
    review = assigned(member)
    client.force_login(member.person.login)
    first = criteria_for(member, review.proposal.call_id)[0]

    response = client.post(url(review), {f"score_{first.pk}": "4", "save": ""})

    assert response.status_code == 302
    assert Review.objects.get().status == ReviewStatus.DRAFT
    assert list(Score.objects.values_list("value", flat=True)) == [4]


def test_sending_with_a_score_out_of_range_shows_the_error_and_saves_nothing(client):
    member = seat(open_panel())
    review = assigned(member)
    client.force_login(member.person.login)

    response = client.post(url(review), form_data(review, 9, send=""))

    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "from 1 (lowest) to 5 (highest)" in page
    assert Review.objects.get().status == ReviewStatus.ASSIGNED
    assert Score.objects.count() == 0


def test_a_sent_review_is_read_only(client):
    member = seat(open_panel())
    review = assigned(member)
    client.force_login(member.person.login)
    client.post(url(review), form_data(review, 3, send=""))

    page = client.get(url(review)).content.decode()
    refused = client.post(url(review), form_data(review, 1, send=""))

    assert "You have sent this review" in page
    assert "Send my review" not in page
    assert refused.status_code == 302
    assert set(Score.objects.values_list("value", flat=True)) == {3}


def test_a_review_page_is_read_only_once_scoring_closes(client):
    member = seat(open_panel())
    review = assigned(member)
    Panel.objects.update(scoring_closed_at=timezone.now())
    client.force_login(member.person.login)

    page = client.get(url(review)).content.decode()

    assert "Scoring is closed" in page
    assert "Send my review" not in page


def test_sending_after_scoring_closes_says_why_and_saves_nothing(client):
    member = seat(open_panel())
    review = assigned(member)
    client.force_login(member.person.login)
    client.get(url(review))
    Panel.objects.update(scoring_closed_at=timezone.now())

    response = client.post(url(review), form_data(review, 3, send=""), follow=True)

    assert response.redirect_chain == [(url(review), 302)]
    assert "Scoring has closed, so your review could not be saved." in response.content.decode()
    assert (Review.objects.get().status, Score.objects.count()) == (ReviewStatus.ASSIGNED, 0)


def test_a_review_typed_when_the_session_timed_out_comes_back_after_signing_in(client):
    member = seat(open_panel())
    review = assigned(member)
    client.force_login(member.person.login)
    start = time.time()
    with time_machine.travel(start, tick=False):
        client.get(url(review))
    with time_machine.travel(start + 3 * 60 * 60, tick=False):
        client.post(url(review), {"comment": "Typed before the timeout", "send": ""})
        client.force_login(member.person.login)

        page = client.get(url(review)).content.decode()

    assert "Typed before the timeout" in page
    assert not FormDraft.objects.exists()
    assert Review.objects.get().status == ReviewStatus.ASSIGNED


def test_a_review_before_scoring_starts_cannot_be_sent(client):
    member = seat(PanelFactory(scoring_started_at=None))
    review = assigned(member)
    client.force_login(member.person.login)

    page = client.get(url(review)).content.decode()

    refused = client.post(url(review), form_data(review, 3, send=""), follow=True)

    assert "Scoring has not started yet" in page
    assert refused.redirect_chain == [(url(review), 302)]
    assert "Scoring has not started yet, so your review could not be saved." in (
        refused.content.decode()
    )
    assert Score.objects.count() == 0


def test_stepping_back_from_the_page(client):
    member = seat(open_panel())
    review = assigned(member)
    client.force_login(member.person.login)

    response = client.post(f"/portal/funding/reviews/{review.pk}/step-back/")

    assert response.status_code == 302
    assert Review.objects.get().status == ReviewStatus.STEPPED_BACK
    assert client.get(url(review)).status_code == 404


def _scores_scene(*, closed: bool):
    panel = open_panel()
    proposal = ProposalFactory(call=panel.call)
    chair = seat(panel, PanelRole.POLICYMAKER, is_chair=True)
    member = seat(panel)
    other = seat(panel, PanelRole.RESEARCHER)
    own = Review.objects.create(member=member, proposal=proposal)
    scored_review(other, proposal, 4, comment="OTHER-NOTES")
    if closed:
        Panel.objects.update(scoring_closed_at=timezone.now())
    return proposal, chair, member, own


def scores_url(proposal):
    return f"/portal/funding/reviews/proposals/{proposal.pk}/scores/"


def test_a_member_who_has_not_sent_sees_no_other_scores(client):
    proposal, _chair, member, _own = _scores_scene(closed=True)
    client.force_login(member.person.login)

    response = client.get(scores_url(proposal))

    assert response.status_code == 403
    assert "OTHER-NOTES" not in response.content.decode()


def test_a_member_who_has_sent_sees_nothing_before_scoring_closes(client):
    proposal, _chair, member, own = _scores_scene(closed=False)
    Review.objects.filter(pk=own.pk).update(status=ReviewStatus.SUBMITTED)
    client.force_login(member.person.login)

    assert client.get(scores_url(proposal)).status_code == 403


def test_a_member_who_has_sent_sees_others_scores_once_closed(client):
    proposal, _chair, member, own = _scores_scene(closed=True)
    Review.objects.filter(pk=own.pk).update(status=ReviewStatus.SUBMITTED)
    client.force_login(member.person.login)

    page = client.get(scores_url(proposal)).content.decode()

    assert "OTHER-NOTES" in page
    assert "Researcher" in page


def test_an_unsent_review_of_a_withdrawn_proposal_does_not_hide_the_scores(client):
    proposal, _chair, member, own = _scores_scene(closed=True)
    Review.objects.filter(pk=own.pk).update(status=ReviewStatus.SUBMITTED)
    withdrawn = ProposalFactory(call=proposal.call, status=ProposalStatus.WITHDRAWN)
    Review.objects.create(member=member, proposal=withdrawn)
    client.force_login(member.person.login)

    response = client.get(scores_url(proposal))

    assert response.status_code == 200
    assert "OTHER-NOTES" in response.content.decode()


def test_the_chair_sees_the_scores_while_scoring_is_open(client):
    proposal, chair, _member, _own = _scores_scene(closed=False)
    client.force_login(chair.person.login)

    assert "OTHER-NOTES" in client.get(scores_url(proposal)).content.decode()


def test_the_panels_scores_show_sent_reviews_only_and_not_the_visitors_own(client):
    proposal, chair, member, own = _scores_scene(closed=True)
    Review.objects.filter(pk=own.pk).update(status=ReviewStatus.SUBMITTED, comment="OWN-NOTES")
    drafting = seat(proposal.call.panel, PanelRole.POLICYMAKER)
    draft = scored_review(drafting, proposal, 2, comment="DRAFT-NOTES")
    Review.objects.filter(pk=draft.pk).update(status=ReviewStatus.DRAFT)

    client.force_login(chair.person.login)
    chairs = client.get(scores_url(proposal)).content.decode()
    client.force_login(member.person.login)
    members = client.get(scores_url(proposal)).content.decode()

    assert ("OTHER-NOTES" in chairs, "OWN-NOTES" in chairs, "DRAFT-NOTES" in chairs) == (
        True,
        True,
        False,
    )
    assert ("OTHER-NOTES" in members, "OWN-NOTES" in members, "DRAFT-NOTES" in members) == (
        True,
        False,
        False,
    )


def test_an_excluded_member_gets_404_for_the_scores(client):
    proposal, _chair, member, _own = _scores_scene(closed=True)
    ConflictDeclaration.objects.filter(member=member).update(
        conflicted=True, category=ConflictCategory.WORK, decision=ConflictDecision.EXCLUDED
    )
    sync_proposal_access([member])
    client.force_login(member.person.login)

    assert client.get(scores_url(proposal)).status_code == 404


def test_the_panels_scores_page_makes_the_same_queries_for_1_and_6_reviews(client):
    proposal, chair, _member, _own = _scores_scene(closed=False)
    staff = make_funding_staff()
    client.force_login(chair.person.login)

    def add_review():
        CriterionFactory(call=proposal.call)
        scored_review(seat(proposal.call.panel), proposal, 3, assisted_by=staff)

    assert_queries_do_not_grow(client, scores_url(proposal), add_review, rows=(1, 6))


def test_the_review_page_makes_the_same_queries_for_1_and_6_criteria(client):
    member = seat(open_panel())
    review = assigned(member)
    client.force_login(member.person.login)

    def add_scored_criterion():
        criterion = CriterionFactory(call=review.proposal.call)
        Score.objects.create(review=review, criterion=criterion, value=1)

    assert_queries_do_not_grow(client, url(review), add_scored_criterion, rows=(1, 6))


# Staff ---------------------------------------------------------------------------------------


def test_staff_see_stepped_back_reviews_first(client):
    member = seat(open_panel())
    assigned(member, title="Waiting one")
    stepped = assigned(member, title="Stepped one")
    Review.objects.filter(pk=stepped.pk).update(status=ReviewStatus.STEPPED_BACK)
    client.force_login(make_funding_staff())

    page = client.get(f"/staff/funding/reviews/calls/{member.panel.call_id}/").content.decode()

    assert page.index("Stepped one") < page.index("Waiting one")


def test_staff_review_pages_query_counts_do_not_grow(client):
    member = seat(open_panel())
    client.force_login(make_funding_staff())

    assert_queries_do_not_grow(
        client,
        f"/staff/funding/reviews/calls/{member.panel.call_id}/",
        lambda: assigned(member),
        rows=(1, 20),
    )
    assert_queries_do_not_grow(
        client,
        "/staff/funding/reviews/",
        lambda: assigned(seat(open_panel())),
        rows=(1, 5),
    )


def test_staff_reopen_from_the_page_needs_a_reason(client):
    member = seat(open_panel())
    review = assigned(member)
    Review.objects.filter(pk=review.pk).update(status=ReviewStatus.SUBMITTED)
    client.force_login(make_funding_staff())

    refused = client.post(f"/staff/funding/reviews/{review.pk}/reopen/", {"reason": ""})
    client.post(f"/staff/funding/reviews/{review.pk}/reopen/", {"reason": "Typo in a score"})

    assert "Say why the review is reopened" in refused.content.decode()
    assert Review.objects.get().reopen_reason == "Typo in a score"


def test_staff_enter_an_assisted_review_shown_as_such_to_the_member(client):
    member = seat(open_panel())
    review = assigned(member)
    staff = make_funding_staff()
    client.force_login(staff)

    client.post(f"/staff/funding/reviews/{review.pk}/assisted/", form_data(review, 4))
    client.force_login(member.person.login)
    page = client.get(url(review)).content.decode()

    assert Review.objects.get().assisted_by == staff
    assert f"entered with help from {staff.person.display_name}" in page


def test_an_out_of_range_score_for_a_criterion_named_with_a_percent_sign_is_explained(client):
    member = seat(open_panel())
    review = assigned(member)
    criterion = CriterionFactory(call=review.proposal.call, name="Value (50% of the score)")
    client.force_login(member.person.login)

    response = client.post(url(review), {f"score_{criterion.pk}": "7", "save": ""})

    assert "Choose a score for “Value (50% of the score)” from 1 (lowest) to 5 (highest)" in (
        response.content.decode()
    )
    assert Score.objects.count() == 0
