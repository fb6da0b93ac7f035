"""Onboarding: one checklist per accepted person (agreement signed, how they want to be paid —
read live from their payment eligibility — and access needs confirmed), marked by staff, seen by
the person in the portal with their training, and a "Things to do" item while a step is open."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from coprod.enums import Role, StaffGroup
from coprod.models import london_today
from coprod.selectors import things_to_do_for_person
from coprod.services.rights import erase_person, request_erasure
from recruitment.enums import ApplicationStatus, PaymentMethod
from recruitment.models import Onboarding, TrainingCompletion
from recruitment.selectors.selection import onboarding_checklist
from recruitment.services import (
    confirm_access_needs,
    record_agreement_signed,
    record_training_completion,
    start_onboarding,
)
from tests.factories.core import TEST_ACTOR, PersonFactory, make_staff, make_user
from tests.factories.recruitment import (
    OpportunityFactory,
    SentApplicationFactory,
    TrainingModuleFactory,
    eligible,
)

pytestmark = pytest.mark.django_db

GETTING_STARTED = "/portal/getting-started/"


@pytest.fixture
def staff():
    return make_staff(StaffGroup.ENGAGEMENT)


def steps(person):
    return [(step.key, step.done) for step in onboarding_checklist(person).steps]


def test_start_onboarding_makes_one_checklist_per_person():
    person = PersonFactory()

    first = start_onboarding(person, by=TEST_ACTOR)
    second = start_onboarding(person, by=TEST_ACTOR)

    assert first.pk == second.pk
    assert Onboarding.objects.count() == 1


def test_a_new_checklist_has_every_step_open():
    person = PersonFactory()
    start_onboarding(person, by=TEST_ACTOR)

    assert steps(person) == [
        ("agreement_signed", False),
        ("payment_preference_set", False),
        ("access_needs_confirmed", False),
    ]


def test_staff_mark_the_agreement_and_access_needs_with_their_dates_audited(staff):
    person = PersonFactory()
    start_onboarding(person, by=TEST_ACTOR)

    record_agreement_signed(person, by=staff, signed_on=date(2026, 5, 1))
    onboarding = confirm_access_needs(person, by=staff, confirmed_on=date(2026, 5, 2))

    entries = LogEntry.objects.get_for_object(onboarding).filter(action=LogEntry.Action.UPDATE)
    assert (onboarding.agreement_signed_on, onboarding.access_needs_confirmed_on) == (
        date(2026, 5, 1),
        date(2026, 5, 2),
    )
    assert [(entry.actor, list(entry.changes)) for entry in entries.order_by("pk")] == [
        (staff, ["agreement_signed_on"]),
        (staff, ["access_needs_confirmed_on"]),
    ]


@pytest.mark.parametrize("service", [record_agreement_signed, confirm_access_needs])
def test_a_step_dated_in_the_future_is_refused(staff, service):
    person = PersonFactory()
    start_onboarding(person, by=TEST_ACTOR)
    tomorrow = london_today() + timedelta(days=1)
    name = "signed_on" if service is record_agreement_signed else "confirmed_on"

    with pytest.raises(ValidationError, match="cannot be in the future"):
        service(person, by=staff, **{name: tomorrow})

    assert steps(person)[0] == ("agreement_signed", False)
    assert steps(person)[2] == ("access_needs_confirmed", False)


def test_only_the_engagement_team_marks_steps():
    person = PersonFactory()
    start_onboarding(person, by=TEST_ACTOR)

    with pytest.raises(ValidationError, match="Only the engagement team"):
        record_agreement_signed(person, by=make_staff(StaffGroup.FINANCE), signed_on=london_today())

    assert Onboarding.objects.get().agreement_signed_on is None


def test_payment_preference_step_is_read_live_from_the_eligibility():
    person = PersonFactory()
    start_onboarding(person, by=TEST_ACTOR)
    before = steps(person)[1]

    eligible(person, preference=PaymentMethod.VOUCHER)

    assert before == ("payment_preference_set", False)
    assert steps(person)[1] == ("payment_preference_set", True)
    assert onboarding_checklist(person).steps[1].detail == "Voucher"


def test_things_to_do_asks_to_finish_getting_started_until_every_step_is_done(staff):
    person = make_user(roles=[Role.PWLE]).person
    before = [item.url for item in things_to_do_for_person(person)]
    start_onboarding(person, by=TEST_ACTOR)
    record_agreement_signed(person, by=staff, signed_on=london_today())
    confirm_access_needs(person, by=staff, confirmed_on=london_today())
    open_steps = [item.url for item in things_to_do_for_person(person)]

    eligible(person, preference=PaymentMethod.DECLINED)

    assert GETTING_STARTED not in before
    assert GETTING_STARTED in open_steps
    assert GETTING_STARTED not in [item.url for item in things_to_do_for_person(person)]


# The portal page -----------------------------------------------------------------------------


def test_portal_page_shows_the_persons_own_checklist_next_steps_and_training(client, staff):
    member = make_user(roles=[Role.PWLE])
    start_onboarding(member.person, by=TEST_ACTOR)
    record_agreement_signed(member.person, by=staff, signed_on=date(2026, 4, 3))
    record_training_completion(
        member.person,
        TrainingModuleFactory(name="Trauma-informed practice"),
        by=staff,
        completed_on=date(2026, 4, 1),
    )
    client.force_login(member)

    page = client.get(GETTING_STARTED).content.decode()

    assert "3 April 2026" in page
    assert "Tell us how you want to be paid" in page
    assert "Tell us what support or changes you need" in page
    assert "Sign your agreement" not in page
    assert "Trauma-informed practice, completed on 1 April 2026" in page


def test_portal_page_never_shows_someone_elses_onboarding_or_training(client, staff):
    other = PersonFactory()
    start_onboarding(other, by=TEST_ACTOR)
    record_agreement_signed(other, by=staff, signed_on=date(2026, 4, 3))
    record_training_completion(
        other, TrainingModuleFactory(name="Zeta module"), by=staff, completed_on=date(2026, 4, 1)
    )
    client.force_login(make_user(roles=[Role.PWLE]))

    page = client.get(GETTING_STARTED).content.decode()

    assert "Zeta module" not in page
    assert "3 April 2026" not in page
    assert "When you accept a place on an opportunity" in page


# The staff page ------------------------------------------------------------------------------


def accepted():
    opportunity = OpportunityFactory(blind_shortlisting=False)
    return SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.ACCEPTED)


def onboarding_url(application):
    return (
        f"/staff/recruitment/opportunities/{application.opportunity_id}/applications/"
        f"{application.pk}/onboarding/"
    )


def test_staff_record_a_step_on_the_onboarding_page(client, staff):
    application = accepted()
    client.force_login(staff)

    response = client.post(
        onboarding_url(application), {"step": "access_needs_confirmed", "on": "2026-06-01"}
    )

    assert response.status_code == 302
    assert Onboarding.objects.values_list(
        "person", "access_needs_confirmed_on", "agreement_signed_on"
    ).get() == (application.person_id, date(2026, 6, 1), None)


def test_onboarding_page_refuses_a_future_date_and_saves_nothing(client, staff):
    application = accepted()
    client.force_login(staff)
    tomorrow = london_today() + timedelta(days=1)

    response = client.post(
        onboarding_url(application), {"step": "agreement_signed", "on": tomorrow.isoformat()}
    )

    assert response.status_code == 400
    assert "The date cannot be in the future" in response.content.decode()
    assert Onboarding.objects.count() == 0


def test_onboarding_page_is_only_for_accepted_applications(client, staff):
    application = SentApplicationFactory(
        opportunity=OpportunityFactory(blind_shortlisting=False),
        status=ApplicationStatus.OFFERED,
    )
    client.force_login(staff)

    response = client.get(onboarding_url(application))

    assert response.status_code == 404


def test_the_download_has_their_training_and_onboarding_and_erasure_removes_both(client, staff):
    member = make_user(roles=[Role.LEE])
    someone_else = PersonFactory()
    module = TrainingModuleFactory(name="Trauma-informed practice")
    for person in (member.person, someone_else):
        record_training_completion(person, module, by=staff, completed_on=date(2026, 3, 2))
        record_agreement_signed(person, by=staff, signed_on=date(2026, 3, 3))
    client.force_login(member)

    data = json.loads(client.get("/portal/my-information/download/").content)["recruitment"]
    erase_person(request_erasure(member.person, by=member), by=staff, reason="Asked by phone")

    assert data["training"] == [
        {"module": "Trauma-informed practice", "completed_on": "2026-03-02"}
    ]
    assert data["onboarding"]["agreement_signed_on"] == "2026-03-03"
    assert list(TrainingCompletion.objects.values_list("person", flat=True)) == [someone_else.pk]
    assert list(Onboarding.objects.values_list("person", flat=True)) == [someone_else.pk]


def test_the_staff_onboarding_page_shows_how_they_want_to_be_paid_only_to_who_may_see_it(
    client, staff
):
    application = accepted()
    eligible(application.person, preference=PaymentMethod.VOUCHER)
    record_agreement_signed(application.person, by=staff, signed_on=date(2026, 6, 1))
    # Selection staff who may not see payment eligibility (not a default group: a custom one).
    without = make_staff(StaffGroup.FUNDING)
    without.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="recruitment",
            codename__in=["manage_selection", "view_application", "view_opportunity"],
        )
    )

    client.force_login(staff)
    shown = client.get(onboarding_url(application)).content.decode()
    client.force_login(without)
    hidden = client.get(onboarding_url(application)).content.decode()

    assert "(Voucher)" in shown
    assert "(Voucher)" not in hidden
    assert "How you want to be paid is set" in hidden
