"""The whole funding journey of the README's "Funding, step by step", through the real pages, as
the demo accounts (`seed_demo`) who do each step: the researcher sends their draft to the open
call, with a PDF; staff (signed in with their password and MFA code) check the eligibility of the
closed call's proposals in the admin; the LEE and the policymaker (the chair) accept the panel's
terms and declare — the LEE a conflict ("they support me now"), which the chair keeps them out
of; staff start scoring and assign reviewers automatically; the LEE and the chair score on the
review page (a draft first, then sent); members say when they can meet and staff close the poll
(an invitation with a calendar file for each member); staff close scoring ("Close scoring now",
before the deadline); the results show each seat's figures; staff record the decisions (the one
the LEE flag marks needs "how the LEE view was weighed") and decide the call; applicants and
members are told.
The other demo members have no login: they are made ready, review and answer the poll through
the set-up helpers and the services (an assisted review, as staff enter one for a member).
Then every funding periodic task, run twice at two moments, reminds exactly once.

One flow, a helper per step; each step asserts what it changed (statuses, rows, rendered
text, the messages queued and to whom)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from coprod.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, STAFF_EMAIL
from coprod.models import Notification, User
from funding import tasks
from funding.demo import (
    CLOSED_CALL,
    LEE_EMAIL,
    OPEN_CALL,
    POLICYMAKER_EMAIL,
    RESEARCHER_EMAIL,
    REVIEW_CALL,
)
from funding.enums import (
    CallStatus,
    ConflictCategory,
    ConflictDecision,
    DecisionOutcome,
    Eligibility,
    FundingReminderKind,
    PanelRole,
    PollStatus,
    ProposalStatus,
    ReviewStatus,
    ScoredBy,
)
from funding.models import (
    Call,
    ConflictDeclaration,
    Decision,
    FundingReminder,
    MeetingPoll,
    Panel,
    PanelMember,
    Proposal,
    Review,
)
from funding.permissions import scoring_is_open, scoring_window_closed
from funding.services import answer_poll, submit_assisted_review
from recruitment.models import Engagement
from tests.factories.core import sign_in, totp_code
from tests.factories.funding import declare_clear
from tests.funding.files import PDF

pytestmark = pytest.mark.django_db

# Monday 14 June 2027, 10:00 in London: each step happens at a moment of its own (time stands
# still in between).
NOW = datetime(2027, 6, 14, 9, tzinfo=UTC)
PROPOSAL_PAGE = "/portal/funding/"
INELIGIBLE = "Safe reporting of exploitation at work"
CONFLICTED = "Housing first for survivors"
LEE_WEIGHED = "The LEE view was weighed first: they know what safety means here."


@dataclass
class Cast:
    """The signed-in browsers of the journey, and who is behind them."""

    staff: Client
    staff_user: User
    researcher: Client
    researcher_user: User
    lee: Client
    lee_user: User
    chair: Client
    chair_user: User


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def signed_in(email: str) -> Client:
    """A portal login, signed in through the sign-in form with the demo password."""
    client = Client()
    response = sign_in(client, email, DEMO_PASSWORD)
    assert (response.status_code, response["Location"]) == (302, "/")
    return client


def staff_signed_in() -> Client:
    """The demo staff login: password, then the code of the authenticator app (the demo TOTP
    secret is in coprod/demo.py)."""
    client = Client()
    password_step = sign_in(client, STAFF_EMAIL, DEMO_PASSWORD)
    assert password_step["Location"] == "/accounts/2fa/authenticate/"
    code_step = client.post("/accounts/2fa/authenticate/", {"code": totp_code(DEMO_TOTP_SECRET)})
    assert (code_step.status_code, code_step["Location"]) == (302, "/")
    return client


def kinds_since(before: set[int], kind: str) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind).exclude(pk__in=before).order_by("person_id"))


def outbox() -> set[int]:
    return set(Notification.objects.values_list("pk", flat=True))


@pytest.fixture
def cast(time_machine, settings) -> Cast:
    time_machine.move_to(NOW, tick=False)
    settings.DEBUG = True  # seed_demo runs in development only
    call_command("seed_demo", stdout=StringIO())
    settings.DEBUG = False
    return Cast(
        staff=staff_signed_in(),
        staff_user=User.objects.get(email=STAFF_EMAIL),
        researcher=signed_in(RESEARCHER_EMAIL),
        researcher_user=User.objects.get(email=RESEARCHER_EMAIL),
        lee=signed_in(LEE_EMAIL),
        lee_user=User.objects.get(email=LEE_EMAIL),
        chair=signed_in(POLICYMAKER_EMAIL),
        chair_user=User.objects.get(email=POLICYMAKER_EMAIL),
    )


# The steps -------------------------------------------------------------------------------------


def researcher_sends(cast: Cast) -> Proposal:
    """ "Funding calls": the open call, "Continue your proposal", everything filled in, a PDF,
    "Send my proposal"."""
    call = Call.objects.get(title=OPEN_CALL)
    calls = page(cast.researcher.get(PROPOSAL_PAGE))
    assert OPEN_CALL in calls
    assert f"/portal/funding/{call.pk}/propose/" in page(
        cast.researcher.get(f"/portal/funding/{call.pk}/")
    )
    form = page(cast.researcher.get(f"/portal/funding/{call.pk}/propose/"))
    assert "Survivors as co-researchers in job schemes" in form  # the demo draft

    sent = page(
        cast.researcher.post(
            f"/portal/funding/{call.pk}/propose/",
            {
                "title": "Survivors as co-researchers in job schemes",
                "summary": "We want to learn which job schemes help survivors find safe work.",
                "description": "Two years, four job schemes, survivors as paid co-researchers.",
                "requested_amount": "45000",
                "team": "Dr Kim and two paid co-researchers.",
                "lived_experience_involvement": "Paid co-researchers shape every question.",
                "content_warning": "",
                "attachments": SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
                "send": "Send my proposal",
            },
            follow=True,
        )
    )

    proposal = Proposal.objects.get(call=call, applicant=cast.researcher_user.person)
    assert (proposal.status, proposal.submitted_at) == (ProposalStatus.SUBMITTED, NOW)
    assert [a.original_name for a in proposal.attachments.all()] == ["plan.pdf"]
    assert "Thank you. Your proposal is sent." in sent
    assert "Survivors as co-researchers in job schemes" in sent  # "Your proposals"
    return proposal


def staff_check_eligibility(cast: Cast) -> Call:
    """The call's staff page lists its proposals; each title opens the admin's change page,
    where staff choose "Eligible" or "Not eligible" (with the reason the applicant is told)."""
    call = Call.objects.get(title=CLOSED_CALL)
    listed = page(cast.staff.get(f"/staff/funding/calls/{call.pk}/"))
    before = outbox()
    for proposal in call.proposals.order_by("pk"):
        assert f"/admin/funding/proposal/{proposal.pk}/change/" in listed
        eligible = proposal.title != INELIGIBLE
        response = cast.staff.post(
            f"/admin/funding/proposal/{proposal.pk}/change/",
            {
                "eligibility": Eligibility.ELIGIBLE if eligible else Eligibility.INELIGIBLE,
                "ineligible_reason": "" if eligible else "The centre funds UK work only.",
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]

    assert dict(call.proposals.values_list("title", "eligibility")) == {
        "Peer support after leaving safe houses": Eligibility.ELIGIBLE,
        "Advice on work rights in many languages": Eligibility.ELIGIBLE,
        CONFLICTED: Eligibility.ELIGIBLE,
        INELIGIBLE: Eligibility.INELIGIBLE,
    }
    told = kinds_since(before, "funding_eligibility")
    assert sorted(n.person_id for n in told) == sorted(
        call.proposals.values_list("applicant_id", flat=True)
    )
    return call


def members_accept_and_declare(cast: Cast, call: Call) -> Panel:
    """ "Funding panels" → the panel: "I accept these terms", then the declaration: the LEE has a
    conflict with one proposal ("They support me now"), the chair none. The chair keeps the LEE
    out of it on "Conflicts to decide". The members without a login are made ready directly."""
    panel = Panel.objects.get(call=call)
    proposals = {p.title: p for p in call.proposals.all()}
    for client, user, conflicted in (
        (cast.lee, cast.lee_user, CONFLICTED),
        (cast.chair, cast.chair_user, None),
    ):
        member = PanelMember.objects.get(panel=panel, person=user.person)
        seats = page(client.get("/portal/funding/panel/"))
        assert f"/portal/funding/panel/{member.pk}/" in seats
        terms = page(client.get(f"/portal/funding/panel/{member.pk}/"))
        assert "I accept these terms" in terms
        accepted = client.post(f"/portal/funding/panel/{member.pk}/", {"confirm": "on"})
        assert accepted["Location"] == f"/portal/funding/panel/{member.pk}/declare/"
        form = client.get(accepted["Location"])
        to_declare = {p.title for p in form.context["proposals"]}
        assert to_declare == set(proposals) - {INELIGIBLE}
        answers = {}
        for title in to_declare:
            pk = proposals[title].pk
            answers[f"p{pk}_conflict"] = "yes" if title == conflicted else "no"
            if title == conflicted:
                answers[f"p{pk}_category"] = ConflictCategory.SUPPORTS_ME
                answers[f"p{pk}_description"] = "Their team is my support worker's charity."
        done = page(client.post(accepted["Location"], answers, follow=True))
        assert "Thank you. Your declarations are recorded." in done
        member.refresh_from_db()
        assert member.confidentiality_accepted_at == NOW
        assert member.declarations_done_at == NOW

    declaration = ConflictDeclaration.objects.get(
        member__person=cast.lee_user.person, conflicted=True
    )
    assert (declaration.proposal.title, declaration.category, declaration.decision) == (
        CONFLICTED,
        ConflictCategory.SUPPORTS_ME,
        ConflictDecision.PENDING,
    )
    assert not ConflictDeclaration.objects.filter(
        member__person=cast.chair_user.person, conflicted=True
    ).exists()

    chair_seat = PanelMember.objects.get(panel=panel, person=cast.chair_user.person)
    to_decide = page(cast.chair.get(f"/portal/funding/panel/{chair_seat.pk}/conflicts/"))
    decide_url = f"/portal/funding/panel/{chair_seat.pk}/conflicts/{declaration.pk}/"
    assert decide_url in to_decide
    decided = page(
        cast.chair.post(
            decide_url,
            {"decision": ConflictDecision.EXCLUDED, "decision_reason": ""},
            follow=True,
        )
    )
    assert "The decision is recorded." in decided
    declaration.refresh_from_db()
    assert declaration.decision == ConflictDecision.EXCLUDED
    # The LEE may open every eligible proposal but the one they are kept out of.
    lee_seat = PanelMember.objects.get(panel=panel, person=cast.lee_user.person)
    seat_page = cast.lee.get(f"/portal/funding/panel/{lee_seat.pk}/")
    assert {p.title for p in seat_page.context["openable"]} == set(proposals) - {
        INELIGIBLE,
        CONFLICTED,
    }

    # Sol, Mira, Dr Moreau and Pat have no login: ready, with nothing to declare.
    for member in panel.members.exclude(person__in=[cast.lee_user.person, cast.chair_user.person]):
        declare_clear(member, call.proposals.exclude(title=INELIGIBLE))
    assert not panel.members.filter(declarations_done_at__isnull=True).exists()
    return panel


def staff_start_and_assign(cast: Cast, panel: Panel) -> dict[int, list[Review]]:
    """On the panel's page, "Start scoring" (the composition rule is met: no reason needed);
    then "Assign reviewers" → "Assign automatically"."""
    before = outbox()
    panel_page = page(cast.staff.get(f"/staff/funding/panels/{panel.pk}/"))
    assert "Start scoring" in panel_page
    started = page(
        cast.staff.post(
            f"/staff/funding/panels/{panel.pk}/start/", {"override_reason": ""}, follow=True
        )
    )
    assert "Scoring has started. The members are told." in started
    panel.refresh_from_db()
    panel.call.refresh_from_db()
    assert (panel.scoring_started_at, panel.override_reason, panel.call.status) == (
        NOW,
        "",
        CallStatus.IN_REVIEW,
    )
    assert scoring_is_open(panel)
    assert len(kinds_since(before, "funding_panel_scoring")) == 6

    assert "Assign automatically" in page(
        cast.staff.get(f"/staff/funding/panels/{panel.pk}/assignments/")
    )
    page(cast.staff.post(f"/staff/funding/panels/{panel.pk}/assignments/auto/"))

    by_proposal: dict[int, list[Review]] = {}
    for review in Review.objects.filter(member__panel=panel).select_related("member", "proposal"):
        by_proposal.setdefault(review.proposal_id, []).append(review)
    eligible = panel.call.proposals.exclude(title=INELIGIBLE)
    assert set(by_proposal) == set(eligible.values_list("pk", flat=True))
    for reviews in by_proposal.values():
        assert len(reviews) == 3
        assert any(r.member.role == PanelRole.LEE for r in reviews)
        # Nobody reviews what they are kept out of.
        for review in reviews:
            assert not (
                review.proposal.title == CONFLICTED
                and review.member.person_id == cast.lee_user.person_id
            )
    assert Review.objects.filter(member__person=cast.lee_user.person, member__panel=panel).exists()
    assert Review.objects.filter(
        member__person=cast.chair_user.person, member__panel=panel
    ).exists()
    return by_proposal


def score_values(review: Review, flagged: int) -> dict[int, int]:
    """What each reviewer gives each criterion: on the `flagged` proposal LEEs give the top of
    the scale and everyone else 1 (the results flag the difference); elsewhere, all give 3."""
    values = {}
    for criterion in review.proposal.call.criteria.all():
        if criterion.scored_by == ScoredBy.LEES and review.member.role != PanelRole.LEE:
            continue
        if review.proposal_id == flagged:
            values[criterion.pk] = criterion.scale_max if review.member.role == PanelRole.LEE else 1
        else:
            values[criterion.pk] = min(3, criterion.scale_max)
    return values


def members_score(cast: Cast, panel: Panel, flagged: int) -> None:
    """ "Your reviews": each review's page, the scores (and feedback for the applicant), "Save and
    come back later" for the first, then "Send my review". Staff enter the others' reviews as
    assisted reviews (after talking them through with the member)."""
    for client, user in ((cast.lee, cast.lee_user), (cast.chair, cast.chair_user)):
        reviews = list(
            Review.objects.filter(member__panel=panel, member__person=user.person).order_by("pk")
        )
        listed = page(client.get("/portal/funding/reviews/"))
        for number, review in enumerate(reviews):
            url = f"/portal/funding/reviews/{review.pk}/"
            assert url in listed
            assert review.proposal.title in page(client.get(url))
            fields = {
                f"score_{pk}": str(value) for pk, value in score_values(review, flagged).items()
            }
            fields["feedback"] = "Survivors lead this: keep it that way."
            if number == 0:
                saved = page(
                    client.post(url, {**fields, "save": "Save and come back later"}, follow=True)
                )
                assert "Your review is saved." in saved
                review.refresh_from_db()
                assert review.status == ReviewStatus.DRAFT
            sent = page(client.post(url, {**fields, "send": "Send my review"}, follow=True))
            assert "Thank you. Your review is sent." in sent
            review.refresh_from_db()
            assert (review.status, review.submitted_at) == (ReviewStatus.SUBMITTED, NOW)
            assert {s.criterion_id: s.value for s in review.scores.all()} == score_values(
                review, flagged
            )

    others = Review.objects.filter(member__panel=panel).exclude(status=ReviewStatus.SUBMITTED)
    for review in others.select_related("member", "proposal__call"):
        submit_assisted_review(review, by=cast.staff_user, scores=score_values(review, flagged))
    assert set(Review.objects.filter(member__panel=panel).values_list("status", flat=True)) == {
        ReviewStatus.SUBMITTED
    }
    # Each sent review is paid work: one engagement per review, for its reviewer.
    sent = Review.objects.filter(member__panel=panel)
    assert sorted(
        Engagement.objects.filter(source_key__startswith="funding.review:").values_list(
            "source_key", "person_id"
        )
    ) == sorted((f"funding.review:{r.pk}", r.member.person_id) for r in sent)


def members_mark_availability(cast: Cast, panel: Panel) -> MeetingPoll:
    """ "Panel meetings": the poll, yes / if need be / no for each time, "Save my answers"."""
    poll = MeetingPoll.objects.get(panel=panel)
    first, second, third = poll.slots.order_by("starts_at")
    for client, answers in (
        (cast.chair, {first: "yes", second: "no", third: "no"}),
        (cast.lee, {first: "yes", second: "if_need_be", third: "no"}),
    ):
        assert f"/portal/funding/meetings/{poll.pk}/" in page(
            client.get("/portal/funding/meetings/")
        )
        saved = page(
            client.post(
                f"/portal/funding/meetings/{poll.pk}/",
                {f"slot_{slot.pk}": answer for slot, answer in answers.items()},
                follow=True,
            )
        )
        assert "Thank you. Your answers are saved." in saved
    # Two members without a login answer by telephone; staff enter it.
    for member in panel.members.filter(person__chosen_name__in=["Sol", "Dr Moreau"]):
        answer_poll(
            poll,
            member,
            by=cast.staff_user,
            answers={first.pk: "yes", second.pk: "no", third.pk: "no"},
        )
    return poll


def staff_close_poll(cast: Cast, poll: MeetingPoll) -> None:
    """ "Panel meetings: polls and attendance" → the poll → "Close the poll now": the time the
    chair, an LEE and a quorum can come is chosen, and each member gets an invitation with a
    calendar file."""
    before = outbox()
    poll_page = page(cast.staff.get(f"/staff/funding/meetings/{poll.pk}/"))
    assert "Close the poll now" in poll_page
    page(cast.staff.post(f"/staff/funding/meetings/{poll.pk}/close/", follow=True))

    poll.refresh_from_db()
    assert (poll.status, poll.chosen_slot) == (
        PollStatus.SCHEDULED,
        poll.slots.order_by("starts_at").first(),
    )
    invitations = kinds_since(before, "funding_meeting_invitation")
    assert sorted(n.person_id for n in invitations) == sorted(
        poll.panel.members.values_list("person_id", flat=True)
    )
    files = invitations[0].content["full"]["attachments"]
    assert [(f["filename"], f["text"].startswith("BEGIN:VCALENDAR")) for f in files] == [
        ("meeting.ics", True)
    ]


def staff_close_scoring(cast: Cast, panel: Panel) -> None:
    """Every review is in: on the panel's page, "Close scoring now" (before the deadline). From
    then on the review pages are locked."""
    panel_page = page(cast.staff.get(f"/staff/funding/panels/{panel.pk}/"))
    assert "Close scoring now" in panel_page
    closed = page(cast.staff.post(f"/staff/funding/scoring/{panel.pk}/close/", follow=True))

    assert "Scoring is closed. Members can no longer change their reviews." in closed
    panel.refresh_from_db()
    assert panel.scoring_closed_at == NOW
    assert scoring_window_closed(panel)
    assert not scoring_is_open(panel)
    review = Review.objects.filter(member__panel=panel, member__person=cast.lee_user.person).first()
    refused = cast.lee.post(f"/portal/funding/reviews/{review.pk}/", {"send": "x"}, follow=True)
    assert refused.redirect_chain == [(f"/portal/funding/reviews/{review.pk}/", 302)]
    assert "You have already sent this review, so it cannot be changed." in page(refused)


def staff_see_results(cast: Cast, call: Call, flagged: Proposal) -> None:
    """ "Results and decisions" → the call: each proposal's mean, and by seat; the flag."""
    assert f"/staff/funding/results/{call.pk}/" in page(cast.staff.get("/staff/funding/results/"))
    results = page(cast.staff.get(f"/staff/funding/results/{call.pk}/"))
    for title in (
        "Peer support after leaving safe houses",
        "Advice on work rights in many languages",
        CONFLICTED,
    ):
        assert title in results
    assert INELIGIBLE not in results
    assert results.count("Mean by seat") == 3
    assert results.count("LEE scores differ from the others") == 1
    flagged_block = results[results.index(flagged.title) :]
    assert "LEE: 100.0" in flagged_block.split("</section>")[0]
    # The chair sees the same figures on their own page.
    chair = page(cast.chair.get(f"/portal/funding/results/{call.pk}/"))
    assert flagged.title in chair
    assert "Mean by seat" in chair


def staff_decide(cast: Cast, call: Call, flagged: Proposal) -> None:
    """On each proposal, "Record the decision": the outcome, the rationale, feedback; the flagged
    one needs how the LEE view was weighed. Then "Decide the call and send the feedback"."""
    outcomes = {
        flagged.pk: DecisionOutcome.FUND,
    }
    rest = list(call.proposals.exclude(title=INELIGIBLE).exclude(pk=flagged.pk).order_by("pk"))
    outcomes[rest[0].pk] = DecisionOutcome.FUND_WITH_CONDITIONS
    outcomes[rest[1].pk] = DecisionOutcome.DO_NOT_FUND
    url = f"/staff/funding/results/{call.pk}/proposals/{flagged.pk}/decision/"
    fields = {
        "outcome": DecisionOutcome.FUND,
        "conditions": "",
        "rationale": "The panel's strongest case for survivors.",
        "dissent": "",
        "lee_view": "",
        "feedback": "Well argued; keep the co-researchers paid.",
    }
    refused = cast.staff.post(url, fields)
    assert refused.status_code == 400
    assert "say how the lived experience view was weighed" in refused.content.decode()
    assert not Decision.objects.exists()
    page(cast.staff.post(url, {**fields, "lee_view": LEE_WEIGHED}, follow=True))
    decision = Decision.objects.get(proposal=flagged)
    assert (decision.outcome, decision.lee_flag_raised, decision.lee_view) == (
        DecisionOutcome.FUND,
        True,
        LEE_WEIGHED,
    )
    for proposal in rest:
        done = page(
            cast.staff.post(
                f"/staff/funding/results/{call.pk}/proposals/{proposal.pk}/decision/",
                {
                    **fields,
                    "outcome": outcomes[proposal.pk],
                    "conditions": "A survivor on the steering group.",
                    "rationale": "Weighed against the budget.",
                },
                follow=True,
            )
        )
        assert f"The decision on “{proposal.title}” is saved." in done
    assert dict(Decision.objects.values_list("proposal_id", "outcome")) == outcomes

    before = outbox()
    decided = page(cast.staff.post(f"/staff/funding/results/{call.pk}/decide/", follow=True))
    assert "The call is decided." in decided
    call.refresh_from_db()
    assert call.status == CallStatus.DECIDED
    told = kinds_since(before, "funding_decision")
    assert sorted(n.person_id for n in told) == sorted(
        Proposal.objects.filter(pk__in=outcomes).values_list("applicant_id", flat=True)
    )
    researchers_own = [n for n in told if n.person_id == cast.researcher_user.person_id]
    assert researchers_own
    assert "Well argued" in researchers_own[0].content["full"]["body"]
    members_told = kinds_since(before, "funding_panel_outcomes")
    assert sorted(n.person_id for n in members_told) == sorted(
        call.panel.members.values_list("person_id", flat=True)
    )
    assert not Decision.objects.filter(feedback_sent_at__isnull=True).exists()


def run_every_funding_task(capture) -> None:
    """What Celery beat runs (funding/contributions.py), each task as the worker runs it, twice."""
    for _ in range(2):
        with capture(execute=True):
            for task in (
                tasks.remind_scoring_due,
                tasks.close_due_meeting_polls,
                tasks.remind_meetings,
            ):
                task.delay().get()


def reminders(kind: str) -> list[tuple[int, str]]:
    return sorted(FundingReminder.objects.filter(kind=kind).values_list("object_id", "occasion"))


def assert_each_reminder_sent_once() -> None:
    for reminder in FundingReminder.objects.all():
        assert reminder.notification is not None
    keys = list(
        Notification.objects.filter(kind__startswith="funding").values_list(
            "idempotency_key", flat=True
        )
    )
    assert len(keys) == len(set(keys))


# The journey -----------------------------------------------------------------------------------


def test_funding_step_by_step_as_the_readme_walks_it(
    cast, time_machine, django_capture_on_commit_callbacks
):
    researcher_sends(cast)
    call = staff_check_eligibility(cast)
    panel = members_accept_and_declare(cast, call)
    staff_start_and_assign(cast, panel)
    lee_reviews = Review.objects.filter(member__panel=panel, member__person=cast.lee_user.person)
    flagged = lee_reviews.order_by("proposal_id").first().proposal
    members_score(cast, panel, flagged.pk)
    poll = members_mark_availability(cast, panel)
    staff_close_poll(cast, poll)
    staff_close_scoring(cast, panel)
    staff_see_results(cast, call, flagged)
    staff_decide(cast, call, flagged)

    # Two days before the panels' deadline: the demo LEE still has reviews to send on the call
    # in review; the sweeps remind them once. No meeting is within a week yet.
    time_machine.move_to(panel.scoring_deadline - timedelta(days=2), tick=False)
    run_every_funding_task(django_capture_on_commit_callbacks)
    lee_seat_in_review = PanelMember.objects.get(
        panel__call__title=REVIEW_CALL, person=cast.lee_user.person
    )
    scoring_reminder = [(lee_seat_in_review.pk, f"3-days:{(NOW + timedelta(days=14)).date()}")]
    assert reminders(FundingReminderKind.SCORING_DUE) == scoring_reminder
    assert reminders(FundingReminderKind.MEETING) == []

    # A week before the meeting: every member, with a login or not, is reminded once; the
    # scoring reminder is not sent again.
    time_machine.move_to(poll.chosen_slot.starts_at - timedelta(days=7), tick=False)
    run_every_funding_task(django_capture_on_commit_callbacks)
    assert reminders(FundingReminderKind.SCORING_DUE) == scoring_reminder
    assert reminders(FundingReminderKind.MEETING) == sorted(
        (member.pk, f"7-days:{poll.pk}") for member in panel.members.all()
    )
    assert_each_reminder_sent_once()
