"""Honorarium claims: made once per completed engagement, moved only by their services, paid
only by a method the person's eligibility allows, never approved by their own claimant."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from coprod.enums import Role, StaffGroup
from coprod.models import london_today
from recruitment.enums import ClaimStatus, Eligibility, PaymentMethod
from recruitment.models import ClaimEvent, HonorariumClaim
from recruitment.services import (
    approve_claim,
    create_claim,
    mark_claim_paid,
    query_claim,
    record_payment_eligibility,
    submit_claim,
    withdraw_claim,
)
from tests.factories.core import TEST_ACTOR, PersonFactory, make_staff, make_user
from tests.factories.recruitment import (
    EngagementFactory,
    claim_in,
    completed_engagement,
    eligible,
    standard_rates,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rates():
    standard_rates()


def history(claim):
    return list(
        ClaimEvent.objects.filter(claim=claim).values_list("from_status", "to_status", "by")
    )


def test_create_claim_twice_keeps_one_claim():
    engagement = completed_engagement()  # completing made the claim

    again = create_claim(engagement, by=TEST_ACTOR)
    once_more = create_claim(engagement, by=TEST_ACTOR)

    assert again == once_more == engagement.claim
    assert HonorariumClaim.objects.count() == 1
    assert ClaimEvent.objects.count() == 1


def test_a_claim_is_only_for_an_engagement_that_took_place():
    engagement = EngagementFactory()

    with pytest.raises(ValidationError, match="only be made for an engagement that took place"):
        create_claim(engagement, by=TEST_ACTOR)

    assert HonorariumClaim.objects.exists() is False


def test_a_person_cannot_claim_for_someone_elses_engagement():
    member = make_user(roles=[Role.PWLE])
    eligible(member.person)
    theirs = completed_engagement()

    with pytest.raises(ValidationError, match="only claim for your own engagements"):
        submit_claim(theirs.claim, by=member, method=PaymentMethod.DECLINED)
    with pytest.raises(ValidationError, match="only claim for your own engagements"):
        create_claim(theirs, by=member)
    with pytest.raises(ValidationError, match="only claim for your own engagements"):
        withdraw_claim(theirs.claim, by=member)

    theirs.claim.refresh_from_db()
    assert theirs.claim.status == ClaimStatus.DRAFT


def test_the_whole_way_from_draft_to_paid_is_recorded_with_who_acted():
    member = make_user(roles=[Role.LEE])
    eligible(member.person)
    team, finance = make_staff(StaffGroup.ENGAGEMENT), make_staff(StaffGroup.FINANCE)
    claim = completed_engagement(member.person, on=london_today() - timedelta(days=5)).claim

    submit_claim(claim, by=member, expenses="2.50", expenses_note="Bus")
    query_claim(claim, by=team, question="Is there a receipt?")
    submit_claim(claim, by=member)
    approve_claim(claim, by=team)
    paid = mark_claim_paid(claim, by=finance, paid_on=london_today(), reference="BACS 991")

    assert (paid.status, paid.paid_on, paid.payment_reference, paid.days_to_pay) == (
        ClaimStatus.PAID,
        london_today(),
        "BACS 991",
        5,
    )
    assert history(claim) == [
        ("", "draft", None),
        ("draft", "submitted", member.pk),
        ("submitted", "queried", team.pk),
        ("queried", "submitted", member.pk),
        ("submitted", "approved", team.pk),
        ("approved", "paid", finance.pk),
    ]
    assert ClaimEvent.objects.get(to_status="queried").note == "Is there a receipt?"


def test_nobody_approves_queries_or_pays_their_own_claim():
    colleague = make_staff(StaffGroup.ENGAGEMENT, StaffGroup.FINANCE)
    eligible(colleague.person)
    submitted = claim_in(ClaimStatus.SUBMITTED, person=colleague.person)

    with pytest.raises(ValidationError, match="cannot approve your own claim"):
        approve_claim(submitted, by=colleague)
    with pytest.raises(ValidationError, match="cannot query your own claim"):
        query_claim(submitted, by=colleague, question="?")
    approve_claim(submitted, by=make_staff(StaffGroup.ENGAGEMENT))
    with pytest.raises(ValidationError, match="cannot mark your own claim paid"):
        mark_claim_paid(submitted, by=colleague, paid_on=london_today(), reference="x")

    assert HonorariumClaim.objects.get().status == ClaimStatus.APPROVED


def act(name, claim):
    if name == "submit":
        return submit_claim(claim, by=TEST_ACTOR)
    if name == "approve":
        return approve_claim(claim, by=make_staff(StaffGroup.ENGAGEMENT))
    if name == "query":
        return query_claim(claim, by=make_staff(StaffGroup.ENGAGEMENT), question="Why?")
    if name == "pay":
        return mark_claim_paid(
            claim, by=make_staff(StaffGroup.FINANCE), paid_on=london_today(), reference="R1"
        )
    return withdraw_claim(claim, by=TEST_ACTOR)


ALLOWED = {
    ClaimStatus.DRAFT: {"submit", "withdraw"},
    ClaimStatus.SUBMITTED: {"approve", "query", "withdraw"},
    ClaimStatus.APPROVED: {"pay", "query", "withdraw"},
    ClaimStatus.PAID: set(),
}
REFUSED = [
    (status, action)
    for status, allowed in ALLOWED.items()
    for action in ("submit", "approve", "query", "pay", "withdraw")
    if action not in allowed
]


@pytest.mark.parametrize(("status", "action"), REFUSED, ids=[f"{s}-{a}" for s, a in REFUSED])
def test_every_transition_not_allowed_is_refused_and_changes_nothing(status, action):
    claim = claim_in(status)
    events = ClaimEvent.objects.count()

    with pytest.raises(ValidationError, match="is not possible: the claim is"):
        act(action, claim)

    assert HonorariumClaim.objects.get().status == status
    assert ClaimEvent.objects.count() == events


def test_a_withdrawn_claim_stays_withdrawn():
    claim = claim_in(ClaimStatus.DRAFT)
    withdraw_claim(claim, by=TEST_ACTOR, reason="Changed my mind")

    for action in ("submit", "approve", "query", "pay", "withdraw"):
        with pytest.raises(ValidationError, match="is not possible"):
            act(action, claim)

    assert HonorariumClaim.objects.get().status == ClaimStatus.WITHDRAWN


def test_paying_an_unapproved_claim_is_refused_in_plain_words():
    claim = claim_in(ClaimStatus.SUBMITTED)

    with pytest.raises(ValidationError) as error:
        act("pay", claim)

    assert error.value.messages == [
        "Marking it paid is not possible: the claim is “Waiting for approval”."
    ]


@pytest.mark.parametrize(
    ("paid_on", "reference", "message"),
    [
        (timedelta(days=1), "R1", "cannot be in the future"),
        (timedelta(days=-30), "R1", "cannot be before the engagement"),
        (timedelta(0), " ", "Enter the payment reference"),
    ],
    ids=["future", "before-engagement", "no-reference"],
)
def test_a_payment_needs_a_sensible_date_and_a_reference(paid_on, reference, message):
    claim = claim_in(ClaimStatus.APPROVED)

    with pytest.raises(ValidationError, match=message):
        mark_claim_paid(
            claim,
            by=make_staff(StaffGroup.FINANCE),
            paid_on=london_today() + paid_on,
            reference=reference,
        )

    assert HonorariumClaim.objects.get().status == ClaimStatus.APPROVED


def test_negative_expenses_are_refused():
    claim = claim_in(ClaimStatus.DRAFT)

    with pytest.raises(ValidationError, match="Expenses cannot be less than zero"):
        submit_claim(claim, by=TEST_ACTOR, expenses="-5")

    assert HonorariumClaim.objects.get().expenses == Decimal("0.00")


# Eligibility, checked at every step -----------------------------------------------------------


def test_the_draft_starts_with_the_persons_preference_if_allowed():
    person = PersonFactory()
    eligible(person, Eligibility.VOUCHERS_ONLY, PaymentMethod.VOUCHER)

    claim = completed_engagement(person).claim

    assert claim.method == PaymentMethod.VOUCHER


@pytest.mark.parametrize(
    ("eligibility", "method"),
    [
        (Eligibility.PENDING, PaymentMethod.BANK_TRANSFER),
        (Eligibility.VOUCHERS_ONLY, PaymentMethod.BANK_TRANSFER),
        (Eligibility.VOUCHERS_ONLY, PaymentMethod.PARTNER),
        (Eligibility.EXPENSES_ONLY, PaymentMethod.VOUCHER),
    ],
    ids=["pending-bank", "vouchers-bank", "vouchers-partner", "expenses-voucher"],
)
def test_submitting_with_a_method_the_eligibility_forbids_is_refused(eligibility, method):
    person = PersonFactory()
    eligible(person, eligibility, PaymentMethod.DECLINED)
    claim = completed_engagement(person).claim

    with pytest.raises(ValidationError, match="not possible with the person's payment advice"):
        submit_claim(claim, by=TEST_ACTOR, method=method)

    assert HonorariumClaim.objects.get().status == ClaimStatus.DRAFT


@pytest.mark.parametrize("eligibility", list(Eligibility))
def test_declining_is_always_allowed(eligibility):
    person = PersonFactory()
    eligible(person, eligibility, PaymentMethod.DECLINED)

    claim = submit_claim(completed_engagement(person).claim, by=TEST_ACTOR)
    approved = approve_claim(claim, by=make_staff(StaffGroup.ENGAGEMENT))

    assert (approved.status, approved.method) == (ClaimStatus.APPROVED, PaymentMethod.DECLINED)


def test_a_declined_payment_is_never_marked_paid():
    person = PersonFactory()
    eligible(person, Eligibility.FULL, PaymentMethod.DECLINED)
    claim = claim_in(ClaimStatus.APPROVED, person=person)

    with pytest.raises(ValidationError, match="declined payment"):
        act("pay", claim)

    assert HonorariumClaim.objects.get().status == ClaimStatus.APPROVED


def restrict(person, status):
    record_payment_eligibility(
        person,
        by=make_staff(StaffGroup.ENGAGEMENT),
        status=status,
        advice_source="Immigration adviser",
        advice_date=london_today(),
    )


def test_approval_checks_the_eligibility_again():
    claim = claim_in(ClaimStatus.SUBMITTED)  # by bank transfer, under full payment
    restrict(claim.engagement.person, Eligibility.VOUCHERS_ONLY)

    with pytest.raises(ValidationError, match="not possible with the person's payment advice"):
        act("approve", claim)

    assert HonorariumClaim.objects.get().status == ClaimStatus.SUBMITTED


def test_payment_checks_the_eligibility_again():
    claim = claim_in(ClaimStatus.APPROVED)
    restrict(claim.engagement.person, Eligibility.PENDING)

    with pytest.raises(ValidationError, match="not possible with the person's payment advice"):
        act("pay", claim)

    assert HonorariumClaim.objects.get().status == ClaimStatus.APPROVED


def test_expenses_only_pays_no_fee_and_a_fee_already_claimed_is_stopped():
    person = PersonFactory()
    eligible(person, Eligibility.EXPENSES_ONLY, PaymentMethod.BANK_TRANSFER)
    expenses_only = claim_in(ClaimStatus.SUBMITTED, person=person, travel="8")
    earlier = claim_in(ClaimStatus.APPROVED)
    restrict(earlier.engagement.person, Eligibility.EXPENSES_ONLY)

    with pytest.raises(ValidationError, match="allows expenses only"):
        act("pay", earlier)

    assert (expenses_only.fee, expenses_only.allowances) == (Decimal("0.00"), Decimal("8.00"))
    assert HonorariumClaim.objects.get(pk=earlier.pk).status == ClaimStatus.APPROVED
