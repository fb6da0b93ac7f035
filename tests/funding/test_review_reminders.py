"""Scoring-due reminders: 3 days and 1 day before the deadline, one message per member per
occasion saying how many reviews are unsent; exactly once (run twice, or killed half way and run
again); a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from coprod.models import Notification, Person
from funding.enums import (
    ConflictCategory,
    ConflictDecision,
    Eligibility,
    FundingReminderKind,
    ProposalStatus,
    ReviewStatus,
)
from funding.models import (
    ConflictDeclaration,
    FundingReminder,
    Panel,
    PanelMember,
    Proposal,
    Review,
)
from funding.permissions import sync_proposal_access
from funding.services import reminders
from funding.services.reminders import remind_scoring_due
from tests.factories import UserFactory
from tests.factories.core import TEST_ACTOR, backdate_consent_texts, make_reachable_person
from tests.factories.funding import PanelFactory, PanelMemberFactory, ProposalFactory, declare_clear

pytestmark = pytest.mark.django_db

# Monday 15 June 2026, 10:00 in London.
NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _at_ten_on_a_monday(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    backdate_consent_texts()


def panel_due_in(delta: timedelta) -> Panel:
    return PanelFactory(scoring_started_at=NOW - timedelta(days=7), scoring_deadline=NOW + delta)


def member_with_reviews(panel: Panel, email: str, reviews: int = 1):
    person = make_reachable_person(email=email)
    UserFactory(person=person, email=f"login.{email}")
    proposals = [ProposalFactory(call=panel.call) for _ in range(reviews)]
    member = PanelMemberFactory(panel=panel, person=person)
    declare_clear(member, proposals)
    for proposal in proposals:
        Review.objects.create(member=member, proposal=proposal)
    return member


def run(capture):
    with capture(execute=True):
        return remind_scoring_due(by=TEST_ACTOR)


def sent(mailoutbox):
    return sorted((message.to[0], message.subject) for message in mailoutbox)


def test_members_with_unsent_reviews_are_reminded_three_days_before_with_a_count(
    django_capture_on_commit_callbacks, mailoutbox
):
    panel = panel_due_in(timedelta(days=2, hours=20))
    member = member_with_reviews(panel, "sam@example.org", reviews=2)
    done = member_with_reviews(panel, "jo@example.org")
    Review.objects.filter(member=done).update(status=ReviewStatus.SUBMITTED)
    member_with_reviews(panel_due_in(timedelta(days=5)), "later@example.org")

    count = run(django_capture_on_commit_callbacks)

    assert count == 1
    assert sent(mailoutbox) == [("sam@example.org", "A message for you")]
    message = Notification.objects.get()
    assert "You have 2 panel reviews to send" in message.content["full"]["body"]
    assert list(FundingReminder.objects.values_list("kind", "object_id", "occasion")) == [
        (FundingReminderKind.SCORING_DUE, member.pk, "3-days:2026-06-18")
    ]


def test_the_one_day_reminder_comes_after_the_three_day_one(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    member_with_reviews(panel_due_in(timedelta(days=2, hours=12)), "sam@example.org")

    first = run(django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + timedelta(days=1, hours=14), tick=False)
    second = run(django_capture_on_commit_callbacks)

    assert (first, second) == (1, 1)
    assert sorted(FundingReminder.objects.values_list("occasion", flat=True)) == [
        "1-day:2026-06-17",
        "3-days:2026-06-17",
    ]


def test_run_twice_reminds_once(django_capture_on_commit_callbacks, mailoutbox, time_machine):
    member_with_reviews(panel_due_in(timedelta(days=2)), "sam@example.org")

    first = run(django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    second = run(django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert sent(mailoutbox) == [("sam@example.org", "A message for you")]
    assert (FundingReminder.objects.count(), Notification.objects.count()) == (1, 1)


def test_killed_half_way_leaves_nothing_and_the_next_run_sends_once(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    panel = panel_due_in(timedelta(days=2))
    for n in range(3):
        member_with_reviews(panel, f"p{n}@example.org")

    def killed(batch):
        raise SystemExit("worker killed after the reminders and messages were inserted")

    with monkeypatch.context() as patched:
        patched.setattr(reminders, "_link_messages", killed)
        with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
            remind_scoring_due(by=TEST_ACTOR)
    assert (FundingReminder.objects.count(), Notification.objects.count(), mailoutbox) == (
        0,
        0,
        [],
    )

    count = run(django_capture_on_commit_callbacks)
    again = run(django_capture_on_commit_callbacks)

    assert (count, again) == (3, 0)
    assert [m.to[0] for m in sorted(mailoutbox, key=lambda m: m.to[0])] == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert FundingReminder.objects.filter(notification__isnull=False).count() == 3


def test_no_reminder_for_closed_scoring_or_a_review_the_member_is_kept_out_of(
    django_capture_on_commit_callbacks,
):
    closed = panel_due_in(timedelta(days=2))
    member_with_reviews(closed, "closed@example.org")
    Panel.objects.filter(pk=closed.pk).update(scoring_closed_at=NOW)
    member = member_with_reviews(panel_due_in(timedelta(days=2)), "kept@example.org")
    ConflictDeclaration.objects.filter(member=member).update(
        conflicted=True, category=ConflictCategory.WORK, decision=ConflictDecision.EXCLUDED
    )
    sync_proposal_access([member])

    assert run(django_capture_on_commit_callbacks) == 0
    assert Notification.objects.count() == 0


def test_reviews_of_withdrawn_or_ineligible_proposals_are_not_counted(
    django_capture_on_commit_callbacks,
):
    panel = panel_due_in(timedelta(days=2))
    member = member_with_reviews(panel, "sam@example.org", reviews=3)
    withdrawn, ineligible, _kept = Review.objects.filter(member=member).order_by("pk")
    Proposal.objects.filter(pk=withdrawn.proposal_id).update(status=ProposalStatus.WITHDRAWN)
    Proposal.objects.filter(pk=ineligible.proposal_id).update(eligibility=Eligibility.INELIGIBLE)
    only_withdrawn = member_with_reviews(panel, "jo@example.org")
    Proposal.objects.filter(reviews__member=only_withdrawn).update(status=ProposalStatus.WITHDRAWN)

    assert run(django_capture_on_commit_callbacks) == 1

    message = Notification.objects.get()
    assert message.person == member.person
    assert "You have 1 panel review to send" in message.content["full"]["body"]


def test_no_reminder_for_an_erased_member_or_one_who_has_not_accepted_the_terms(
    django_capture_on_commit_callbacks,
):
    panel = panel_due_in(timedelta(days=2))
    erased = member_with_reviews(panel, "erased@example.org")
    Person.objects.filter(pk=erased.person_id).update(erased_at=NOW)
    not_ready = member_with_reviews(panel, "new@example.org")
    PanelMember.objects.filter(pk=not_ready.pk).update(confidentiality_accepted_at=None)

    assert run(django_capture_on_commit_callbacks) == 0
    assert (Notification.objects.count(), FundingReminder.objects.count()) == (0, 0)


@pytest.mark.parametrize("due", [1, 30])
def test_the_sweep_makes_a_fixed_number_of_queries(django_assert_num_queries, due):
    panel = panel_due_in(timedelta(days=2))
    for n in range(due):
        member_with_reviews(panel, f"p{n}@example.org", reviews=2)
    member_with_reviews(panel_due_in(timedelta(days=6)), "later@example.org")

    # Due members; reminders already sent; savepoint, insert, read back; the outbox's keys,
    # people, consent, savepoint, insert, release; the link; release.
    with django_assert_num_queries(13):
        count = remind_scoring_due(by=TEST_ACTOR)

    assert count == due == Notification.objects.count()
