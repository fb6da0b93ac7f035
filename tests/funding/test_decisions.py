"""Decisions on proposals, and deciding a call (funding.services.decisions)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coprod.models import Notification
from funding.enums import CallStatus, DecisionOutcome, Eligibility, PanelRole, ProposalStatus
from funding.models import Decision, Review
from funding.selectors import funding_personal_data
from funding.selectors.results import results_of
from funding.services import decide_call, erase_funding_records, record_decision
from tests.factories.core import make_staff
from tests.factories.funding import (
    PanelFactory,
    ProposalFactory,
    make_funding_staff,
    make_researcher,
    scored_review,
    seat,
)
from tests.funding.results_example import build_example

pytestmark = pytest.mark.django_db

FUND = DecisionOutcome.FUND
NO = DecisionOutcome.DO_NOT_FUND


def decide_all(example, staff, **extra):
    for name in "ABCD":
        record_decision(
            example.proposals[name],
            by=staff,
            outcome=FUND if name in "BD" else NO,
            rationale=f"Rationale {name}",
            lee_view="LEE scores weighed heavily." if name == "B" else "",
            feedback=f"Feedback {name}",
        )


def test_decision_is_recorded_with_the_lee_flag_stored():
    example = build_example()

    decision = record_decision(
        example.proposals["B"],
        by=make_funding_staff(),
        outcome=DecisionOutcome.FUND_WITH_CONDITIONS,
        rationale="Strong, with a weak budget.",
        conditions="Pay co-researchers from month one.",
        dissent="One member would not fund.",
        lee_view="The LEE view decided the conditions.",
        feedback="Please revise the budget.",
    )

    stored = Decision.objects.get()
    assert stored == decision
    assert (stored.outcome, stored.lee_flag_raised) == ("conditions", True)
    assert stored.conditions == "Pay co-researchers from month one."
    assert stored.lee_view == "The LEE view decided the conditions."


def test_lee_view_is_required_only_when_the_lee_flag_is_raised_now():
    example = build_example()
    staff = make_funding_staff()

    with pytest.raises(ValidationError) as refused:
        record_decision(example.proposals["B"], by=staff, outcome=FUND, rationale="Good.")
    unflagged = record_decision(example.proposals["A"], by=staff, outcome=NO, rationale="Weak.")

    assert list(refused.value.message_dict) == ["lee_view"]
    assert unflagged.lee_flag_raised is False
    assert Decision.objects.count() == 1


def test_bad_decision_is_refused_field_by_field_and_nothing_saved():
    example = build_example()

    with pytest.raises(ValidationError) as refused:
        record_decision(
            example.proposals["A"],
            by=make_funding_staff(),
            outcome=DecisionOutcome.FUND_WITH_CONDITIONS,
            rationale="  ",
        )

    assert sorted(refused.value.message_dict) == ["conditions", "rationale"]
    assert Decision.objects.count() == 0


def test_conditions_are_kept_only_to_fund_with_conditions():
    example = build_example()

    decision = record_decision(
        example.proposals["A"],
        by=make_funding_staff(),
        outcome=NO,
        rationale="Weak.",
        conditions="Left over from before.",
    )

    assert decision.conditions == ""


def test_a_decision_is_changed_until_the_call_is_decided_then_refused():
    example = build_example()
    staff = make_funding_staff()
    decide_all(example, staff)
    record_decision(example.proposals["A"], by=staff, outcome=FUND, rationale="Changed.")
    decide_call(example.call, by=staff)

    with pytest.raises(ValidationError):
        record_decision(example.proposals["A"], by=staff, outcome=NO, rationale="Too late.")

    decision = Decision.objects.get(proposal=example.proposals["A"])
    assert (decision.outcome, decision.rationale) == ("fund", "Changed.")


def test_nobody_decides_on_their_own_proposal():
    example = build_example()
    staff = make_funding_staff()
    example.proposals["A"].applicant = staff.person
    example.proposals["A"].save()

    with pytest.raises(ValidationError):
        record_decision(example.proposals["A"], by=staff, outcome=FUND, rationale="Mine.")

    assert Decision.objects.count() == 0


def test_only_staff_who_decide_record_decisions():
    example = build_example()

    with pytest.raises(ValidationError):
        record_decision(example.proposals["A"], by=make_researcher(), outcome=FUND, rationale="Me.")

    assert Decision.objects.count() == 0


def test_only_staff_who_decide_decide_the_call():
    example = build_example()
    decide_all(example, make_funding_staff())
    # Staff who may move calls on, but not decide on proposals.
    mover = make_staff()
    mover.user_permissions.add(
        Permission.objects.get(content_type__app_label="funding", codename="change_call")
    )

    with pytest.raises(ValidationError, match="You do not have permission"):
        decide_call(example.call, by=mover)

    example.call.refresh_from_db()
    assert example.call.status == CallStatus.IN_REVIEW
    assert Notification.objects.count() == 0
    assert not Decision.objects.filter(feedback_sent_at__isnull=False).exists()


def test_call_is_not_decided_while_a_flag_raised_since_its_decision_is_unweighed():
    example = build_example()
    staff = make_funding_staff()
    decide_all(example, staff)
    # A's LEE mean (70) against the rest (60) is now over the threshold; its decision said nothing.
    example.call.panel.lee_flag_threshold = Decimal("9.5")
    example.call.panel.save()

    with pytest.raises(ValidationError, match="weighed in the decision on A"):
        decide_call(example.call, by=staff)

    example.call.refresh_from_db()
    assert example.call.status == CallStatus.IN_REVIEW
    assert Notification.objects.count() == 0


def test_call_is_not_decided_while_a_ranked_or_eligible_proposal_is_undecided():
    example = build_example()
    staff = make_funding_staff()
    # C is not ranked (no LEE review) but eligible: it needs a decision too.
    example.proposals["C"].eligibility = Eligibility.ELIGIBLE
    example.proposals["C"].save()
    for name in "ABD":
        record_decision(example.proposals[name], by=staff, outcome=NO, rationale="r", lee_view="w")

    with pytest.raises(ValidationError) as refused:
        decide_call(example.call, by=staff)

    example.call.refresh_from_db()
    assert example.call.status == CallStatus.IN_REVIEW
    assert "C" in refused.value.messages[0]
    assert Notification.objects.count() == 0


def test_unranked_unchecked_proposal_needs_no_decision():
    example = build_example()
    staff = make_funding_staff()
    for name in "ABD":
        record_decision(example.proposals[name], by=staff, outcome=NO, rationale="r", lee_view="w")

    decide_call(example.call, by=staff)

    example.call.refresh_from_db()
    assert example.call.status == CallStatus.DECIDED


def test_deciding_the_call_tells_applicants_with_the_lee_feedback_without_names():
    example = build_example()
    staff = make_funding_staff()
    Review.objects.filter(member=example.lee, proposal=example.proposals["B"]).update(
        feedback="Survivors must be paid from the start."
    )
    Review.objects.filter(member=example.researcher, proposal=example.proposals["B"]).update(
        feedback="Researcher words, not LEE feedback."
    )
    decide_all(example, staff)

    decide_call(example.call, by=staff)

    message = Notification.objects.get(
        kind="funding_decision", person=example.proposals["B"].applicant
    )
    body = message.content["full"]["body"]
    assert (
        message.idempotency_key
        == f"funding-decision:{Decision.objects.get(proposal=example.proposals['B']).pk}"
    )
    assert "Decision: Fund" in body
    assert "Feedback B" in body
    assert "- Survivors must be paid from the start." in body
    assert "Researcher words" not in body
    assert example.lee.person.display_name not in body
    assert Decision.objects.filter(feedback_sent_at__isnull=True).count() == 0


def test_deciding_the_call_tells_each_member_their_outcomes_beside_their_own_score():
    example = build_example()
    staff = make_funding_staff()
    decide_all(example, staff)

    decide_call(example.call, by=staff)

    messages = Notification.objects.filter(kind="funding_panel_outcomes")
    # The LEE, the researcher and the chair; the erased member is not told.
    assert sorted(message.person_id for message in messages) == sorted(
        [example.lee.person_id, example.researcher.person_id, example.policymaker.person_id]
    )
    body = messages.get(person=example.researcher.person).content["full"]["body"]
    assert "- A: Do not fund — your score 60" in body
    assert "- B: Fund — your score 100" in body
    assert "- C: Do not fund — your score 80" in body
    assert "D:" not in body


def test_deciding_twice_sends_nothing_twice():
    example = build_example()
    staff = make_funding_staff()
    decide_all(example, staff)
    decide_call(example.call, by=staff)
    sent = Notification.objects.count()

    with pytest.raises(ValidationError):
        decide_call(example.call, by=staff)

    assert sent == 4 + 3
    assert Notification.objects.count() == sent


def test_decision_is_audited_with_its_free_text_masked():
    example = build_example()
    staff = make_funding_staff()

    decision = record_decision(
        example.proposals["A"], by=staff, outcome=NO, rationale="Secret reasoning words."
    )

    entry = LogEntry.objects.get(content_type__model="decision", object_id=decision.pk)
    assert entry.actor == staff
    assert entry.changes_dict["outcome"] == ["None", "no"]
    assert "Secret reasoning words." not in str(entry.changes)
    assert "rationale" in entry.changes_dict


def test_erasing_the_member_of_staff_who_decided_empties_the_link_and_keeps_the_decision():
    example = build_example()
    staff = make_funding_staff()
    record_decision(example.proposals["A"], by=staff, outcome=NO, rationale="Weak.")

    erase_funding_records(staff.person, by=make_funding_staff())

    decision = Decision.objects.get()
    assert (decision.decided_by, decision.outcome, decision.rationale) == (None, "no", "Weak.")


def test_erasing_a_reviewer_keeps_their_scores_in_the_results_without_them():
    example = build_example()
    Review.objects.filter(member=example.researcher).update(comment="Notes", feedback="F")
    before = {row.title: (row.mean, row.researcher_reviews) for row in results_of(example.call)}
    person = example.researcher.person

    erase_funding_records(person, by=make_funding_staff())

    after = {row.title: (row.mean, row.researcher_reviews) for row in results_of(example.call)}
    assert after == before
    reviews = Review.objects.filter(member=example.researcher)
    assert set(reviews.values_list("member__person", "comment", "feedback")) == {(None, "", "")}
    assert not Review.objects.filter(member__person=person).exists()


def test_a_proposal_withdrawn_after_its_decision_is_not_told_of_it():
    example = build_example()
    staff = make_funding_staff()
    decide_all(example, staff)
    example.proposals["A"].status = ProposalStatus.WITHDRAWN
    example.proposals["A"].save()

    decide_call(example.call, by=staff)

    told = Notification.objects.filter(kind="funding_decision").values_list("person", flat=True)
    assert example.proposals["A"].applicant_id not in set(told)
    assert len(told) == 3
    body = Notification.objects.get(person=example.researcher.person).content["full"]["body"]
    assert "- A:" not in body


def test_the_decision_sent_to_an_applicant_is_in_their_download():
    example = build_example()
    staff = make_funding_staff()
    decide_all(example, staff)
    applicant = example.proposals["B"].applicant
    before = funding_personal_data(applicant)["proposals"][0]["decision"]

    decide_call(example.call, by=staff)

    after = funding_personal_data(applicant)["proposals"][0]["decision"]
    assert before is None
    assert {key: after[key] for key in ("outcome", "conditions", "feedback")} == {
        "outcome": "fund",
        "conditions": "",
        "feedback": "Feedback B",
    }
    assert "rationale" not in after


def _decided_call_queries(proposals: int) -> tuple[int, int]:
    """Queries to decide a call of `proposals` proposals, each reviewed by three members."""
    panel = PanelFactory(call__status=CallStatus.IN_REVIEW)
    members = [seat(panel, role) for role in PanelRole.values]
    staff = make_funding_staff()
    for _ in range(proposals):
        proposal = ProposalFactory(call=panel.call, eligibility=Eligibility.ELIGIBLE)
        for member in members:
            scored_review(member, proposal, 3, feedback="Clear plan.")
        Decision.objects.create(proposal=proposal, outcome=FUND, rationale="r")
    with CaptureQueriesContext(connection) as context:
        decide_call(panel.call, by=staff)
    return len(context.captured_queries), Notification.objects.count()


def test_deciding_a_call_takes_the_same_queries_for_one_proposal_or_many():
    few, told_few = _decided_call_queries(1)
    many, told_many = _decided_call_queries(4)

    assert few == many
    assert (told_few, told_many - told_few) == (1 + 3, 4 + 3)
