"""The portal's "Your paid work": a person sees only their own engagements and claims, claims
only by a method their eligibility allows, once; "Things to do" says what they can claim for."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from coprod.enums import Role, StaffGroup
from coprod.models import london_today
from coprod.selectors import things_to_do_for_person
from coprod.services.roles import grant_role
from recruitment.enums import ClaimStatus, Eligibility, PaymentMethod
from recruitment.forms.claims import method_refusal_for_person
from recruitment.models import ClaimEvent, HonorariumClaim
from recruitment.services import record_engagement
from tests.factories.core import TEST_ACTOR, make_staff, make_user
from tests.factories.recruitment import claim_in, completed_engagement, eligible, standard_rates
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db

LIST = reverse("paid_work:list")


@pytest.fixture(autouse=True)
def _rates():
    standard_rates()


@pytest.fixture
def lee(client):
    user = make_user(roles=[Role.PWLE, Role.LEE])
    client.force_login(user)
    return user


def claim_url(engagement) -> str:
    return reverse("paid_work:claim", kwargs={"engagement_id": engagement.pk})


def test_paid_work_lists_own_engagements_with_when_they_are_paid(client, lee):
    eligible(lee.person)
    waiting = claim_in(ClaimStatus.APPROVED, person=lee.person, title="Panel for call 7")
    paid = claim_in(ClaimStatus.PAID, person=lee.person, title="Advisory group")
    claim_in(ClaimStatus.APPROVED, title="Someone else's panel")

    page = client.get(LIST).content.decode()

    assert f"We will pay you by {waiting.pay_by:%-d %B %Y}" in page
    assert f"Paid on {paid.paid_on:%-d %B %Y}" in page
    assert "Panel for call 7" in page
    assert "Someone else&#x27;s panel" not in page
    assert "Someone else's panel" not in page


def test_paid_work_of_staff_is_their_own_only(client):
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    claim_in(ClaimStatus.APPROVED, title="Someone else's panel")

    page = client.get(LIST).content.decode()

    assert "You have no paid work yet." in page


def test_paid_work_link_in_navigation_only_for_people_with_lived_experience(client, lee):
    researcher = make_user(roles=[Role.RESEARCHER])

    as_lee = client.get(reverse("portal:home")).content.decode()
    client.force_login(researcher)
    as_researcher = client.get(reverse("portal:home")).content.decode()

    assert f'href="{LIST}"' in as_lee
    assert f'href="{LIST}"' not in as_researcher


@pytest.mark.parametrize("rows", [(1, 4)])
def test_paid_work_queries_do_not_grow_with_rows(client, lee, rows):
    eligible(lee.person)

    count = assert_queries_do_not_grow(
        client, LIST, lambda: claim_in(ClaimStatus.SUBMITTED, person=lee.person), rows=rows
    )

    # The login with its person, a page of engagements (the navigation's roles are in the session).
    assert count == 2


def test_claim_page_for_someone_elses_engagement_is_not_found(client, lee):
    own = completed_engagement(lee.person)
    other = completed_engagement()

    assert client.get(claim_url(own)).status_code == 200
    assert client.get(claim_url(other)).status_code == 404
    assert client.post(claim_url(other), {"method": "declined"}).status_code == 404
    assert other.claim.status == ClaimStatus.DRAFT
    assert HonorariumClaim.objects.get(engagement=other).status == ClaimStatus.DRAFT


def test_claim_page_shows_benefits_note_and_only_allowed_methods(client, lee):
    eligible(lee.person, Eligibility.VOUCHERS_ONLY, PaymentMethod.VOUCHER)
    engagement = completed_engagement(lee.person)

    page = client.get(claim_url(engagement)).content.decode()

    assert "Being paid may affect your benefits" in page
    assert 'value="voucher"' in page
    assert 'value="declined"' in page
    assert 'value="bank_transfer"' not in page


def test_claim_with_forbidden_method_is_refused_and_saves_nothing(client, lee):
    eligible(lee.person, Eligibility.VOUCHERS_ONLY, PaymentMethod.VOUCHER)
    engagement = completed_engagement(lee.person)
    events = ClaimEvent.objects.count()

    response = client.post(claim_url(engagement), {"method": "bank_transfer"})

    assert response.status_code == 200
    assert response.context["form"].errors["method"] == [
        method_refusal_for_person(lee.person.payment_eligibility)
    ]
    assert (
        escape(method_refusal_for_person(lee.person.payment_eligibility))
        in response.content.decode()
    )
    claim = HonorariumClaim.objects.get(engagement=engagement)
    assert (claim.status, claim.method) == (ClaimStatus.DRAFT, PaymentMethod.VOUCHER)
    assert ClaimEvent.objects.count() == events


def test_claim_sent_twice_is_one_submitted_claim(client, lee):
    eligible(lee.person)
    engagement = completed_engagement(lee.person)
    data = {"method": "bank_transfer", "expenses": "12.50", "expenses_note": "Bus"}

    first = client.post(claim_url(engagement), data)
    second = client.post(claim_url(engagement), data)

    assert first.url == LIST
    assert second.url == LIST
    claim = HonorariumClaim.objects.get(engagement__person=lee.person)
    assert (claim.status, str(claim.expenses)) == (ClaimStatus.SUBMITTED, "12.50")
    assert ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.SUBMITTED).count() == 1


def test_claim_declined_is_allowed_while_advice_is_pending(client, lee):
    engagement = completed_engagement(lee.person)

    response = client.post(claim_url(engagement), {"method": "declined"})

    assert response.url == LIST
    claim = HonorariumClaim.objects.get(engagement=engagement)
    assert (claim.status, claim.method) == (ClaimStatus.SUBMITTED, PaymentMethod.DECLINED)


def test_planned_engagement_has_no_claim_page(client, lee):
    planned = record_engagement(
        lee.person,
        by=TEST_ACTOR,
        kind="meeting",
        on=london_today() + timedelta(days=5),
        hours="2",
        source_key="test:planned",
    )

    assert client.get(claim_url(planned)).status_code == 404


def _claim_texts(person) -> list[str]:
    return [item.text for item in things_to_do_for_person(person) if "claim for" in item.text]


def test_thing_to_do_counts_work_to_claim_and_goes_when_claimed(client, lee):
    eligible(lee.person)
    first = claim_in(ClaimStatus.DRAFT, person=lee.person)
    second = claim_in(ClaimStatus.DRAFT, person=lee.person)
    claim_in(ClaimStatus.SUBMITTED, person=lee.person)
    claim_in(ClaimStatus.DRAFT)

    before = _claim_texts(lee.person)
    client.post(claim_url(second.engagement), {"method": "voucher"})
    between = _claim_texts(lee.person)
    client.post(claim_url(first.engagement), {"method": "declined"})
    after_none = _claim_texts(lee.person)

    assert before == ["You can claim for 2 pieces of work"]
    assert between == ["You can claim for 1 piece of work"]
    assert after_none == []


def test_the_link_follows_a_role_granted_or_ended_while_signed_in(client, time_machine):
    """The navigation's roles are kept in the session (coprod.doors.current_roles) and read again
    when a grant changes or the day does."""
    time_machine.move_to(datetime(2026, 6, 15, 22, 30, tzinfo=UTC), tick=False)  # 23:30 in London
    researcher = make_user(roles=[Role.RESEARCHER])
    client.force_login(researcher)
    home = reverse("portal:home")
    assert f'href="{LIST}"' not in client.get(home).content.decode()

    grant = grant_role(researcher.person, Role.PWLE, by=make_staff(StaffGroup.ENGAGEMENT))
    assert f'href="{LIST}"' in client.get(home).content.decode()

    grant.ends_on = london_today()
    grant.save()  # as the admin's role inline saves it
    assert f'href="{LIST}"' in client.get(home).content.decode()  # ends at the end of today
    time_machine.move_to(datetime(2026, 6, 15, 23, 30, tzinfo=UTC), tick=False)  # the next day
    page = client.get(home)
    assert page.status_code == 200  # still signed in: an hour later
    assert f'href="{LIST}"' not in page.content.decode()


def test_the_navigation_reads_the_roles_once_per_session(client, lee):
    client.get(reverse("portal:home"))

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("portal:home"))

    assert not any("coprod_rolegrant" in query["sql"] for query in queries)
