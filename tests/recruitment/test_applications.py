"""The services of applying and answering an offer (recruitment.services.applications): a draft
numbered within its opportunity, sent only while open and with the required answers, only by
the applicant; withdrawing; accepting (onboarding, PWLE → LEE) and declining an offer."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from coprod.enums import Role, RoleGrantSource, StaffGroup
from coprod.models import Notification, RoleGrant
from recruitment.enums import ApplicationStatus, OpportunityStatus, RoleSought
from recruitment.models import Application, ApplicationEvent, Onboarding, Opportunity
from recruitment.services.applications import (
    accept_offer,
    closed_message,
    decline_offer,
    save_application,
    start_application,
    submit_application,
    withdraw_application,
)
from tests.factories.core import make_staff, make_user
from tests.factories.recruitment import ApplicationFactory, OpportunityFactory, application_in

pytestmark = pytest.mark.django_db

ANSWERS = {
    "why_interested": "I want services to listen.",
    "what_they_bring": "I know what it is like to ask for help.",
    "support_needs": "An interpreter (Tigrinya).",
    "safe_contact": "Text only, weekday mornings.",
}


@pytest.fixture
def pwle():
    return make_user(roles=[Role.PWLE])


def history(application: Application) -> list[tuple[str, str]]:
    return list(
        ApplicationEvent.objects.filter(application=application).values_list(
            "from_status", "to_status"
        )
    )


# Starting --------------------------------------------------------------------------------------


def test_start_application_makes_a_numbered_draft_with_its_first_step(pwle):
    opportunity = OpportunityFactory()
    ApplicationFactory(opportunity=opportunity, number=4)
    ApplicationFactory(number=9)  # another opportunity's numbers do not count

    application = start_application(opportunity, by=pwle)

    assert (application.status, application.number, application.person) == (
        ApplicationStatus.DRAFT,
        5,
        pwle.person,
    )
    assert history(application) == [("", ApplicationStatus.DRAFT)]


def test_numbers_start_at_one_in_each_opportunity(pwle):
    ApplicationFactory(number=7)

    application = start_application(OpportunityFactory(), by=pwle)

    assert application.number == 1


@pytest.mark.parametrize(
    "fields",
    [
        {"status": OpportunityStatus.DRAFT},
        {"status": OpportunityStatus.CLOSED},
        {"status": OpportunityStatus.FILLED},
        {"closes_at": timezone.now() - timedelta(seconds=1)},
    ],
    ids=["draft", "closed", "filled", "past-closing-time"],
)
def test_start_application_refuses_an_opportunity_that_is_not_open(pwle, fields):
    opportunity = OpportunityFactory(**fields)

    with pytest.raises(ValidationError) as refused:
        start_application(opportunity, by=pwle)

    assert refused.value.messages == [
        "This opportunity has closed, so applications cannot be sent or changed any more. "
        "If you think this is wrong, contact us."
    ]
    assert not Application.objects.exists()


def test_start_application_checks_the_opportunity_as_it_is_now_not_as_it_was_read(pwle):
    opportunity = OpportunityFactory()
    Opportunity.objects.filter(pk=opportunity.pk).update(status=OpportunityStatus.CLOSED)

    with pytest.raises(ValidationError) as refused:
        start_application(opportunity, by=pwle)  # still "open" in memory: staff just closed it

    assert refused.value.messages == [closed_message()]
    assert not Application.objects.exists()


def test_start_application_refuses_an_opportunity_not_offered_to_the_persons_roles():
    researcher = make_user(roles=[Role.RESEARCHER])
    for_lee = OpportunityFactory(role_sought=RoleSought.LEE)

    with pytest.raises(ValidationError) as refused:
        start_application(for_lee, by=researcher)

    assert refused.value.messages == ["This opportunity is for Lived experience experts."]
    assert not Application.objects.exists()


def test_a_pwle_may_apply_for_an_lee_opportunity_the_step_to_lee(pwle):
    application = start_application(OpportunityFactory(role_sought=RoleSought.LEE), by=pwle)

    assert (application.person, application.status) == (pwle.person, ApplicationStatus.DRAFT)


def test_an_lee_may_apply_for_pwle_and_lee_opportunities():
    lee = make_user(roles=[Role.PWLE, Role.LEE])

    first = start_application(OpportunityFactory(role_sought=RoleSought.LEE), by=lee)
    second = start_application(OpportunityFactory(role_sought=RoleSought.PWLE), by=lee)

    assert [first.status, second.status] == [ApplicationStatus.DRAFT, ApplicationStatus.DRAFT]


def test_a_practitioner_cannot_apply_for_themself():
    practitioner = make_user(roles=[Role.PRACTITIONER])

    with pytest.raises(ValidationError):
        start_application(OpportunityFactory(), by=practitioner)

    assert not Application.objects.exists()


def test_applying_twice_is_refused(pwle):
    opportunity = OpportunityFactory()
    start_application(opportunity, by=pwle)

    with pytest.raises(ValidationError) as refused:
        start_application(opportunity, by=pwle)

    assert refused.value.messages == [
        "There is already an application for this person to this opportunity."
    ]
    assert Application.objects.count() == 1


# Saving and sending ----------------------------------------------------------------------------


def test_save_application_keeps_the_answers_of_a_draft(pwle):
    application = start_application(OpportunityFactory(), by=pwle)

    save_application(application, by=pwle, **ANSWERS)

    saved = Application.objects.get(pk=application.pk)
    assert {field: getattr(saved, field) for field in ANSWERS} == ANSWERS
    assert saved.status == ApplicationStatus.DRAFT


def test_save_application_of_someone_else_is_refused(pwle):
    application = ApplicationFactory(why_interested="Theirs")

    with pytest.raises(ValidationError) as refused:
        save_application(application, by=pwle, why_interested="Changed")

    assert refused.value.messages == ["This is not your application."]
    assert Application.objects.get(pk=application.pk).why_interested == "Theirs"


def test_save_application_once_sent_is_refused(pwle):
    application = application_in(ApplicationStatus.SUBMITTED, person=pwle.person)

    with pytest.raises(ValidationError):
        save_application(application, by=pwle, why_interested="Changed")

    assert Application.objects.get(pk=application.pk).why_interested == "I want things to change."


def test_save_application_after_the_closing_time_is_refused(pwle, time_machine):
    opportunity = OpportunityFactory(closes_at=timezone.now() + timedelta(minutes=1))
    application = start_application(opportunity, by=pwle)
    time_machine.move_to(timezone.now() + timedelta(minutes=2))

    with pytest.raises(ValidationError):
        save_application(application, by=pwle, why_interested="Too late")

    assert Application.objects.get(pk=application.pk).why_interested == ""


def test_submit_application_sends_it_with_the_time_and_who(pwle):
    application = start_application(OpportunityFactory(), by=pwle)
    save_application(application, by=pwle, **ANSWERS)

    submit_application(application, by=pwle)

    sent = Application.objects.get(pk=application.pk)
    assert sent.status == ApplicationStatus.SUBMITTED
    assert sent.submitted_at is not None
    assert history(sent)[-1] == (ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)
    assert ApplicationEvent.objects.filter(application=sent).last().by == pwle


def test_submit_application_names_each_missing_answer_and_changes_nothing(pwle):
    application = start_application(OpportunityFactory(), by=pwle)
    save_application(application, by=pwle, support_needs="Breaks", what_they_bring="  ")

    with pytest.raises(ValidationError) as refused:
        submit_application(application, by=pwle)

    assert refused.value.message_dict == {
        "why_interested": ["Say why you are interested"],
        "what_they_bring": ["Say what you would bring"],
        "safe_contact": ["Say how and when it is safe to contact you"],
    }
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_submit_application_after_the_closing_time_is_refused(pwle, time_machine):
    opportunity = OpportunityFactory(closes_at=timezone.now() + timedelta(hours=1))
    application = start_application(opportunity, by=pwle)
    save_application(application, by=pwle, **ANSWERS)
    time_machine.move_to(timezone.now() + timedelta(hours=1, seconds=1))

    with pytest.raises(ValidationError) as refused:
        submit_application(application, by=pwle)

    assert "This opportunity has closed" in refused.value.messages[0]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT
    assert history(application) == [("", ApplicationStatus.DRAFT)]


def test_submit_application_when_staff_closed_it_early_is_refused(pwle):
    application = start_application(OpportunityFactory(), by=pwle)
    save_application(application, by=pwle, **ANSWERS)
    application.opportunity.status = OpportunityStatus.CLOSED
    application.opportunity.save()

    with pytest.raises(ValidationError):
        submit_application(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


def test_submit_application_of_someone_else_is_refused(pwle):
    application = ApplicationFactory()

    with pytest.raises(ValidationError):
        submit_application(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT


# Withdrawing -----------------------------------------------------------------------------------


def test_withdraw_application_ends_it_without_an_outcome_message(pwle):
    application = application_in(ApplicationStatus.SHORTLISTED, person=pwle.person)

    withdraw_application(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.WITHDRAWN
    assert not Notification.objects.filter(kind="application_outcome").exists()


def test_withdraw_application_of_someone_else_is_refused(pwle):
    application = application_in(ApplicationStatus.SUBMITTED)

    with pytest.raises(ValidationError):
        withdraw_application(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SUBMITTED


def test_withdraw_application_that_has_ended_is_refused(pwle):
    application = application_in(ApplicationStatus.UNSUCCESSFUL, person=pwle.person)

    with pytest.raises(ValidationError):
        withdraw_application(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.UNSUCCESSFUL


# Answering an offer ----------------------------------------------------------------------------


def test_accept_offer_accepts_starts_onboarding_and_sends_the_outcome(pwle):
    application = application_in(ApplicationStatus.OFFERED, person=pwle.person)

    accept_offer(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ACCEPTED
    assert Onboarding.objects.filter(person=pwle.person).count() == 1
    assert list(Notification.objects.values_list("kind", "person")) == [
        ("application_outcome", pwle.person.pk)
    ]


def test_a_second_accepted_offer_keeps_the_one_onboarding_checklist(pwle):
    first = application_in(ApplicationStatus.OFFERED, person=pwle.person)
    second = application_in(ApplicationStatus.OFFERED, person=pwle.person)
    accept_offer(first, by=pwle)
    Onboarding.objects.filter(person=pwle.person).update(agreement_signed_on=timezone.localdate())

    accept_offer(second, by=pwle)

    assert list(Onboarding.objects.values_list("person", "agreement_signed_on")) == [
        (pwle.person.pk, timezone.localdate())
    ]


def test_accepting_an_lee_place_records_the_pwle_to_lee_step_by_who_offered(pwle):
    offering = make_staff(StaffGroup.ENGAGEMENT)
    application = application_in(
        ApplicationStatus.OFFERED,
        person=pwle.person,
        opportunity=OpportunityFactory(role_sought=RoleSought.LEE),
        staff=offering,
    )

    accept_offer(application, by=pwle)

    grant = RoleGrant.objects.get(person=pwle.person, role=Role.LEE)
    assert (grant.source, grant.granted_by) == (RoleGrantSource.PROMOTION, offering)
    assert RoleGrant.objects.filter(person=pwle.person, role=Role.PWLE).exists()


def test_accepting_a_pwle_place_records_no_lee_step(pwle):
    application = application_in(ApplicationStatus.OFFERED, person=pwle.person)

    accept_offer(application, by=pwle)

    assert not RoleGrant.objects.filter(person=pwle.person, role=Role.LEE).exists()


def test_accepting_an_lee_place_as_an_lee_adds_no_second_grant():
    lee = make_user(roles=[Role.PWLE, Role.LEE])
    application = application_in(
        ApplicationStatus.OFFERED,
        person=lee.person,
        opportunity=OpportunityFactory(role_sought=RoleSought.LEE),
    )

    accept_offer(application, by=lee)

    assert RoleGrant.objects.filter(person=lee.person, role=Role.LEE).count() == 1


def test_accepting_an_lee_place_without_pwle_records_no_step():
    referred = make_user()  # referred by a practitioner: no role yet
    application = application_in(
        ApplicationStatus.OFFERED,
        person=referred.person,
        opportunity=OpportunityFactory(role_sought=RoleSought.LEE),
    )

    accept_offer(application, by=referred)

    assert not RoleGrant.objects.filter(person=referred.person).exists()
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ACCEPTED


def test_accept_offer_of_someone_else_is_refused(pwle):
    application = application_in(ApplicationStatus.OFFERED)

    with pytest.raises(ValidationError) as refused:
        accept_offer(application, by=pwle)

    assert refused.value.messages == ["This is not your offer to answer."]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.OFFERED
    assert not Onboarding.objects.exists()


def test_accept_offer_without_an_offer_is_refused_and_starts_nothing(pwle):
    application = application_in(ApplicationStatus.SHORTLISTED, person=pwle.person)

    with pytest.raises(ValidationError):
        accept_offer(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.SHORTLISTED
    assert not Onboarding.objects.exists()


def test_decline_offer_declines_without_onboarding(pwle):
    application = application_in(ApplicationStatus.OFFERED, person=pwle.person)

    decline_offer(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DECLINED
    assert not Onboarding.objects.exists()
    assert Notification.objects.get().kind == "application_outcome"


def test_decline_offer_of_someone_else_is_refused(pwle):
    application = application_in(ApplicationStatus.OFFERED)

    with pytest.raises(ValidationError):
        decline_offer(application, by=pwle)

    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.OFFERED


# Two people applying at the same moment -----------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_people_applying_at_once_get_different_numbers(monkeypatch):
    """The first holds its transaction open after choosing its number; the second must wait for
    it (the opportunity's row is locked) and take the next number, rather than choosing the same
    one and failing. Needs a database that locks rows (PostgreSQL, as in CI)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no race to test")
    opportunity = OpportunityFactory()
    first, second = make_user(roles=[Role.PWLE]), make_user(roles=[Role.PWLE])
    first_has_its_number = threading.Event()
    full_clean = Application.full_clean

    def slow_for_the_first(self, *args, **kwargs):
        full_clean(self, *args, **kwargs)
        if self.person_id == first.person_id and self.pk is None:
            first_has_its_number.set()
            time.sleep(0.5)  # the second starts meanwhile

    monkeypatch.setattr(Application, "full_clean", slow_for_the_first)
    errors: list[Exception] = []

    def apply(user):
        try:
            start_application(opportunity, by=user)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=apply, args=(first,))]
    threads[0].start()
    first_has_its_number.wait(timeout=5)
    threads.append(threading.Thread(target=apply, args=(second,)))
    threads[1].start()
    for thread in threads:
        thread.join(timeout=10)

    assert errors == []
    numbers = dict(Application.objects.values_list("person_id", "number"))
    assert numbers == {first.person_id: 1, second.person_id: 2}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_send_that_waits_for_the_lock_past_the_closing_time_is_refused():
    """Whether it is still open is checked once the rows are locked: a send that had to wait
    (staff, or the person on another device, acting on the application) until after the closing
    time is refused, not sent late. Needs a database that locks rows (PostgreSQL, as in CI)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time: there is no race to test")
    pwle = make_user(roles=[Role.PWLE])
    application = start_application(
        OpportunityFactory(closes_at=timezone.now() + timedelta(seconds=2)), by=pwle
    )
    save_application(application, by=pwle, **ANSWERS)
    holding = threading.Event()

    def hold_the_application_past_the_closing_time():
        try:
            with transaction.atomic():
                Application.objects.select_for_update().get(pk=application.pk)
                holding.set()
                time.sleep(3)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_application_past_the_closing_time)
    holder.start()
    holding.wait(timeout=5)
    with pytest.raises(ValidationError) as refused:
        submit_application(application, by=pwle)
    holder.join(timeout=10)

    assert refused.value.messages == [closed_message()]
    assert Application.objects.get(pk=application.pk).status == ApplicationStatus.DRAFT
