"""The finance export: what to pay, with legal names and bank details — only there, only for
finance, each person's details audited; its queries do not grow with its rows."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from coprod.enums import Role, StaffGroup
from coprod.models import Person
from recruitment.enums import ClaimStatus, Eligibility, PaymentMethod
from recruitment.models import PaymentEligibility
from recruitment.services import export_payments, record_payment_eligibility
from tests.factories.core import PersonFactory, make_staff, make_user
from tests.factories.recruitment import claim_in, eligible

pytestmark = pytest.mark.django_db

URL = "/staff/recruitment/payments.csv"


def rows(response):
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def person_with_bank_details(legal_name="Amina Legal"):
    person = PersonFactory(legal_name=legal_name)
    eligible(person)
    return person


def test_finance_gets_the_approved_claims_to_pay_with_legal_names_and_bank_details(client):
    approved = claim_in(ClaimStatus.APPROVED, person=person_with_bank_details())
    claim_in(ClaimStatus.SUBMITTED, person=person_with_bank_details("Not Yet"))
    claim_in(ClaimStatus.PAID, person=person_with_bank_details("Already Paid"))
    declined = PersonFactory(legal_name="Said No")
    eligible(declined, Eligibility.FULL, PaymentMethod.DECLINED)
    claim_in(ClaimStatus.APPROVED, person=declined)
    client.force_login(make_staff(StaffGroup.FINANCE))

    response = client.get(URL)

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="payments-')
    assert rows(response) == [
        {
            "reference": approved.reference,
            "method": "Bank transfer",
            "legal_name": "Amina Legal",
            "account_name": "A Person",
            "sort_code": "309457",
            "account_number": "12345678",
            "partner_organisation": "",
            "amount": "50.00",
            "fee": "50.00",
            "allowances": "0.00",
            "expenses": "0.00",
            "pay_by": approved.pay_by.isoformat(),
            "engagement_date": approved.engagement.date.isoformat(),
        }
    ]


def test_a_voucher_payment_carries_no_bank_details():
    person = PersonFactory(legal_name="Voucher Person")
    eligible(person)  # bank details on file, but this one is paid in vouchers
    eligible(person, Eligibility.VOUCHERS_ONLY, PaymentMethod.VOUCHER)
    claim_in(ClaimStatus.APPROVED, person=person)

    out = io.StringIO()
    export_payments(out, by=make_staff(StaffGroup.FINANCE))

    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert (row["method"], row["account_number"], row["sort_code"]) == ("Voucher", "", "")


@pytest.mark.parametrize(
    "now", [Eligibility.VOUCHERS_ONLY, Eligibility.PENDING, Eligibility.EXPENSES_ONLY]
)
def test_a_claim_the_eligibility_now_forbids_paying_is_not_exported(now):
    """Approved by bank transfer (with a fee), then the advice changed: the export is what
    finance pays from, so the claim and the person's details stay out of it."""
    stopped = claim_in(ClaimStatus.APPROVED, person=person_with_bank_details("Now Restricted"))
    still_due = claim_in(ClaimStatus.APPROVED, person=person_with_bank_details())
    record_payment_eligibility(
        stopped.engagement.person,
        by=make_staff(StaffGroup.ENGAGEMENT),
        status=now,
        advice_source="Immigration adviser",
        advice_date=date(2024, 2, 1),
    )
    out = io.StringIO()

    exported = export_payments(out, by=make_staff(StaffGroup.FINANCE))

    assert exported == 1
    assert [row["reference"] for row in csv.DictReader(io.StringIO(out.getvalue()))] == [
        still_due.reference
    ]
    assert "Now Restricted" not in out.getvalue()
    audited = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert [entry.object_id for entry in audited] == [
        still_due.engagement.person.payment_eligibility.pk
    ]


@pytest.mark.parametrize("name", ['=HYPERLINK("x")', '  =HYPERLINK("x")', "@SUM(1)"])
def test_a_formula_in_a_name_is_not_run_by_a_spreadsheet(client, name):
    claim_in(ClaimStatus.APPROVED, person=person_with_bank_details(name))
    client.force_login(make_staff(StaffGroup.FINANCE))

    (row,) = rows(client.get(URL))

    assert row["legal_name"] == "'" + name


@pytest.mark.parametrize(
    "visitor",
    [
        lambda: make_staff(StaffGroup.ENGAGEMENT),
        lambda: make_staff(StaffGroup.FUNDING),
        lambda: make_user(roles=[Role.PWLE]),
    ],
    ids=["engagement-team", "funding", "pwle"],
)
def test_nobody_but_finance_gets_the_export_and_nothing_is_audited(client, visitor):
    claim_in(ClaimStatus.APPROVED, person=person_with_bank_details())
    client.force_login(visitor())

    response = client.get(URL)

    assert response.status_code == 403
    assert "Amina Legal" not in response.content.decode()
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists() is False


def test_the_export_permission_without_the_bank_details_one_gets_nothing(client):
    claim_in(ClaimStatus.APPROVED, person=person_with_bank_details())
    staff = make_staff(StaffGroup.ENGAGEMENT)
    staff.user_permissions.add(Permission.objects.get(codename="export_payments"))
    staff = type(staff).objects.get(pk=staff.pk)  # fresh permission cache
    client.force_login(staff)

    response = client.get(URL)
    with pytest.raises(ValidationError, match="Only finance can export payments"):
        export_payments(io.StringIO(), by=staff)

    assert response.status_code == 403
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists() is False


def test_every_person_exported_gets_an_access_entry_without_values(client):
    first = claim_in(ClaimStatus.APPROVED, person=person_with_bank_details())
    second = claim_in(ClaimStatus.APPROVED, person=person_with_bank_details("Bo Legal"))
    finance = make_staff(StaffGroup.FINANCE)
    client.force_login(finance)

    client.get(URL)

    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).order_by("object_id")
    eligibilities = PaymentEligibility.objects.filter(
        person__in=[first.engagement.person, second.engagement.person]
    ).order_by("pk")
    assert [(e.object_id, e.actor, e.object_repr) for e in entries] == [
        (eligibility.pk, finance, f"paymenteligibility #{eligibility.pk}")
        for eligibility in eligibilities
    ]
    assert entries[0].additional_data == {
        "fields": ["bank_details", "legal_name", "partner_organisation"],
        "context": "finance export",
    }
    assert "Amina" not in str([e.changes for e in entries] + [e.additional_data for e in entries])


@pytest.mark.parametrize("rows_exported", [1, 4])
def test_the_export_makes_the_same_number_of_queries_whatever_its_rows(
    client, django_assert_num_queries, rows_exported
):
    for _ in range(rows_exported):
        claim_in(ClaimStatus.APPROVED, person=person_with_bank_details())
    client.force_login(make_staff(StaffGroup.FINANCE))
    client.get(URL)  # warm per-process caches (content types)

    # Login and person, MFA check, permissions; the claims with people and eligibility; the
    # audit entries in one insert (inside the request's savepoint).
    with django_assert_num_queries(5):
        response = client.get(URL)

    assert len(rows(response)) == rows_exported


def test_the_legal_name_appears_nowhere_else_in_this_app(client):
    claim = claim_in(ClaimStatus.APPROVED, person=person_with_bank_details())
    staff = make_staff(StaffGroup.ENGAGEMENT, StaffGroup.FINANCE)
    client.force_login(staff)

    page = client.get(f"/admin/recruitment/honorariumclaim/{claim.pk}/change/").content.decode()
    listing = client.get("/admin/recruitment/honorariumclaim/").content.decode()

    assert claim.reference in page
    assert "Amina Legal" not in page + listing
    assert Person.objects.get(pk=claim.engagement.person_id).legal_name == "Amina Legal"
