"""The admin: writes through the services, restricted eligibility fields only for those who may
see them (each view audited), and no deleting claims or eligibility."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.utils import timezone

from coprod.admin import RestrictedLookupsMixin
from coprod.enums import StaffGroup
from coprod.models import Person, london_today
from recruitment.enums import ClaimStatus, Eligibility, EngagementStatus, PaymentMethod
from recruitment.models import Engagement, HonorariumClaim, PaymentEligibility, Rate
from recruitment.services import record_payment_eligibility, set_payment_preference
from tests.factories.core import PersonFactory, make_staff
from tests.factories.recruitment import claim_in, eligible

pytestmark = pytest.mark.django_db


def eligibility_with_secrets():
    person = PersonFactory()
    eligible(person)
    record_payment_eligibility(
        person,
        by=make_staff(StaffGroup.ENGAGEMENT),
        status="full",
        advice_source="Citizens Advice",
        advice_date=london_today(),
        staff_notes="Zeta permitted-work limit",
    )
    return set_payment_preference(
        person,
        by=make_staff(StaffGroup.FINANCE),
        preference="bank_transfer",
        partner_organisation="Zeta Partners",
    )


@pytest.mark.parametrize(
    ("group", "shows_notes", "shows_bank", "fields"),
    [
        (StaffGroup.FINANCE, True, True, ["bank_details", "partner_organisation", "staff_notes"]),
        (StaffGroup.ENGAGEMENT, True, False, ["staff_notes"]),
    ],
    ids=["finance", "engagement-team"],
)
def test_restricted_eligibility_fields_only_for_who_may_see_them_each_view_audited(
    client, group, shows_notes, shows_bank, fields
):
    eligibility = eligibility_with_secrets()
    staff = make_staff(group)
    client.force_login(staff)

    page = client.get(
        f"/admin/recruitment/paymenteligibility/{eligibility.pk}/change/"
    ).content.decode()

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    assert ("Zeta permitted-work limit" in page) is shows_notes
    assert ("12345678" in page, "Zeta Partners" in page) == (shows_bank, shows_bank)
    assert (entry.actor, entry.additional_data) == (staff, {"fields": fields, "context": "admin"})


def test_claims_and_eligibility_cannot_be_deleted_in_the_admin(client):
    claim = claim_in(ClaimStatus.DRAFT)
    superuser = make_staff(is_superuser=True)
    client.force_login(superuser)

    claim_delete = client.post(
        f"/admin/recruitment/honorariumclaim/{claim.pk}/delete/", {"post": "yes"}
    )
    eligibility = PaymentEligibility.objects.get()
    eligibility_delete = client.post(
        f"/admin/recruitment/paymenteligibility/{eligibility.pk}/delete/", {"post": "yes"}
    )

    assert (claim_delete.status_code, eligibility_delete.status_code) == (403, 403)
    assert HonorariumClaim.objects.count() == 1
    assert PaymentEligibility.objects.count() == 1


def test_approving_in_the_admin_goes_through_the_service_and_refuses_ones_own(client):
    approver = make_staff(StaffGroup.ENGAGEMENT)
    eligible(approver.person)
    theirs = claim_in(ClaimStatus.SUBMITTED)
    own = claim_in(ClaimStatus.SUBMITTED, person=approver.person)
    client.force_login(approver)

    client.post(
        "/admin/recruitment/honorariumclaim/",
        {"action": "approve", "_selected_action": [theirs.pk, own.pk]},
    )

    assert HonorariumClaim.objects.get(pk=theirs.pk).status == ClaimStatus.APPROVED
    assert HonorariumClaim.objects.get(pk=own.pk).status == ClaimStatus.SUBMITTED


def test_marking_paid_in_the_admin_is_for_finance(client):
    claim = claim_in(ClaimStatus.APPROVED)
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))
    client.post(
        "/admin/recruitment/honorariumclaim/",
        {"action": "mark_paid_today", "_selected_action": [claim.pk]},
    )
    after_engagement_team = HonorariumClaim.objects.get().status
    client.force_login(make_staff(StaffGroup.FINANCE))

    client.post(
        "/admin/recruitment/honorariumclaim/",
        {"action": "mark_paid_today", "_selected_action": [claim.pk]},
    )

    claim.refresh_from_db()
    assert after_engagement_team == ClaimStatus.APPROVED
    assert (claim.status, claim.paid_on, claim.payment_reference) == (
        ClaimStatus.PAID,
        london_today(),
        claim.reference,
    )


def test_recording_an_engagement_and_a_rate_in_the_admin_uses_the_services(client):
    person = PersonFactory()
    client.force_login(make_staff(StaffGroup.ENGAGEMENT, StaffGroup.FINANCE))

    client.post(
        "/admin/recruitment/engagement/add/",
        {
            "person": person.pk,
            "kind": "panel",
            "date": london_today().isoformat(),
            "hours": "-2",
            "preparation_hours": "0",
            "travel": "0",
            "childcare": "0",
            "interpreter": "0",
        },
    )
    refused = Engagement.objects.exists()
    client.post(
        "/admin/recruitment/engagement/add/",
        {
            "person": person.pk,
            "kind": "panel",
            "date": london_today().isoformat(),
            "hours": "2",
            "preparation_hours": "1",
            "travel": "0",
            "childcare": "0",
            "interpreter": "0",
        },
    )
    client.post(
        "/admin/recruitment/rate/add/",
        {
            "kind": "panel",
            "effective_from": "2025-01-01",
            "hourly": "20",
            "daily": "100",
            "preparation_hourly": "15",
            "data_allowance": "0",
        },
    )

    engagement = Engagement.objects.get()
    assert refused is False
    assert engagement.source_key.startswith("admin:")
    assert engagement.status == EngagementStatus.PLANNED
    assert Rate.objects.get().hourly == 20


def test_every_recruitment_admin_refuses_hidden_lookups():
    ours = [
        model_admin
        for model, model_admin in admin.site._registry.items()
        if model._meta.app_label == "recruitment"
    ]

    assert len(ours) == 7
    assert all(isinstance(model_admin, RestrictedLookupsMixin) for model_admin in ours)


def test_the_engagement_team_records_eligibility_in_the_admin_without_bank_fields(client):
    person = PersonFactory()
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    form = client.get("/admin/recruitment/paymenteligibility/add/").content.decode()
    client.post(
        "/admin/recruitment/paymenteligibility/add/",
        {
            "person": person.pk,
            "status": "vouchers_only",
            "advice_source": "Welfare rights adviser",
            "advice_date": "2025-01-10",
            "staff_notes": "Benefits: vouchers only",
            "account_name": "Injected",
            "sort_code": "309457",
            "account_number": "12345678",
        },
    )

    saved = PaymentEligibility.objects.get(person=person)
    assert 'name="account_number"' not in form
    assert (saved.status, saved.staff_notes, saved.bank_details) == (
        "vouchers_only",
        "Benefits: vouchers only",
        None,
    )


def test_a_refused_payment_choice_in_the_admin_saves_nothing_and_says_why(client):
    """The eligibility and the preference are one form: when the preference is refused (a bank
    transfer without bank details), the eligibility is not half changed either."""
    eligibility = eligible(PersonFactory(), Eligibility.VOUCHERS_ONLY, PaymentMethod.VOUCHER)
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.post(
        f"/admin/recruitment/paymenteligibility/{eligibility.pk}/change/",
        {
            "status": "full",
            "advice_source": "Welfare rights adviser",
            "advice_date": "2025-01-10",
            "review_on": "",
            "preference": "bank_transfer",
            "staff_notes": "Changed",
        },
        follow=True,
    )

    saved = PaymentEligibility.objects.get(pk=eligibility.pk)
    assert (saved.status, saved.preference, saved.staff_notes) == ("vouchers_only", "voucher", "")
    shown = [str(message) for message in response.context["messages"]]
    assert shown == ["Enter bank details to be paid by bank transfer."]


def test_a_refused_new_eligibility_in_the_admin_is_not_saved(client):
    person = PersonFactory()
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.post(
        "/admin/recruitment/paymenteligibility/add/",
        {
            "person": person.pk,
            "status": "full",
            "advice_source": "Welfare rights adviser",
            "advice_date": "2025-01-10",
            "preference": "partner",
        },
        follow=True,
    )

    assert PaymentEligibility.objects.filter(person=person).exists() is False
    assert [str(message) for message in response.context["messages"]] == [
        "Say which partner organisation will pay."
    ]


def test_eligibility_without_the_notes_permission_shows_neither_notes_nor_bank_details(client):
    eligibility = eligibility_with_secrets()
    staff = make_staff(StaffGroup.PARTNERSHIPS)
    staff.user_permissions.add(Permission.objects.get(codename="view_paymenteligibility"))
    client.force_login(staff)

    response = client.get(f"/admin/recruitment/paymenteligibility/{eligibility.pk}/change/")

    page = response.content.decode()
    assert response.status_code == 200
    assert ("Zeta permitted-work limit" in page, "12345678" in page) == (False, False)
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists() is False


def test_an_engagement_for_an_erased_person_is_refused_on_the_admin_form(client):
    person = PersonFactory()
    Person.objects.filter(pk=person.pk).update(erased_at=timezone.now())
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.post(
        "/admin/recruitment/engagement/add/",
        {
            "person": person.pk,
            "kind": "panel",
            "date": london_today().isoformat(),
            "hours": "2",
            "preparation_hours": "0",
            "travel": "0",
            "childcare": "0",
            "interpreter": "0",
        },
    )

    assert response.status_code == 200
    assert "This person&#x27;s information has been deleted." in response.content.decode()
    assert not Engagement.objects.exists()


def test_finance_entering_a_partner_organisation_without_a_preference_is_told_not_ignored(
    client,
):
    person = PersonFactory()
    eligibility = record_payment_eligibility(
        person,
        by=make_staff(StaffGroup.ENGAGEMENT),
        status=Eligibility.FULL,
        advice_source="Citizens Advice",
        advice_date=london_today(),
    )
    client.force_login(make_staff(StaffGroup.FINANCE))

    response = client.post(
        f"/admin/recruitment/paymenteligibility/{eligibility.pk}/change/",
        {
            "status": "full",
            "advice_source": "Citizens Advice",
            "advice_date": london_today().isoformat(),
            "review_on": "",
            "preference": "",
            "staff_notes": "",
            "partner_organisation": "Hope Street Trust",
        },
        follow=True,
    )

    shown = [str(message) for message in response.context["messages"]]
    assert shown == [
        "Choose how the person is paid, then the partner organisation is saved with it."
    ]
    assert PaymentEligibility.objects.get(pk=eligibility.pk).partner_organisation == ""
