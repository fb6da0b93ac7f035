"""The staff pages for claims: the queue by state (display names only, how late), timeliness,
a claim with its history and the year-total warning, and the actions — approve, query, mark
paid — through the services, with their refusals shown on the form and nothing changed. The
finance export keeps its query count whatever the number of claims."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from coprod.enums import StaffGroup
from coprod.models import Person, london_today
from recruitment.enums import ClaimStatus, Eligibility, PaymentMethod
from recruitment.models import ClaimEvent, HonorariumClaim
from recruitment.selectors import tax_year_of
from recruitment.services import (
    mark_claim_paid,
    query_claim,
    record_payment_eligibility,
    send_claim_with_receipts,
    submit_claim,
)
from tests.factories.core import TEST_ACTOR, PersonFactory, make_staff, make_user
from tests.factories.recruitment import (
    BANK,
    EngagementFactory,
    claim_in,
    completed_engagement,
    eligible,
    standard_rates,
)
from tests.queries import assert_queries_do_not_grow
from tests.recruitment.receipts import pdf_upload

pytestmark = pytest.mark.django_db

QUEUE = reverse("recruitment:claims")


@pytest.fixture(autouse=True)
def _rates():
    standard_rates()


@pytest.fixture
def engagement_team(client):
    user = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(user)
    return user


@pytest.fixture
def finance(client):
    user = make_staff(StaffGroup.FINANCE)
    client.force_login(user)
    return user


def state_url(state: str) -> str:
    return reverse("recruitment:claims_in_state", kwargs={"state": state})


def claim_url(claim, action: str = "") -> str:
    name = f"recruitment:claim_{action}" if action else "recruitment:claim"
    return reverse(name, kwargs={"pk": claim.pk})


def late_claim(days: int, status: ClaimStatus = ClaimStatus.SUBMITTED) -> HonorariumClaim:
    """A claim whose pay-by date was `days` days ago."""
    claim = claim_in(status, on=london_today() - timedelta(days=14 + days))
    assert claim.pay_by == london_today() - timedelta(days=days)
    return claim


def claim_state(claim) -> tuple:
    claim = HonorariumClaim.objects.get(pk=claim.pk)
    return claim.status, claim.paid_on, claim.payment_reference, claim.events.count()


# The queue --------------------------------------------------------------------------------------


def test_queue_lists_waiting_claims_with_display_name_never_legal_name(client, engagement_team):
    person = PersonFactory(chosen_name="Ayo", legal_name="Adaeze Okafor")
    waiting = claim_in(ClaimStatus.SUBMITTED, person=person, kind="panel")
    approved = claim_in(ClaimStatus.APPROVED)

    page = client.get(QUEUE).content.decode()

    assert waiting.reference in page
    assert "Ayo" in page
    assert "Adaeze Okafor" not in page
    assert "Panel" in page
    assert f"£{waiting.total}" in page
    assert approved.reference not in page


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ("waiting", ClaimStatus.SUBMITTED),
        ("queried", ClaimStatus.QUERIED),
        ("approved", ClaimStatus.APPROVED),
        ("paid", ClaimStatus.PAID),
    ],
)
def test_queue_filters_by_state(client, engagement_team, state, status):
    claims = {
        each: claim_in(ClaimStatus.SUBMITTED if each == ClaimStatus.QUERIED else each)
        for each in (ClaimStatus.SUBMITTED, ClaimStatus.QUERIED, ClaimStatus.APPROVED)
    }
    claims[ClaimStatus.QUERIED] = query_claim(
        claims[ClaimStatus.QUERIED], by=make_staff(StaffGroup.ENGAGEMENT), question="Receipt?"
    )
    claims[ClaimStatus.PAID] = claim_in(ClaimStatus.PAID)

    page = client.get(state_url(state)).content.decode()

    shown = {each for each, claim in claims.items() if claim.reference in page}
    assert shown == {status}


def test_queue_late_shows_unpaid_claims_past_pay_by_with_how_late(client, engagement_team):
    three = late_claim(3)
    one = late_claim(1, ClaimStatus.APPROVED)
    on_time = claim_in(ClaimStatus.SUBMITTED)

    page = client.get(state_url("late")).content.decode()

    assert three.reference in page
    assert one.reference in page
    assert on_time.reference not in page
    assert "3 days late" in page
    assert "1 day late" in page
    assert page.index(three.reference) < page.index(one.reference)


def test_queue_waiting_shows_late_ones_too_with_how_late(client, engagement_team):
    late_claim(5)

    page = client.get(QUEUE).content.decode()

    assert "5 days late" in page


def test_queue_paid_shows_how_late_the_payment_was(client, finance):
    late = late_claim(6, ClaimStatus.APPROVED)
    mark_claim_paid(late, by=make_staff(StaffGroup.FINANCE), paid_on=london_today(), reference="B")

    page = client.get(state_url("paid")).content.decode()

    assert late.reference in page
    assert "6 days late" in page


def test_queue_paid_counts_days_late_up_to_the_payment_not_today(client, finance):
    late = late_claim(6, ClaimStatus.APPROVED)
    paid_on = london_today() - timedelta(days=2)
    mark_claim_paid(late, by=make_staff(StaffGroup.FINANCE), paid_on=paid_on, reference="B")

    page = client.get(state_url("paid")).content.decode()

    assert "4 days late" in page
    assert "6 days late" not in page


def test_queue_never_shows_a_declined_payment_as_late(client, engagement_team):
    declined = late_claim(9)
    HonorariumClaim.objects.filter(pk=declined.pk).update(method=PaymentMethod.DECLINED)

    page = client.get(QUEUE).content.decode()

    assert declined.reference in page
    assert "days late" not in page
    assert "On time" in page


def test_queue_unknown_state_is_not_found(client, engagement_team):
    assert client.get(state_url("everything")).status_code == 404


def test_queue_is_paginated_by_50(client, engagement_team):
    person = PersonFactory()
    eligible(person)
    for _ in range(51):
        claim_in(ClaimStatus.SUBMITTED, person=person)

    first = client.get(QUEUE)
    second = client.get(QUEUE + "?page=2")

    assert len(first.context["rows"]) == 50
    assert len(second.context["rows"]) == 1
    assert "?page=2" in first.content.decode()


@pytest.mark.parametrize("state", ["waiting", "late", "paid"])
def test_queue_queries_do_not_grow_with_claims(client, engagement_team, state):
    status = {"waiting": ClaimStatus.SUBMITTED, "late": ClaimStatus.APPROVED}.get(
        state, ClaimStatus.PAID
    )

    count = assert_queries_do_not_grow(
        client,
        state_url(state),
        lambda: late_claim(2, status) if state == "late" else claim_in(status),
        rows=(1, 5),
    )

    # The login and person (1), MFA (1), permissions (1), and the page of claims with their
    # engagements and people (1).
    assert count == 4


def test_queue_reads_no_encrypted_field_of_people(client, engagement_team):
    claim_in(ClaimStatus.SUBMITTED, person=PersonFactory(legal_name="Secret Name"))

    with CaptureQueriesContext(connection) as queries:
        client.get(QUEUE)

    page_query = next(q["sql"] for q in queries.captured_queries if "honorariumclaim" in q["sql"])
    assert "legal_name" not in page_query
    assert "access_needs" not in page_query


# Timeliness -------------------------------------------------------------------------------------


def test_timeliness_counts_late_claims_by_how_late(client, engagement_team):
    for days in (2, 5, 10, 20, 40, 41):
        late_claim(days)
    claim_in(ClaimStatus.SUBMITTED)  # on time
    declined = late_claim(9)
    HonorariumClaim.objects.filter(pk=declined.pk).update(method=PaymentMethod.DECLINED)

    response = client.get(reverse("recruitment:claims_timeliness"))

    assert response.context["late_total"] == 6
    assert [(band.label, band.count) for band in response.context["bands"]] == [
        ("1 to 7 days", 2),
        ("8 to 14 days", 1),
        ("15 to 30 days", 1),
        ("More than 30 days", 2),
    ]
    assert "6 claims are not paid and past their pay-by date." in response.content.decode()


def test_timeliness_shows_median_days_to_pay_by_month(client, finance):
    paying = make_staff(StaffGroup.FINANCE)
    for days_ago in (10, 20, 30):
        claim = claim_in(ClaimStatus.APPROVED, on=london_today() - timedelta(days=days_ago))
        mark_claim_paid(claim, by=paying, paid_on=london_today(), reference="B")

    response = client.get(reverse("recruitment:claims_timeliness"))

    [month] = response.context["months"]
    assert (month.median_days, month.claims) == (Decimal("20.0"), 3)
    assert "20.0" in response.content.decode()


def test_timeliness_shows_twelve_months_this_one_included(client, finance):
    this_month = london_today().replace(day=1)
    a_year_before = this_month.replace(year=this_month.year - 1)
    eleven_months_before = (a_year_before + timedelta(days=31)).replace(day=1)
    paying = make_staff(StaffGroup.FINANCE)
    for paid_on in (a_year_before, eleven_months_before):
        claim = claim_in(ClaimStatus.APPROVED, on=paid_on - timedelta(days=10))
        mark_claim_paid(claim, by=paying, paid_on=paid_on, reference="B")

    response = client.get(reverse("recruitment:claims_timeliness"))

    assert response.context["since"] == eleven_months_before
    assert [month.month for month in response.context["months"]] == [eleven_months_before]


def test_timeliness_shows_display_names_and_reads_no_legal_name(client, engagement_team):
    person = PersonFactory(chosen_name="Ayo", legal_name="Adaeze Okafor")
    claim_in(ClaimStatus.SUBMITTED, person=person, on=london_today() - timedelta(days=20))

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("recruitment:claims_timeliness")).content.decode()

    assert "Ayo" in page
    assert "Adaeze Okafor" not in page
    claim_queries = [q["sql"] for q in queries.captured_queries if "honorariumclaim" in q["sql"]]
    assert claim_queries
    assert not [sql for sql in claim_queries if "legal_name" in sql]


# A claim --------------------------------------------------------------------------------------


def test_claim_page_shows_history_amounts_and_method(client, engagement_team):
    claim = claim_in(ClaimStatus.SUBMITTED, person=PersonFactory(chosen_name="Robin"))

    page = client.get(claim_url(claim)).content.decode()

    assert claim.reference in page
    assert "Robin" in page
    assert "Bank transfer" in page
    assert f"£{claim.fee}" in page
    assert f"£{claim.total}" in page
    assert [event.to_status for event in claim.events.all()] == ["draft", "submitted"]
    assert "Waiting for approval" in page
    assert "Not sent yet" in page


def test_claim_page_warns_when_the_year_total_passes_the_threshold(
    client, engagement_team, settings
):
    settings.COPROD_HONORARIA_YEAR_WARNING = 100
    person = PersonFactory()
    claim_in(ClaimStatus.PAID, person=person)  # £50
    below = claim_in(ClaimStatus.SUBMITTED, person=person)  # £100 in all: not over
    page_below = client.get(claim_url(below)).content.decode()
    over = claim_in(ClaimStatus.SUBMITTED, person=person)  # £150

    page_over = client.get(claim_url(over)).content.decode()

    assert 'id="year-warning"' not in page_below
    assert 'id="year-warning"' in page_over
    assert "come to £150.00, over £100" in page_over


def test_claim_page_year_total_leaves_out_a_payment_the_person_declined(
    client, engagement_team, settings
):
    settings.COPROD_HONORARIA_YEAR_WARNING = 100
    person = PersonFactory()
    claim_in(ClaimStatus.PAID, person=person)  # £50
    declined = completed_engagement(person).claim
    submit_claim(declined, by=TEST_ACTOR, method=PaymentMethod.DECLINED)  # £50, never paid
    claim = claim_in(ClaimStatus.SUBMITTED, person=person)  # £100 paid in all: not over

    page = client.get(claim_url(claim)).content.decode()

    assert 'id="year-warning"' not in page


def test_claim_page_warns_for_the_tax_year_of_the_work_not_of_today(
    client, engagement_team, settings
):
    settings.COPROD_HONORARIA_YEAR_WARNING = 100
    person = PersonFactory()
    starts, _ends = tax_year_of(london_today())
    last_year = [
        claim_in(ClaimStatus.SUBMITTED, person=person, on=starts - timedelta(days=days))
        for days in (10, 20, 30)
    ]  # £150 in the tax year before this one

    page = client.get(claim_url(last_year[0])).content.decode()

    assert 'id="year-warning"' in page
    assert "come to £150.00, over £100" in page


def test_claim_page_never_shows_bank_details(client, engagement_team):
    claim = claim_in(ClaimStatus.SUBMITTED)
    stored = claim.engagement.person.payment_eligibility.bank_details
    assert stored["account_number"] == BANK["account_number"]

    page = client.get(claim_url(claim)).content.decode()

    assert "Bank transfer" in page
    assert stored["account_number"] not in page
    assert stored["sort_code"] not in page


def test_claim_page_offers_approval_only_while_waiting(client, engagement_team):
    claim = claim_in(ClaimStatus.APPROVED)

    page = client.get(claim_url(claim)).content.decode()

    assert claim_url(claim, "approve") not in page
    assert claim_url(claim, "query") in page


def test_claim_page_queries_do_not_grow_with_receipts_and_history(
    client, engagement_team, settings, tmp_path
):
    settings.COPROD_RECEIPTS_ROOT = tmp_path
    owner = make_user()
    eligible(owner.person)
    engagement = completed_engagement(owner.person)
    asking = make_staff(StaffGroup.ENGAGEMENT)

    def send_again_with_a_receipt() -> None:
        claim = HonorariumClaim.objects.get(engagement=engagement)
        if claim.status == ClaimStatus.SUBMITTED:
            query_claim(claim, by=asking, question="Which bus?")
        send_claim_with_receipts(
            engagement,
            by=owner,
            method=PaymentMethod.BANK_TRANSFER,
            expenses="1",
            expenses_note="Bus",
            receipts=[pdf_upload()],
        )

    assert_queries_do_not_grow(client, claim_url(engagement.claim), send_again_with_a_receipt)

    assert engagement.claim.receipts.count() == 4
    assert engagement.claim.events.filter(to_status=ClaimStatus.QUERIED).count() == 3


def test_claim_page_of_a_claim_is_the_same_for_finance_without_approval_buttons(client, finance):
    claim = claim_in(ClaimStatus.SUBMITTED)

    page = client.get(claim_url(claim)).content.decode()

    assert claim.reference in page
    assert claim_url(claim, "approve") not in page
    assert claim_url(claim, "mark_paid") not in page


def test_claim_page_of_own_claim_offers_no_action(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)
    claim = claim_in(ClaimStatus.SUBMITTED, person=staff.person)

    page = client.get(claim_url(claim)).content.decode()

    assert "This is your own claim" in page
    assert claim_url(claim, "approve") not in page
    assert claim_url(claim, "query") not in page


# Approve ----------------------------------------------------------------------------------------


def test_engagement_team_approves_a_waiting_claim(client, engagement_team):
    claim = claim_in(ClaimStatus.SUBMITTED)

    response = client.post(claim_url(claim, "approve"))

    assert response.status_code == 302
    assert response["Location"] == claim_url(claim)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    assert claim.events.last().by == engagement_team


def test_approving_a_claim_whose_method_is_now_forbidden_shows_why_and_changes_nothing(
    client, engagement_team
):
    claim = claim_in(ClaimStatus.SUBMITTED)
    record_payment_eligibility(
        claim.engagement.person,
        by=make_staff(StaffGroup.ENGAGEMENT),
        status=Eligibility.VOUCHERS_ONLY,
        advice_source="Citizens Advice",
        advice_date=london_today(),
    )
    before = claim_state(claim)

    response = client.post(claim_url(claim, "approve"))

    assert response.status_code == 400
    assert "This way of being paid is not possible" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()
    assert claim_state(claim) == before


def test_approving_twice_is_refused_on_the_form(client, engagement_team):
    claim = claim_in(ClaimStatus.APPROVED)
    before = claim_state(claim)

    response = client.post(claim_url(claim, "approve"))

    assert response.status_code == 400
    assert escape("Approving is not possible: the claim is “Approved, waiting to be paid”.") in (
        response.content.decode()
    )
    assert claim_state(claim) == before


def test_approving_own_claim_is_forbidden(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)
    claim = claim_in(ClaimStatus.SUBMITTED, person=staff.person)
    before = claim_state(claim)

    response = client.post(claim_url(claim, "approve"))

    assert response.status_code == 403
    assert claim_state(claim) == before


# Query ------------------------------------------------------------------------------------------


def test_querying_sends_the_claim_back_with_the_question(client, engagement_team):
    claim = claim_in(ClaimStatus.SUBMITTED)

    response = client.post(claim_url(claim, "query"), {"question": "Please add the bus ticket."})

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.QUERIED
    event = claim.events.last()
    assert (event.to_status, event.note, event.by) == (
        ClaimStatus.QUERIED,
        "Please add the bus ticket.",
        engagement_team,
    )


def test_query_without_a_question_is_refused_and_changes_nothing(client, engagement_team):
    claim = claim_in(ClaimStatus.SUBMITTED)
    before = claim_state(claim)

    response = client.post(claim_url(claim, "query"), {"question": "   "})

    assert response.status_code == 400
    assert response.context["query_form"].errors == {
        "question": ["Write the question for the person"]
    }
    assert claim_state(claim) == before


# Mark paid --------------------------------------------------------------------------------------


def test_finance_marks_an_approved_claim_paid(client, finance):
    claim = claim_in(ClaimStatus.APPROVED)
    today = london_today()

    response = client.post(
        claim_url(claim, "mark_paid"), {"paid_on": today.isoformat(), "reference": "BACS 7"}
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.paid_on, claim.payment_reference) == (
        ClaimStatus.PAID,
        today,
        "BACS 7",
    )
    assert ClaimEvent.objects.filter(claim=claim, to_status=ClaimStatus.PAID, by=finance).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"paid_on": "", "reference": "B"}, "Enter the date it was paid"),
        ({"paid_on": "2999-01-01", "reference": "B"}, "The payment date cannot be in the future."),
        ({"paid_on": "2000-01-01", "reference": "B"}, "cannot be before the engagement"),
        ({"paid_on": "today", "reference": ""}, "Enter the payment reference"),
    ],
)
def test_marking_paid_with_bad_input_shows_why_and_changes_nothing(client, finance, data, message):
    claim = claim_in(ClaimStatus.APPROVED)
    if data["paid_on"] == "today":
        data = {**data, "paid_on": london_today().isoformat()}
    before = claim_state(claim)

    response = client.post(claim_url(claim, "mark_paid"), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert claim_state(claim) == before


def test_marking_paid_a_declined_payment_is_refused(client, finance):
    person = PersonFactory()
    eligible(person, preference=PaymentMethod.DECLINED)
    claim = claim_in(ClaimStatus.APPROVED, person=person)
    before = claim_state(claim)

    response = client.post(
        claim_url(claim, "mark_paid"), {"paid_on": london_today().isoformat(), "reference": "B"}
    )

    assert response.status_code == 400
    assert "The person declined payment" in response.content.decode()
    assert claim_state(claim) == before


# The finance export ------------------------------------------------------------------------------


def test_finance_export_queries_do_not_grow_with_approved_claims(client, finance):
    count = assert_queries_do_not_grow(
        client,
        reverse("recruitment:payments_csv"),
        lambda: claim_in(ClaimStatus.APPROVED),
        rows=(1, 6),
    )

    # The login (1), MFA (1), permissions (1), the claims with engagements, people and
    # eligibility (1), the content type (cached) and the audit entries in one insert (1).
    assert count == 5


def test_finance_export_lists_only_approved_claims_with_legal_names(client, finance):
    approved = claim_in(ClaimStatus.APPROVED, person=PersonFactory(legal_name="Adaeze Okafor"))
    waiting = claim_in(ClaimStatus.SUBMITTED)

    csv = client.get(reverse("recruitment:payments_csv")).content.decode()

    assert approved.reference in csv
    assert "Adaeze Okafor" in csv
    assert waiting.reference not in csv


def test_staff_home_links_to_the_claims_queue_for_engagement_team_only(client, engagement_team):
    home = client.get(reverse("staff:home")).content.decode()
    client.force_login(make_staff(StaffGroup.FUNDING))
    other = client.get(reverse("staff:home")).content.decode()

    assert f'href="{QUEUE}"' in home
    assert f'href="{reverse("recruitment:claims_timeliness")}"' in home
    assert f'href="{QUEUE}"' not in other


def test_queue_unused_names_are_not_people(client, engagement_team):
    """Only the people whose claims are listed appear: no one else's name leaks in."""
    bystander = PersonFactory(chosen_name="Bystander Name")
    EngagementFactory(person=bystander)
    completed_engagement(PersonFactory(chosen_name="Draft Only"))  # a draft is not in the queue
    claim_in(ClaimStatus.SUBMITTED)

    page = client.get(QUEUE).content.decode()

    assert "Bystander Name" not in page
    assert "Draft Only" not in page
    assert Person.objects.filter(chosen_name="Draft Only").exists()


def test_claim_page_reads_no_encrypted_field_of_the_person(client, engagement_team):
    claim = claim_in(ClaimStatus.SUBMITTED, person=PersonFactory(legal_name="Secret Name"))

    with CaptureQueriesContext(connection) as queries:
        page = client.get(claim_url(claim)).content.decode()

    claim_query = next(q["sql"] for q in queries.captured_queries if "honorariumclaim" in q["sql"])
    assert "legal_name" not in claim_query
    assert "Secret Name" not in page
