"""A person's engagements, claims and payment details in their download; erasure removes them,
except paid claims, which keep a pseudonymous reference and the amounts."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from coprod.enums import Role, StaffGroup
from coprod.models import london_today
from coprod.services.rights import erase_person, request_erasure
from recruitment.enums import ClaimStatus
from recruitment.models import ClaimEvent, Engagement, HonorariumClaim, PaymentEligibility
from recruitment.services import approve_claim, mark_claim_paid, query_claim, submit_claim
from tests.factories import InvitationFactory
from tests.factories.core import make_staff, make_user
from tests.factories.recruitment import claim_in, completed_engagement, eligible, standard_rates

pytestmark = pytest.mark.django_db


def test_the_download_has_the_persons_engagements_claims_and_bank_details(client):
    member = make_user(roles=[Role.LEE])
    eligible(member.person)
    claim = claim_in(ClaimStatus.SUBMITTED, person=member.person, title="Panel for call 7")
    query_claim(claim, by=make_staff(StaffGroup.ENGAGEMENT), question="Receipt please")
    claim_in(ClaimStatus.APPROVED, title="Someone else's panel")
    client.force_login(member)

    data = json.loads(client.get("/portal/my-information/download/").content)["recruitment"]

    assert data["payment"]["bank_details"]["account_number"] == "12345678"
    assert data["payment"]["eligibility"] == "Full payment"
    assert [e["title"] for e in data["engagements"]] == ["Panel for call 7"]
    exported = data["engagements"][0]["claim"]
    assert (exported["reference"], exported["fee"], exported["status"]) == (
        claim.reference,
        "50.00",
        "We have a question",
    )
    assert [(h["to"], h["note"]) for h in exported["history"]] == [
        ("Not sent yet", ""),
        ("Waiting for approval", ""),
        ("We have a question", "Receipt please"),
    ]


def test_erasure_keeps_only_paid_claims_with_their_reference_and_amounts():
    member = make_user(roles=[Role.PWLE])
    eligible(member.person)
    paid = claim_in(ClaimStatus.PAID, person=member.person, title="Panel", travel="7.20")
    claim_in(ClaimStatus.APPROVED, person=member.person)
    claim_in(ClaimStatus.DRAFT, person=member.person)
    other = claim_in(ClaimStatus.DRAFT)

    erase_person(
        request_erasure(member.person, by=member),
        by=make_staff(StaffGroup.ENGAGEMENT),
        reason="Asked.",
    )

    kept = HonorariumClaim.objects.select_related("engagement").get(
        engagement__person=member.person_id
    )
    assert kept.pk == paid.pk
    assert (kept.reference, kept.status, kept.fee, kept.allowances, kept.paid_on) == (
        paid.reference,
        ClaimStatus.PAID,
        Decimal("50.00"),
        Decimal("7.20"),
        paid.paid_on,
    )
    assert (kept.payment_reference, kept.engagement.title, kept.engagement.object_id) == (
        "",
        "",
        None,
    )
    assert kept.engagement.source_key == f"erased:{kept.engagement_id}"
    assert Engagement.objects.filter(person=member.person_id).count() == 1
    assert PaymentEligibility.objects.filter(person=member.person_id).exists() is False
    assert ClaimEvent.objects.filter(claim__engagement__person=member.person_id).count() == 4
    assert HonorariumClaim.objects.filter(pk=other.pk).exists() is True


def test_erasure_blanks_every_note_of_a_kept_paid_claim_and_what_it_belonged_to():
    standard_rates()
    member = make_user(roles=[Role.PWLE])
    eligible(member.person)
    engagement = completed_engagement(
        member.person, belongs_to=InvitationFactory(), travel="3.00", title="Panel"
    )
    team = make_staff(StaffGroup.ENGAGEMENT)
    claim = submit_claim(engagement.claim, by=member, expenses="4.50", expenses_note="Taxi home")
    query_claim(claim, by=team, question="Which taxi firm, Amina?")
    claim = approve_claim(submit_claim(claim, by=member), by=team)
    mark_claim_paid(
        claim, by=make_staff(StaffGroup.FINANCE), paid_on=london_today(), reference="BACS9"
    )

    erase_person(request_erasure(member.person, by=member), by=team, reason="Asked.")

    kept = HonorariumClaim.objects.select_related("engagement").get(pk=claim.pk)
    assert (kept.expenses_note, kept.expenses, kept.reference) == (
        "",
        Decimal("4.50"),
        claim.reference,
    )
    assert (kept.engagement.content_type_id, kept.engagement.object_id) == (None, None)
    assert [event.note for event in kept.events.all()] == ["", "", "", "", "", ""]
