"""Nothing of a proposal reaches someone the access rule keeps out, through any funding URL: a
member or the chair of another panel, a member kept out by a conflict (decided or waiting), and
the applicant — also when the applicant sits on (or chairs) the proposal's panel. Each visitor is
given the ids of the proposal's file, reviews, scores, results, meeting and conflicts, and every
page answers 404 (or 403 for staff pages); the pages of their own they may open do not name it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from coprod.models import User
from funding.enums import ConflictCategory, ConflictDecision, PanelRole, ReviewStatus
from funding.models import (
    ConflictDeclaration,
    Panel,
    PanelMember,
    Proposal,
    ProposalAttachment,
    Review,
)
from funding.permissions import sync_proposal_access
from funding.services import record_eligibility, withdraw_proposal
from funding.services.panels import record_own_proposal_conflicts
from tests.factories.funding import (
    PanelFactory,
    ProposalFactory,
    declare_clear,
    make_funding_staff,
    open_poll,
    scored_review,
    seat,
)
from tests.funding.files import PDF, upload

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Shelter for the Rosa family"
SECRET_COMMENT = "The budget for the safe house is too low."
SECRET_CONFLICT = "I used their advice line last year."


@dataclass
class World:
    panel_a: Panel
    panel_b: Panel
    proposal: Proposal  # panel B's, the one nobody below may reach
    chair_b: PanelMember
    member_b: PanelMember
    sent_review: Review
    pending: ConflictDeclaration
    users: dict[str, User]


def attach(proposal: Proposal) -> ProposalAttachment:
    attachment = ProposalAttachment(
        proposal=proposal, original_name="plan.pdf", content_type="application/pdf", size=len(PDF)
    )
    attachment.file.save("plan.pdf", upload("plan.pdf", PDF), save=True)
    return attachment


def _user(member: PanelMember) -> User:
    return User.objects.get(person_id=member.person_id)


def _conflict(member: PanelMember, proposal: Proposal, decision: str) -> ConflictDeclaration:
    declaration = ConflictDeclaration.objects.get(member=member, proposal=proposal)
    ConflictDeclaration.objects.filter(pk=declaration.pk).update(
        conflicted=True,
        category=ConflictCategory.USED_SERVICES,
        description=SECRET_CONFLICT,
        decision=decision,
    )
    sync_proposal_access([member])
    return declaration


def world() -> World:
    """Two panels, scoring closed on both (members who may open a proposal now see its scores).
    Panel B's proposal has a file, a sent review with a comment, a meeting poll and conflicts."""
    now = timezone.now()
    closed = {"scoring_started_at": now - timedelta(days=3), "scoring_closed_at": now}
    panel_a = PanelFactory(**closed)
    panel_b = PanelFactory(**closed)
    ProposalFactory(call=panel_a.call)
    chair_a = seat(panel_a, PanelRole.POLICYMAKER, is_chair=True)
    member_a = seat(panel_a, PanelRole.LEE)
    scored_review(member_a, Proposal.objects.get(call=panel_a.call), 50)
    # The applicant of panel B's proposal sits on panel B (the system keeps them out).
    applicant_member = seat(panel_b, PanelRole.RESEARCHER, ready=False)
    proposal = ProposalFactory(
        call=panel_b.call, title=SECRET_TITLE, applicant=applicant_member.person
    )
    attach(proposal)
    ProposalFactory(call=panel_b.call)
    chair_b = seat(panel_b, PanelRole.POLICYMAKER, is_chair=True)
    member_b = seat(panel_b, PanelRole.LEE)
    sent_review = scored_review(member_b, proposal, 80, comment=SECRET_COMMENT)
    excluded = seat(panel_b, PanelRole.LEE)
    Review.objects.create(member=excluded, proposal=proposal, status=ReviewStatus.DRAFT)
    _conflict(excluded, proposal, ConflictDecision.EXCLUDED)
    waiting = seat(panel_b, PanelRole.LEE)
    pending = _conflict(waiting, proposal, ConflictDecision.PENDING)
    declare_clear(applicant_member)  # declares for the other proposal; never their own
    record_own_proposal_conflicts(panel_b)
    sync_proposal_access([applicant_member])
    open_poll(panel_b)
    return World(
        panel_a=panel_a,
        panel_b=panel_b,
        proposal=proposal,
        chair_b=chair_b,
        member_b=member_b,
        sent_review=sent_review,
        pending=pending,
        users={
            "chair of another panel": _user(chair_a),
            "member of another panel": _user(member_a),
            "member excluded by a conflict": _user(excluded),
            "member whose conflict waits": _user(waiting),
            "applicant on the panel": _user(applicant_member),
        },
    )


def _urls(built: World, visitor: User) -> list[str]:
    proposal = built.proposal
    poll = built.panel_b.polls.get()
    own_review = Review.objects.filter(member__person_id=visitor.person_id, proposal=proposal)
    reviews = [built.sent_review.pk, *own_review.values_list("pk", flat=True)]
    staff_panel = {"panel_id": built.panel_b.pk}
    return [
        reverse("funding:proposal", args=[proposal.pk]),
        reverse("funding:attachment", args=[proposal.attachments.get().pk]),
        *(reverse("funding_reviews:review", args=[pk]) for pk in reviews),
        *(reverse("funding_reviews:step_back", args=[pk]) for pk in reviews),
        reverse("funding_reviews:panel_scores", args=[proposal.pk]),
        reverse("funding_panel:seat", args=[built.member_b.pk]),
        reverse("funding_panel:declare", args=[built.member_b.pk]),
        reverse("funding_panel:conflicts", args=[built.chair_b.pk]),
        reverse("funding_panel:decide", args=[built.chair_b.pk, built.pending.pk]),
        reverse("funding_chair_results:call", args=[built.panel_b.call_id]),
        reverse("funding_results:call", args=[built.panel_b.call_id]),
        reverse("funding_results:csv", args=[built.panel_b.call_id]),
        reverse("funding_results:decision", args=[built.panel_b.call_id, proposal.pk]),
        reverse("funding_review_staff:call", args=[built.panel_b.call_id]),
        reverse("funding_panels:panel", kwargs=staff_panel),
        reverse("funding_panels:conflicts", kwargs=staff_panel),
        reverse("funding_panels:decide", args=[built.panel_b.pk, built.pending.pk]),
        reverse("funding_panels:assignments", kwargs=staff_panel),
        reverse("funding_meetings_staff:poll", args=[poll.pk]),
    ]


OUTSIDERS = [
    "chair of another panel",
    "member of another panel",
    "member excluded by a conflict",
    "member whose conflict waits",
    "applicant on the panel",
]


@pytest.mark.parametrize("visitor", OUTSIDERS)
def test_nothing_of_a_proposal_reaches_who_is_kept_out(client, visitor):
    built = world()
    user = built.users[visitor]
    client.force_login(user)
    applicant = visitor == "applicant on the panel"

    answers = {url: client.get(url) for url in _urls(built, user)}

    refused = {}
    for url, response in answers.items():
        if applicant and url == reverse("funding:proposal", args=[built.proposal.pk]):
            continue  # their own proposal, as its applicant
        if applicant and url.startswith(reverse("funding:attachment", args=[0])[:-2]):
            continue
        refused[url] = response.status_code
    assert {url: code for url, code in refused.items() if code not in (403, 404)} == {}


@pytest.mark.parametrize("visitor", ["chair of another panel", "member of another panel"])
def test_poll_of_another_panel_is_not_found(client, visitor):
    built = world()
    client.force_login(built.users[visitor])
    poll = built.panel_b.polls.get()

    answers = [
        client.get(reverse("funding_meetings:poll", args=[poll.pk])).status_code,
        client.get(reverse("funding_meetings:calendar", args=[poll.pk])).status_code,
    ]

    assert answers == [404, 404]


@pytest.mark.parametrize("visitor", OUTSIDERS)
def test_own_pages_of_who_is_kept_out_do_not_name_the_proposal(client, visitor):
    built = world()
    user = built.users[visitor]
    client.force_login(user)
    seats = PanelMember.objects.filter(person_id=user.person_id)

    pages = [
        client.get(reverse("funding_reviews:list")),
        client.get(reverse("funding_chair_results:calls")),
        client.get(reverse("funding_meetings:list")),
        *(client.get(reverse("funding_panel:seat", args=[member.pk])) for member in seats),
        *(
            client.get(reverse("funding_panel:conflicts", args=[member.pk]))
            for member in seats
            if member.is_chair
        ),
    ]

    assert [SECRET_COMMENT in page.content.decode() for page in pages] == [False] * len(pages)
    assert [SECRET_TITLE in page.content.decode() for page in pages] == [False] * len(pages)


def test_chair_who_applied_sees_no_conflict_declared_on_their_proposal(client):
    built = world()
    applicant_chair = PanelMember.objects.get(panel=built.panel_b, person=built.proposal.applicant)
    PanelMember.objects.filter(panel=built.panel_b).update(is_chair=False)
    PanelMember.objects.filter(pk=applicant_chair.pk).update(is_chair=True)
    client.force_login(_user(applicant_chair))

    listing = client.get(reverse("funding_panel:conflicts", args=[applicant_chair.pk]))
    form = client.get(reverse("funding_panel:decide", args=[applicant_chair.pk, built.pending.pk]))
    results = client.get(reverse("funding_chair_results:call", args=[built.panel_b.call_id]))

    assert listing.status_code == 200
    assert SECRET_TITLE not in listing.content.decode()
    assert form.status_code == 404
    assert SECRET_TITLE not in results.content.decode()


def test_chair_conflicted_on_a_proposal_sees_no_other_conflict_on_it(client):
    built = world()
    _conflict(built.chair_b, built.proposal, ConflictDecision.EXCLUDED)
    client.force_login(_user(built.chair_b))

    listing = client.get(reverse("funding_panel:conflicts", args=[built.chair_b.pk]))
    form = client.get(reverse("funding_panel:decide", args=[built.chair_b.pk, built.pending.pk]))

    assert SECRET_TITLE not in listing.content.decode()
    assert form.status_code == 404


def test_chair_of_the_panel_reaches_the_proposal(client):
    """The control: the same URLs open for the panel's own chair (so the 404s above are the
    rule, not a broken set-up)."""
    built = world()
    client.force_login(_user(built.chair_b))

    scores = client.get(reverse("funding_reviews:panel_scores", args=[built.proposal.pk]))
    listing = client.get(reverse("funding_panel:conflicts", args=[built.chair_b.pk]))
    form = client.get(reverse("funding_panel:decide", args=[built.chair_b.pk, built.pending.pk]))
    file = client.get(reverse("funding:attachment", args=[built.proposal.attachments.get().pk]))

    assert SECRET_COMMENT in scores.content.decode()
    assert SECRET_TITLE in listing.content.decode()
    assert SECRET_CONFLICT in form.content.decode()
    assert file.status_code == 200


def _withdraw(proposal: Proposal) -> None:
    withdraw_proposal(proposal, by=User.objects.get(person_id=proposal.applicant_id))


def _find_ineligible(proposal: Proposal) -> None:
    record_eligibility(proposal, by=make_funding_staff(), eligible=False, reason="Out of scope.")


@pytest.mark.parametrize("change", [_withdraw, _find_ineligible], ids=["withdrawn", "ineligible"])
def test_a_proposal_the_panel_no_longer_deals_with_is_closed_to_its_members(client, change):
    built = world()
    change(built.proposal)
    client.force_login(_user(built.member_b))

    answers = [
        client.get(reverse("funding_reviews:review", args=[built.sent_review.pk])).status_code,
        client.get(reverse("funding_reviews:panel_scores", args=[built.proposal.pk])).status_code,
        client.get(
            reverse("funding:attachment", args=[built.proposal.attachments.get().pk])
        ).status_code,
    ]

    assert answers == [404, 404, 404]
    assert SECRET_TITLE not in client.get(reverse("funding_reviews:list")).content.decode()


@pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="row locks need PostgreSQL"
)
def test_syncing_access_locks_the_members_first():
    """Two syncs of one member (a chair excluding them while staff assign them) run one after
    the other, so the later one reads the earlier one's declarations and grants."""
    panel = PanelFactory()
    ProposalFactory(call=panel.call)
    member = seat(panel, PanelRole.LEE)

    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        sync_proposal_access([member])

    reads = [query["sql"] for query in captured.captured_queries if "SAVEPOINT" not in query["sql"]]
    assert ("funding_panelmember" in reads[0], reads[0].endswith("FOR UPDATE")) == (True, True)
