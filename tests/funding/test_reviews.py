"""Scoring online, the services: a draft keeps partial scores, sending needs them all, bad
values are refused with nothing saved, a sent review is paid once, and stepping back, reopening
and assisted reviews do what the issue says."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from coprod.enums import NotificationCategory
from coprod.models import Notification
from funding.enums import ConflictCategory, ConflictDecision, PanelRole, ReviewStatus, ScoredBy
from funding.models import ConflictDeclaration, Review, Score
from funding.permissions import sync_proposal_access
from funding.services import (
    reopen_review,
    save_review,
    step_back,
    submit_assisted_review,
    submit_review,
)
from funding.services.reviews import criteria_for
from recruitment.enums import EngagementKind
from recruitment.models import Engagement
from tests.factories.funding import (
    CriterionFactory,
    PanelFactory,
    ProposalFactory,
    make_funding_staff,
    seat,
)

pytestmark = pytest.mark.django_db


def open_review(role=PanelRole.LEE, **panel_fields):
    """An assigned review on a panel whose scoring is open, of a call with two criteria: the
    lived experience one and "Method" (scored out of 5)."""
    panel = PanelFactory(scoring_started_at=timezone.now() - timedelta(days=1), **panel_fields)
    proposal = ProposalFactory(call=panel.call)
    CriterionFactory(call=panel.call, name="Method", scale_max=5)
    member = seat(panel, role)
    return Review.objects.create(member=member, proposal=proposal)


def criteria(review):
    return criteria_for(review.member, review.proposal.call_id)


def all_scores(review, value=4):
    return {criterion.pk: value for criterion in criteria(review)}


def login(review):
    return review.member.person.login


def test_save_keeps_a_partial_draft():
    review = open_review()
    first, second = criteria(review)

    save_review(
        review,
        by=login(review),
        scores={first.pk: 3, second.pk: None},
        comments={first.pk: "Good start"},
        comment="For the panel",
    )

    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert review.comment == "For the panel"
    assert list(Score.objects.values_list("criterion_id", "value", "comment")) == [
        (first.pk, 3, "Good start")
    ]


def test_send_needs_every_score_and_saves_nothing_without():
    review = open_review()
    first, second = criteria(review)

    with pytest.raises(ValidationError) as error:
        submit_review(review, by=login(review), scores={first.pk: 3, second.pk: None})

    assert list(error.value.message_dict) == [f"score_{second.pk}"]
    assert Review.objects.get().status == ReviewStatus.ASSIGNED
    assert Score.objects.count() == 0


@pytest.mark.parametrize("value", [0, 6, -1])
def test_a_score_outside_the_scale_is_refused_and_the_draft_is_unchanged(value):
    review = open_review()
    first, second = criteria(review)
    save_review(review, by=login(review), scores={first.pk: 2, second.pk: 2})

    with pytest.raises(ValidationError) as error:
        save_review(review, by=login(review), scores={first.pk: 5, second.pk: value})

    assert "from 1 to 5" in error.value.message_dict[f"score_{second.pk}"][0]
    assert sorted(Score.objects.values_list("value", flat=True)) == [2, 2]


def test_sending_records_paid_work_once_even_when_reopened_and_sent_again(settings):
    settings.FUNDING_REVIEW_PREPARATION_HOURS = Decimal("3")
    review = open_review()
    submit_review(review, by=login(review), scores=all_scores(review))
    reopen_review(review, by=make_funding_staff(), reason="A score was entered by mistake")
    submit_review(review, by=login(review), scores=all_scores(review, 5))

    engagement = Engagement.objects.get()
    assert (engagement.person, engagement.kind, engagement.source_key) == (
        review.member.person,
        EngagementKind.REVIEW,
        f"funding.review:{review.pk}",
    )
    assert (engagement.hours, engagement.preparation_hours) == (Decimal("1"), Decimal("3"))
    assert Review.objects.get().status == ReviewStatus.SUBMITTED


def test_a_sent_review_cannot_be_changed_by_its_member():
    review = open_review()
    submit_review(review, by=login(review), scores=all_scores(review, 3))

    with pytest.raises(ValidationError, match="has been sent"):
        save_review(review, by=login(review), scores=all_scores(review, 1))

    assert set(Score.objects.values_list("value", flat=True)) == {3}


def test_nothing_is_saved_after_the_scoring_window_closes():
    review = open_review(scoring_deadline=timezone.now() + timedelta(days=1))
    review.proposal.call.panel.__class__.objects.update(
        scoring_deadline=timezone.now() - timedelta(minutes=1)
    )

    with pytest.raises(ValidationError, match="Scoring is closed"):
        submit_review(review, by=login(review), scores=all_scores(review))

    assert Review.objects.get().status == ReviewStatus.ASSIGNED
    assert Engagement.objects.count() == 0


def test_a_member_kept_out_by_a_conflict_cannot_save():
    review = open_review()
    ConflictDeclaration.objects.filter(member=review.member).update(
        conflicted=True, category=ConflictCategory.WORK, decision=ConflictDecision.EXCLUDED
    )
    sync_proposal_access([review.member])

    with pytest.raises(ValidationError, match="can no longer open"):
        save_review(review, by=login(review), scores=all_scores(review))

    assert Score.objects.count() == 0


def test_someone_else_cannot_save_a_members_review():
    review = open_review()
    other = seat(review.member.panel, PanelRole.LEE)

    with pytest.raises(ValidationError, match="not your review"):
        save_review(review, by=other.person.login, scores=all_scores(review))

    assert Score.objects.count() == 0


def test_lee_only_criteria_are_scored_by_lee_seats_only():
    review = open_review(role=PanelRole.RESEARCHER)
    lees_only = CriterionFactory(call=review.proposal.call, scored_by=ScoredBy.LEES)
    lee = seat(review.member.panel, PanelRole.LEE)

    assert lees_only not in criteria(review)
    assert lees_only in criteria_for(lee, review.proposal.call_id)
    with pytest.raises(ValidationError, match="do not score"):
        save_review(review, by=login(review), scores={lees_only.pk: 3})


def test_stepping_back_tells_funding_staff_without_naming_the_member(
    django_capture_on_commit_callbacks,
):
    staff = make_funding_staff()
    review = open_review()

    with django_capture_on_commit_callbacks(execute=True):
        step_back(review, by=login(review))

    review.refresh_from_db()
    message = Notification.objects.get()
    body = message.content["neutral"]["body"]
    assert review.status == ReviewStatus.STEPPED_BACK
    assert (message.person, message.category) == (staff.person, NotificationCategory.STAFF)
    assert f"/staff/funding/reviews/calls/{review.proposal.call_id}/" in body
    assert review.member.person.display_name not in body
    assert review.proposal.title not in body


def test_a_sent_review_cannot_be_stepped_back_from():
    review = open_review()
    submit_review(review, by=login(review), scores=all_scores(review))

    with pytest.raises(ValidationError, match="has been sent"):
        step_back(review, by=login(review))

    assert Review.objects.get().status == ReviewStatus.SUBMITTED
    assert Notification.objects.count() == 0


def test_reopening_needs_a_reason_and_tells_the_member():
    review = open_review()
    submit_review(review, by=login(review), scores=all_scores(review))
    staff = make_funding_staff()

    with pytest.raises(ValidationError):
        reopen_review(review, by=staff, reason="  ")
    reopen_review(review, by=staff, reason="Please look again at the method")

    review.refresh_from_db()
    assert (review.status, review.reopened_by, review.reopen_reason) == (
        ReviewStatus.DRAFT,
        staff,
        "Please look again at the method",
    )
    told = Notification.objects.get(kind="funding_review_reopened")
    assert told.person == review.member.person
    assert "Please look again at the method" in told.content["full"]["body"]


def test_an_assisted_review_stays_the_members_and_records_both():
    review = open_review()
    staff = make_funding_staff()

    submit_assisted_review(review, by=staff, scores=all_scores(review), feedback="Clear plan")

    review.refresh_from_db()
    assert (review.status, review.member.person, review.assisted_by) == (
        ReviewStatus.SUBMITTED,
        review.member.person,
        staff,
    )
    assert Engagement.objects.get().person == review.member.person


def test_only_staff_who_manage_reviews_may_assist():
    review = open_review()
    other = seat(review.member.panel, PanelRole.LEE)

    with pytest.raises(ValidationError, match="permission"):
        submit_assisted_review(review, by=other.person.login, scores=all_scores(review))

    assert Review.objects.get().status == ReviewStatus.ASSIGNED


def test_staff_cannot_enter_a_review_for_a_member_kept_out_by_a_conflict():
    review = open_review()
    ConflictDeclaration.objects.filter(member=review.member).update(
        conflicted=True, category=ConflictCategory.WORK, decision=ConflictDecision.EXCLUDED
    )
    sync_proposal_access([review.member])

    with pytest.raises(ValidationError, match="kept out"):
        submit_assisted_review(review, by=make_funding_staff(), scores=all_scores(review))

    assert Review.objects.get().status == ReviewStatus.ASSIGNED
    assert (Score.objects.count(), Engagement.objects.count()) == (0, 0)


def test_no_paid_work_for_a_seat_whose_person_was_erased():
    review = open_review()
    review.member.__class__.objects.filter(pk=review.member_id).update(person=None)
    review.refresh_from_db()

    submit_assisted_review(review, by=make_funding_staff(), scores=all_scores(review))

    assert Engagement.objects.count() == 0
    assert Review.objects.get().status == ReviewStatus.SUBMITTED


def test_the_audit_trail_records_who_sent_a_review_with_its_words_masked():
    review = open_review()
    user = login(review)

    submit_review(review, by=user, scores=all_scores(review), comment="SECRET-NOTES")

    entries = LogEntry.objects.filter(content_type__model="review", object_id=review.pk)
    score_entries = LogEntry.objects.filter(content_type__model="score")
    sent = entries.latest("pk")
    assert sent.actor == user
    assert sent.changes_dict["status"] == ["assigned", "submitted"]
    assert "SECRET-NOTES" not in str(sent.changes_dict)
    assert sent.changes_dict["comment"][1] != ""
    assert score_entries.count() == len(criteria(review))
