"""Reminders through the outbox: each fires for what is due and not for the rest, exactly once
(a sweep run twice, or killed half way and run again), keeps to people's contact rules, sends
staff one digest per kind per day, and makes a fixed number of queries."""

from datetime import UTC, date, datetime, timedelta

import pytest

from coprod import doors
from coprod.celery import app as celery_app
from coprod.enums import ConsentPurpose, NotificationCategory, PersonStatus, StaffGroup
from coprod.models import Notification
from coprod.services.people import set_involvement_status
from recruitment.enums import (
    ApplicationRoute,
    ApplicationStatus,
    ClaimStatus,
    EngagementStatus,
    OpportunityStatus,
    PaymentMethod,
    ReminderKind,
)
from recruitment.models import Application, Opportunity, Reminder
from recruitment.selectors.reminders import unclaimed_work_due
from recruitment.services import reminders
from recruitment.services.reminders import (
    remind_claims_waiting_for_approval,
    remind_eligibility_reviews,
    remind_late_payments,
    remind_payments_due_soon,
    remind_unclaimed_work,
    remind_unsent_applications,
)
from tests.coprod.test_notifications import make_practitioner, route_through_support_worker
from tests.factories import (
    HonorariumClaimFactory,
    PaymentEligibilityFactory,
    PersonFactory,
    UserFactory,
    make_staff,
)
from tests.factories.core import TEST_ACTOR, backdate_consent_texts, make_reachable_person

pytestmark = pytest.mark.django_db

# Monday 15 June 2026, 10:00 in London.
NOW = datetime(2026, 6, 15, 9, tzinfo=UTC)
TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _at_ten_on_a_monday(db, time_machine):
    time_machine.move_to(NOW, tick=False)
    backdate_consent_texts()


def claimant(email="sam@example.org", **prefs):
    """A person who claims themselves: reachable by email, with an active login."""
    person = make_reachable_person(email=email, **prefs)
    UserFactory(person=person, email=f"login.{email}")
    return person


def draft_claim(person, *, completed_days_ago=3, status=ClaimStatus.DRAFT, **fields):
    """A claim for work the person did, completed `completed_days_ago` days ago."""
    completed = NOW - timedelta(days=completed_days_ago)
    return HonorariumClaimFactory(
        engagement__person=person,
        engagement__date=completed.date(),
        engagement__status=EngagementStatus.COMPLETED,
        engagement__status_changed_at=completed,
        status=status,
        **fields,
    )


def sent(mailoutbox):
    return [(message.to, message.subject) for message in mailoutbox]


def run(sweep, capture):
    with capture(execute=True):
        return sweep(by=TEST_ACTOR)


# Work done, claim not sent ------------------------------------------------------------------


def test_unclaimed_work_reminds_the_person_once_three_days_after(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = claimant(email="sam@example.org", message_detail="full")
    claim = draft_claim(person, completed_days_ago=3)

    count = run(remind_unclaimed_work, django_capture_on_commit_callbacks)

    assert count == 1
    assert sent(mailoutbox) == [
        (["sam@example.org"], "You can claim for your work on 12 June 2026")
    ]
    assert "the meeting on 12 June 2026" in mailoutbox[0].body
    reminder = Reminder.objects.get()
    assert (reminder.kind, reminder.object_id, reminder.occasion) == (
        ReminderKind.CLAIM_NOT_MADE,
        claim.engagement_id,
        "",
    )
    assert reminder.notification == Notification.objects.get(person=person)


@pytest.mark.parametrize(
    "arrange",
    [
        lambda: draft_claim(claimant(), completed_days_ago=2),
        lambda: draft_claim(claimant(), status=ClaimStatus.SUBMITTED),
        lambda: draft_claim(claimant(), status=ClaimStatus.WITHDRAWN),
        lambda: draft_claim(make_reachable_person()),
        lambda: draft_claim(UserFactory(is_active=False).person),
        lambda: HonorariumClaimFactory(
            engagement__person=claimant(), engagement__status=EngagementStatus.PLANNED
        ),
    ],
    ids=[
        "completed-2-days-ago",
        "claim-sent",
        "claim-withdrawn",
        "no-login",
        "login-not-active",
        "engagement-not-completed",
    ],
)
def test_unclaimed_work_reminds_nobody_for_what_is_not_due(
    django_capture_on_commit_callbacks, mailoutbox, arrange
):
    arrange()

    count = run(remind_unclaimed_work, django_capture_on_commit_callbacks)

    assert (count, mailoutbox) == (0, [])
    assert (Reminder.objects.count(), Notification.objects.count()) == (0, 0)


def test_unclaimed_work_sweep_run_twice_reminds_once(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    draft_claim(claimant(email="sam@example.org"), completed_days_ago=4)

    first = run(remind_unclaimed_work, django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + timedelta(hours=1), tick=False)
    second = run(remind_unclaimed_work, django_capture_on_commit_callbacks)

    assert (first, second) == (1, 0)
    assert sent(mailoutbox) == [(["sam@example.org"], "A message for you")]
    assert (Reminder.objects.count(), Notification.objects.count()) == (1, 1)


def test_unclaimed_work_sweep_killed_half_way_leaves_nothing_and_the_next_sends_all(
    django_capture_on_commit_callbacks, mailoutbox, monkeypatch
):
    for n in range(3):
        draft_claim(claimant(email=f"p{n}@example.org"))

    def killed(batch):
        raise SystemExit("worker killed after the reminders and messages were inserted")

    with monkeypatch.context() as patched:
        patched.setattr(reminders, "_link_messages", killed)
        with pytest.raises(SystemExit), django_capture_on_commit_callbacks(execute=True):
            remind_unclaimed_work(by=TEST_ACTOR)
    assert (Reminder.objects.count(), Notification.objects.count(), mailoutbox) == (0, 0, [])

    count = run(remind_unclaimed_work, django_capture_on_commit_callbacks)

    assert count == 3
    assert sorted(m.to[0] for m in mailoutbox) == [
        "p0@example.org",
        "p1@example.org",
        "p2@example.org",
    ]
    assert Reminder.objects.filter(notification__isnull=False).count() == 3


def test_unclaimed_work_goes_through_the_support_worker_when_the_person_asked(
    django_capture_on_commit_callbacks, mailoutbox
):
    worker = make_practitioner(email="worker@example.org")
    person = claimant(email="sam@example.org")
    route_through_support_worker(person, worker)
    draft_claim(person)

    run(remind_unclaimed_work, django_capture_on_commit_callbacks)

    assert sent(mailoutbox) == [(["worker@example.org"], "A message for you")]
    assert mailoutbox[0].body.startswith(f"This message is for {person.display_name}.")
    assert Notification.objects.get().routed_via == worker


def test_unclaimed_work_for_a_paused_person_is_held_not_lost(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    person = claimant(email="sam@example.org")
    draft_claim(person)
    set_involvement_status(person, PersonStatus.PAUSED, by=TEST_ACTOR)

    run(remind_unclaimed_work, django_capture_on_commit_callbacks)
    held = Notification.objects.get()
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    run(remind_unclaimed_work, django_capture_on_commit_callbacks)
    assert (held.status, held.hold_reason, mailoutbox) == ("held", "paused", [])
    with django_capture_on_commit_callbacks(execute=True):
        set_involvement_status(person, PersonStatus.ACTIVE, by=TEST_ACTOR)

    held.refresh_from_db()
    assert held.status == "sent"
    assert sent(mailoutbox) == [(["sam@example.org"], "A message for you")]
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("due", [1, 50])
def test_unclaimed_work_sweep_makes_a_fixed_number_of_queries(django_assert_num_queries, due):
    for n in range(due):
        draft_claim(claimant(email=f"p{n}@example.org"))
    draft_claim(claimant(email="early@example.org"), completed_days_ago=1)

    # Due rows; savepoint, insert, read back; the outbox's keys, people, consent, savepoint,
    # insert, release; the link; release.
    with django_assert_num_queries(12):
        count = remind_unclaimed_work(by=TEST_ACTOR)

    assert count == due == Notification.objects.count()


# Applications not sent ---------------------------------------------------------------------


def opportunity(*, closes_in=timedelta(days=2), status=OpportunityStatus.OPEN, **fields):
    return Opportunity.objects.create(
        title=fields.pop("title", "Advisory panel on housing"),
        summary="A panel.",
        involves="Three meetings.",
        time_commitment="3 meetings of 2 hours",
        access_support="Interpreters.",
        closes_at=NOW + closes_in,
        status=status,
        **fields,
    )


def application(person, opening, *, status=ApplicationStatus.DRAFT, **fields):
    number = Application.objects.filter(opportunity=opening).count() + 1
    return Application.objects.create(
        opportunity=opening, person=person, number=number, status=status, **fields
    )


def test_unsent_application_reminds_the_applicant_three_days_before_closing(
    django_capture_on_commit_callbacks, mailoutbox
):
    person = claimant(email="sam@example.org", message_detail="full")
    draft = application(person, opportunity(closes_in=timedelta(days=2, hours=23)))

    count = run(remind_unsent_applications, django_capture_on_commit_callbacks)

    assert count == 1
    assert sent(mailoutbox) == [
        (["sam@example.org"], "Your application for Advisory panel on housing is not sent yet")
    ]
    assert "It closes on 18 June 2026." in mailoutbox[0].body
    assert Reminder.objects.get().object_id == draft.pk


@pytest.mark.parametrize(
    ("closes_in", "status", "application_status"),
    [
        (timedelta(days=3, minutes=1), OpportunityStatus.OPEN, ApplicationStatus.DRAFT),
        (-timedelta(minutes=1), OpportunityStatus.OPEN, ApplicationStatus.DRAFT),
        (timedelta(days=1), OpportunityStatus.CLOSED, ApplicationStatus.DRAFT),
        (timedelta(days=1), OpportunityStatus.OPEN, ApplicationStatus.SUBMITTED),
    ],
    ids=["closes-in-more-than-3-days", "closed-already", "opportunity-closed", "sent"],
)
def test_unsent_application_reminds_nobody_for_what_is_not_due(
    django_capture_on_commit_callbacks, mailoutbox, closes_in, status, application_status
):
    application(
        claimant(), opportunity(closes_in=closes_in, status=status), status=application_status
    )

    count = run(remind_unsent_applications, django_capture_on_commit_callbacks)

    assert (count, mailoutbox, Reminder.objects.count()) == (0, [], 0)


def test_unsent_referral_reminds_the_practitioner_making_it(
    django_capture_on_commit_callbacks, mailoutbox
):
    practitioner = make_practitioner(email="worker@example.org", consents=[ConsentPurpose.CONTACT])
    practitioner.safe_contact.message_detail = "full"
    practitioner.safe_contact.save()
    referred = make_reachable_person(email="referred@example.org")
    application(
        referred,
        opportunity(),
        route=ApplicationRoute.REFERRAL,
        referred_by=practitioner,
        consent_confirmed_at=NOW,
    )

    run(remind_unsent_applications, django_capture_on_commit_callbacks)

    assert sent(mailoutbox) == [
        (["worker@example.org"], "Your referral for Advisory panel on housing is not sent yet")
    ]
    assert referred.display_name not in mailoutbox[0].body
    assert Notification.objects.get().person == practitioner


def test_unsent_application_sweep_run_twice_reminds_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    application(claimant(email="sam@example.org"), opportunity())

    counts = [run(remind_unsent_applications, django_capture_on_commit_callbacks) for _ in "ab"]

    assert counts == [1, 0]
    assert len(mailoutbox) == Notification.objects.count() == 1


@pytest.mark.parametrize("due", [1, 50])
def test_unsent_application_sweep_makes_a_fixed_number_of_queries(django_assert_num_queries, due):
    opening = opportunity()
    for n in range(due):
        application(claimant(email=f"p{n}@example.org"), opening)

    with django_assert_num_queries(12):
        count = remind_unsent_applications(by=TEST_ACTOR)

    assert count == due == Notification.objects.count()


# Staff digests ----------------------------------------------------------------------------


def submitted_claim(days_ago):
    return draft_claim(
        PersonFactory(), status=ClaimStatus.SUBMITTED, submitted_at=NOW - timedelta(days=days_ago)
    )


def test_approval_digest_goes_once_a_day_to_each_approver(
    django_capture_on_commit_callbacks, mailoutbox, time_machine, settings
):
    settings.COPROD_SITE_URL = "https://coprod.example.org"
    first = make_staff(StaffGroup.ENGAGEMENT, email="approver1@example.org")
    make_staff(StaffGroup.ENGAGEMENT, email="approver2@example.org")
    make_staff(StaffGroup.ENGAGEMENT, email="gone@example.org", is_active=False)
    make_staff(StaffGroup.FINANCE, email="finance@example.org")
    waiting = [submitted_claim(days_ago=4) for _ in range(3)]
    submitted_claim(days_ago=2)

    counts = [run(remind_claims_waiting_for_approval, django_capture_on_commit_callbacks)]
    counts.append(run(remind_claims_waiting_for_approval, django_capture_on_commit_callbacks))

    assert counts == [2, 0]
    assert sorted(sent(mailoutbox)) == [
        (["approver1@example.org"], "Claims waiting for approval"),
        (["approver2@example.org"], "Claims waiting for approval"),
    ]
    body = mailoutbox[0].body
    assert body == (
        "3 claims have waited more than 3 days for approval.\n\n"
        "See them in the staff pages: "
        "https://coprod.example.org/staff/recruitment/claims/in/waiting/"
    )
    names = [claim.engagement.person.display_name for claim in waiting]
    assert not any(name in body for name in names)
    assert Notification.objects.filter(
        person=first.person, category=NotificationCategory.STAFF
    ).exists()


def test_approval_digest_comes_again_the_next_day_while_claims_wait(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    make_staff(StaffGroup.ENGAGEMENT, email="approver@example.org")
    submitted_claim(days_ago=4)

    run(remind_claims_waiting_for_approval, django_capture_on_commit_callbacks)
    submitted_claim(days_ago=2)
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    run(remind_claims_waiting_for_approval, django_capture_on_commit_callbacks)

    assert [m.body.split(".")[0] for m in mailoutbox] == [
        "1 claim has waited more than 3 days for approval",
        "2 claims have waited more than 3 days for approval",
    ]


def test_approval_digest_is_not_sent_when_nothing_waits(
    django_capture_on_commit_callbacks, mailoutbox
):
    make_staff(StaffGroup.ENGAGEMENT)
    submitted_claim(days_ago=2)

    count = run(remind_claims_waiting_for_approval, django_capture_on_commit_callbacks)

    assert (count, mailoutbox, Reminder.objects.count()) == (0, [], 0)


def approved_claim(pay_by, **fields):
    return draft_claim(PersonFactory(), status=ClaimStatus.APPROVED, pay_by=pay_by, **fields)


def test_finance_hears_of_each_claim_due_soon_then_again_when_late(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    make_staff(StaffGroup.FINANCE, email="finance@example.org")
    make_staff(StaffGroup.ENGAGEMENT, email="engagement@example.org")
    claim = approved_claim(pay_by=TODAY + timedelta(days=3))
    approved_claim(pay_by=TODAY + timedelta(days=4))
    approved_claim(pay_by=TODAY + timedelta(days=1), method=PaymentMethod.DECLINED)

    def sweep():
        run(remind_payments_due_soon, django_capture_on_commit_callbacks)
        run(remind_late_payments, django_capture_on_commit_callbacks)

    sweep()
    sweep()
    for days in (1, 2, 3, 4, 5):
        time_machine.move_to(NOW + timedelta(days=days), tick=False)
        sweep()

    assert [(m.to, m.subject, m.body.split(".")[0]) for m in mailoutbox] == [
        (
            ["finance@example.org"],
            "Claims due to be paid soon",
            "1 approved claim is due to be paid in the next 3 days",
        ),
        (
            ["finance@example.org"],
            "Claims due to be paid soon",
            "1 approved claim is due to be paid in the next 3 days",
        ),
        (
            ["finance@example.org"],
            "Claims paid late",
            "1 approved claim is now past its pay-by date and not paid",
        ),
        (
            ["finance@example.org"],
            "Claims paid late",
            "1 approved claim is now past its pay-by date and not paid",
        ),
    ]
    occasions = Reminder.objects.filter(object_id=claim.pk).exclude(occasion__startswith="digest")
    assert sorted(occasions.values_list("kind", "occasion")) == [
        ("payment_due_soon", "due-soon"),
        ("payment_late", "late"),
    ]


def test_claim_approved_after_its_pay_by_date_is_only_reminded_as_late(
    django_capture_on_commit_callbacks, mailoutbox
):
    make_staff(StaffGroup.FINANCE, email="finance@example.org")
    approved_claim(pay_by=TODAY - timedelta(days=1))

    due_soon = run(remind_payments_due_soon, django_capture_on_commit_callbacks)
    late = run(remind_late_payments, django_capture_on_commit_callbacks)

    assert (due_soon, late) == (0, 1)
    assert [m.subject for m in mailoutbox] == ["Claims paid late"]


def test_claim_due_after_the_days_digest_waits_for_the_next_one(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    make_staff(StaffGroup.FINANCE, email="finance@example.org")
    approved_claim(pay_by=TODAY + timedelta(days=2))
    run(remind_payments_due_soon, django_capture_on_commit_callbacks)
    later = approved_claim(pay_by=TODAY + timedelta(days=2))

    same_day = run(remind_payments_due_soon, django_capture_on_commit_callbacks)
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    next_day = run(remind_payments_due_soon, django_capture_on_commit_callbacks)

    assert (same_day, next_day) == (0, 1)
    assert [m.body.split(".")[0] for m in mailoutbox] == [
        "1 approved claim is due to be paid in the next 3 days"
    ] * 2
    assert Reminder.objects.filter(object_id=later.pk, occasion="due-soon").exists()


def test_eligibility_review_digest_goes_on_the_review_date_and_for_each_new_one(
    django_capture_on_commit_callbacks, mailoutbox, time_machine
):
    make_staff(StaffGroup.ENGAGEMENT, email="engagement@example.org")
    make_staff(StaffGroup.FINANCE, email="finance@example.org")
    eligibility = PaymentEligibilityFactory(review_on=TODAY)
    PaymentEligibilityFactory(review_on=TODAY + timedelta(days=1))

    run(remind_eligibility_reviews, django_capture_on_commit_callbacks)
    run(remind_eligibility_reviews, django_capture_on_commit_callbacks)
    eligibility.review_on = TODAY + timedelta(days=1)
    eligibility.save()
    time_machine.move_to(NOW + timedelta(days=1), tick=False)
    run(remind_eligibility_reviews, django_capture_on_commit_callbacks)

    assert [(m.to, m.body.split(".")[0]) for m in mailoutbox] == [
        (["engagement@example.org"], "1 person's payment eligibility has reached its review date"),
        (["engagement@example.org"], "2 people's payment eligibility has reached its review date"),
    ]


def test_staff_digest_goes_to_staff_without_any_safe_contact_consent(
    django_capture_on_commit_callbacks, mailoutbox
):
    staff = make_staff(StaffGroup.ENGAGEMENT, email="approver@example.org")
    staff.person.safe_contact.delete()
    set_involvement_status(staff.person, PersonStatus.PAUSED, by=TEST_ACTOR)
    submitted_claim(days_ago=5)

    run(remind_claims_waiting_for_approval, django_capture_on_commit_callbacks)

    assert sent(mailoutbox) == [(["approver@example.org"], "Claims waiting for approval")]


@pytest.mark.parametrize("due", [1, 50])
def test_finance_digest_makes_a_fixed_number_of_queries(django_assert_num_queries, due):
    make_staff(StaffGroup.FINANCE)
    make_staff(StaffGroup.FINANCE)
    for _ in range(due):
        approved_claim(pay_by=TODAY - timedelta(days=1))

    # Due claims; recipients; savepoint, insert, read back; the outbox's keys, people, savepoint,
    # insert, release; the link; release.
    with django_assert_num_queries(12):
        count = remind_late_payments(by=TEST_ACTOR)

    assert count == 2
    assert Reminder.objects.filter(occasion="late").count() == due


@pytest.mark.parametrize("due", [1, 50])
def test_approval_digest_makes_a_fixed_number_of_queries(django_assert_num_queries, due):
    make_staff(StaffGroup.ENGAGEMENT)
    for _ in range(due):
        submitted_claim(days_ago=4)

    with django_assert_num_queries(12):
        count = remind_claims_waiting_for_approval(by=TEST_ACTOR)

    assert count == 1


# Schedules ---------------------------------------------------------------------------------


def test_every_reminder_sweep_is_a_declared_periodic_task_of_a_registered_task():
    celery_app.loader.import_default_modules()  # what a worker does when it starts
    declared = {p.task for p in doors.periodic_tasks() if p.task.startswith("coprod.recruitment.")}

    assert declared == {
        "coprod.recruitment.remind_unclaimed_work",
        "coprod.recruitment.remind_unsent_applications",
        "coprod.recruitment.remind_claims_waiting_for_approval",
        "coprod.recruitment.remind_payments_due_soon",
        "coprod.recruitment.remind_late_payments",
        "coprod.recruitment.remind_eligibility_reviews",
    }
    assert declared <= set(celery_app.tasks)


def test_reminder_task_runs_its_sweep(django_capture_on_commit_callbacks, mailoutbox):
    from recruitment.tasks import remind_unclaimed_work as task

    draft_claim(claimant(email="sam@example.org"))

    with django_capture_on_commit_callbacks(execute=True):
        result = task.delay().get()

    assert result == 1
    assert sent(mailoutbox) == [(["sam@example.org"], "A message for you")]


def test_what_was_reminded_is_no_longer_read_as_due():
    """The sweep's read leaves out what was reminded (NOT EXISTS): without it, each hourly sweep
    would read, and try to insert again, every reminder ever sent (the unique key alone keeps
    each to once, at a cost that grows with the years)."""
    draft_claim(claimant(), completed_days_ago=4)
    remind_unclaimed_work(by=TEST_ACTOR)

    assert list(unclaimed_work_due(now=NOW + timedelta(hours=1))) == []
