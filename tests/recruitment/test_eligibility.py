"""Payment eligibility: recorded by staff from advice, never by the system; the person's
preference within it; bank details entered only by the person or finance."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import TextField
from django.db.models.functions import Cast

from coprod.audit import SystemActor
from coprod.enums import Role, StaffGroup
from coprod.models import london_today
from recruitment.enums import Eligibility, PaymentMethod
from recruitment.forms import ClaimForm
from recruitment.models import PaymentEligibility
from recruitment.services import record_payment_eligibility, set_payment_preference
from tests.factories.core import PersonFactory, make_staff, make_user
from tests.factories.recruitment import BANK, eligible

pytestmark = pytest.mark.django_db


def stored(field):
    """A field's value as the database holds it (not decrypted)."""
    return (
        PaymentEligibility.objects.annotate(raw=Cast(field, TextField()))
        .values_list("raw", flat=True)
        .get()
    )


def record(person, by, **fields):
    fields = {
        "status": Eligibility.FULL,
        "advice_source": "Citizens Advice",
        "advice_date": date(2025, 1, 10),
        **fields,
    }
    return record_payment_eligibility(person, by=by, **fields)


def test_staff_record_eligibility_with_the_advice_and_restricted_notes_encrypted():
    person = PersonFactory()

    record(
        person,
        make_staff(StaffGroup.ENGAGEMENT),
        review_on=date(2026, 1, 10),
        staff_notes="Permitted-work limit applies",
    )

    saved = PaymentEligibility.objects.get(person=person)
    raw = stored("staff_notes")
    assert (saved.status, saved.advice_source, saved.review_on) == (
        Eligibility.FULL,
        "Citizens Advice",
        date(2026, 1, 10),
    )
    assert saved.staff_notes == "Permitted-work limit applies"
    assert raw.startswith("gAAAAA")


@pytest.mark.parametrize(
    "by",
    [lambda: SystemActor("task:anything"), lambda: make_user(roles=[Role.PWLE])],
    ids=["a-process", "a-person"],
)
def test_eligibility_is_never_recorded_by_the_system_or_by_a_participant(by):
    person = PersonFactory()

    with pytest.raises(ValidationError, match="recorded by staff"):
        record(person, by())

    assert PaymentEligibility.objects.exists() is False


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"advice_source": ""}, "Say who gave the advice, and when."),
        ({"advice_date": None}, "Say who gave the advice, and when."),
        ({"advice_date": london_today() + timedelta(days=1)}, "cannot be dated in the future"),
        ({"review_on": date(2024, 1, 1)}, "The review date must be after the advice."),
    ],
    ids=["no-source", "no-date", "future", "review-before-advice"],
)
def test_eligibility_needs_its_advice(fields, message):
    with pytest.raises(ValidationError, match=message):
        record(PersonFactory(), make_staff(StaffGroup.ENGAGEMENT), **fields)

    assert PaymentEligibility.objects.exists() is False


def test_without_advice_only_declining_is_possible():
    member = make_user(roles=[Role.PWLE])

    with pytest.raises(ValidationError, match="Possible: I do not want to be paid"):
        set_payment_preference(member.person, by=member, preference=PaymentMethod.VOUCHER)
    declined = set_payment_preference(member.person, by=member, preference=PaymentMethod.DECLINED)

    assert (declined.status, declined.preference) == (Eligibility.PENDING, "declined")


def test_a_stricter_eligibility_clears_a_preference_it_no_longer_allows():
    person = PersonFactory()
    eligible(person, Eligibility.FULL, PaymentMethod.BANK_TRANSFER)

    record(person, make_staff(StaffGroup.ENGAGEMENT), status=Eligibility.VOUCHERS_ONLY)

    assert PaymentEligibility.objects.get(person=person).preference == ""


def test_the_person_enters_their_own_bank_details_encrypted():
    member = make_user(roles=[Role.PWLE])
    record(member.person, make_staff(StaffGroup.ENGAGEMENT))

    set_payment_preference(
        member.person,
        by=member,
        preference=PaymentMethod.BANK_TRANSFER,
        bank_details={
            "account_name": "S Ali",
            "sort_code": "30 94 57",
            "account_number": "1234-5678",
        },
    )

    saved = PaymentEligibility.objects.get()
    raw = stored("bank_details")
    assert saved.bank_details == {
        "account_name": "S Ali",
        "sort_code": "309457",
        "account_number": "12345678",
    }
    assert raw.startswith("gAAAAA")
    assert "12345678" not in raw


@pytest.mark.parametrize(
    "by",
    [lambda: make_staff(StaffGroup.ENGAGEMENT), lambda: make_user(roles=[Role.PRACTITIONER])],
    ids=["engagement-team", "another-person"],
)
def test_only_the_person_or_finance_enter_bank_details(by):
    person = PersonFactory()
    record(person, make_staff(StaffGroup.ENGAGEMENT))

    with pytest.raises(ValidationError, match="Only the person"):
        set_payment_preference(
            person, by=by(), preference=PaymentMethod.BANK_TRANSFER, bank_details=BANK
        )

    assert PaymentEligibility.objects.get().bank_details is None


@pytest.mark.parametrize(
    ("details", "message"),
    [
        ({**BANK, "sort_code": "12345"}, "sort code of 6 numbers"),
        ({**BANK, "account_number": "1234567a"}, "account number of 8 numbers"),
        ({**BANK, "account_name": " "}, "name on the bank account"),
        (None, "Enter bank details"),
    ],
    ids=["sort-code", "account-number", "no-name", "none"],
)
def test_bank_transfer_needs_valid_bank_details(details, message):
    member = make_user(roles=[Role.PWLE])
    record(member.person, make_staff(StaffGroup.ENGAGEMENT))

    with pytest.raises(ValidationError, match=message):
        set_payment_preference(
            member.person, by=member, preference=PaymentMethod.BANK_TRANSFER, bank_details=details
        )

    assert PaymentEligibility.objects.get().preference == ""


# The claim form --------------------------------------------------------------------------------


def test_the_claim_form_offers_only_the_allowed_methods():
    eligibility = PaymentEligibility(status=Eligibility.VOUCHERS_ONLY)

    form = ClaimForm(eligibility=eligibility)

    assert [value for value, _label in form.fields["method"].widget.choices] == [
        "voucher",
        "declined",
    ]


def test_the_claim_form_refuses_a_forbidden_method_with_the_reason():
    eligibility = PaymentEligibility(status=Eligibility.VOUCHERS_ONLY)

    form = ClaimForm({"method": "bank_transfer"}, eligibility=eligibility)

    assert form.errors == {
        "method": [
            "You cannot be paid this way with the payment advice you have had "
            "(vouchers only). You can choose: voucher; not being paid."
        ]
    }


def test_a_process_cannot_choose_how_someone_is_paid():
    person = PersonFactory()

    with pytest.raises(ValidationError, match="Only the person or the team"):
        set_payment_preference(
            person, by=SystemActor("task:anything"), preference=PaymentMethod.DECLINED
        )

    assert PaymentEligibility.objects.exists() is False
