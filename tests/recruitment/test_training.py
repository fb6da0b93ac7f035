"""Training: staff record a person's completion of a module (once, not in the future), from the
admin and from an opportunity's "Who is ready" page, which shows who has done what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from coprod.enums import StaffGroup
from coprod.models import london_today
from recruitment.enums import ApplicationStatus
from recruitment.models import TrainingCompletion
from recruitment.selectors.selection import who_is_ready
from recruitment.services import record_training_completion
from tests.factories.core import PersonFactory, make_staff
from tests.factories.recruitment import (
    OpportunityFactory,
    SentApplicationFactory,
    TrainingModuleFactory,
)
from tests.queries import assert_queries_do_not_grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_staff(StaffGroup.ENGAGEMENT)


def test_completion_is_recorded_with_who_recorded_it_and_audited(staff):
    person, module = PersonFactory(), TrainingModuleFactory(name="Induction")

    completion = record_training_completion(person, module, by=staff, completed_on=date(2026, 3, 2))

    entry = LogEntry.objects.get_for_object(completion).get()
    assert TrainingCompletion.objects.values_list(
        "person", "module", "completed_on", "recorded_by"
    ).get() == (person.pk, module.pk, date(2026, 3, 2), staff.pk)
    assert entry.actor == staff


def test_a_module_is_recorded_once_per_person(staff):
    person, module = PersonFactory(), TrainingModuleFactory(name="Induction")
    record_training_completion(person, module, by=staff, completed_on=date(2026, 3, 2))

    with pytest.raises(ValidationError, match="already completed “Induction”"):
        record_training_completion(person, module, by=staff, completed_on=date(2026, 3, 9))

    assert TrainingCompletion.objects.get().completed_on == date(2026, 3, 2)


def test_a_completion_date_in_the_future_is_refused(staff):
    tomorrow = london_today() + timedelta(days=1)

    with pytest.raises(ValidationError, match="cannot be in the future"):
        record_training_completion(
            PersonFactory(), TrainingModuleFactory(), by=staff, completed_on=tomorrow
        )

    assert TrainingCompletion.objects.count() == 0


@pytest.mark.parametrize("group", [StaffGroup.FINANCE, StaffGroup.FUNDING])
def test_only_the_engagement_team_records_training(group):
    with pytest.raises(ValidationError, match="Only the engagement team"):
        record_training_completion(
            PersonFactory(),
            TrainingModuleFactory(),
            by=make_staff(group),
            completed_on=london_today(),
        )

    assert TrainingCompletion.objects.count() == 0


def test_admin_add_goes_through_the_service(client, staff):
    person, module = PersonFactory(), TrainingModuleFactory()
    client.force_login(staff)

    response = client.post(
        "/admin/recruitment/trainingcompletion/add/",
        {"person": person.pk, "module": module.pk, "completed_on": "2026-03-02"},
    )

    assert response.status_code == 302
    assert TrainingCompletion.objects.values_list("person", "recorded_by").get() == (
        person.pk,
        staff.pk,
    )


def test_admin_refuses_a_future_date_with_a_message(client, staff):
    client.force_login(staff)
    tomorrow = london_today() + timedelta(days=1)

    response = client.post(
        "/admin/recruitment/trainingcompletion/add/",
        {
            "person": PersonFactory().pk,
            "module": TrainingModuleFactory().pk,
            "completed_on": tomorrow.isoformat(),
        },
    )

    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert TrainingCompletion.objects.count() == 0


# Who is ready --------------------------------------------------------------------------------


def test_who_is_ready_lists_people_on_their_way_with_the_modules_they_did(staff):
    opportunity = OpportunityFactory(blind_shortlisting=False)
    induction, reviewing = (
        TrainingModuleFactory(name="Induction"),
        TrainingModuleFactory(name="Reviewing"),
    )
    TrainingModuleFactory(name="Not required")
    opportunity.required_modules.add(induction, reviewing)
    ready = SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.ACCEPTED)
    halfway = SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.SHORTLISTED)
    SentApplicationFactory(opportunity=opportunity)  # only sent: not listed
    SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.UNSUCCESSFUL)
    for module in (induction, reviewing):
        record_training_completion(ready.person, module, by=staff, completed_on=date(2026, 1, 5))
    record_training_completion(halfway.person, induction, by=staff, completed_on=date(2026, 2, 1))

    modules, rows = who_is_ready(opportunity)

    assert [module.name for module in modules] == ["Induction", "Reviewing"]
    assert [
        (row.label, row.ready, [item.completed_on for item in row.modules]) for row in rows
    ] == [
        (ready.person.display_name, True, [date(2026, 1, 5), date(2026, 1, 5)]),
        (halfway.person.display_name, False, [date(2026, 2, 1), None]),
    ]


def test_who_is_ready_shows_no_names_while_the_shortlist_is_blind():
    opportunity = OpportunityFactory()
    application = SentApplicationFactory(
        opportunity=opportunity, status=ApplicationStatus.SHORTLISTED
    )

    _modules, rows = who_is_ready(opportunity)

    assert [row.label for row in rows] == [f"Applicant {application.number}"]


def test_recording_training_on_the_ready_page(client, staff):
    opportunity = OpportunityFactory()
    module = TrainingModuleFactory(name="Induction")
    opportunity.required_modules.add(module)
    application = SentApplicationFactory(
        opportunity=opportunity, status=ApplicationStatus.SHORTLISTED
    )
    client.force_login(staff)

    response = client.post(
        f"/staff/recruitment/opportunities/{opportunity.pk}/ready/record/",
        {"application": application.pk, "module": module.pk, "completed_on": "2026-02-01"},
        follow=True,
    )

    assert TrainingCompletion.objects.values_list("person", "completed_on").get() == (
        application.person_id,
        date(2026, 2, 1),
    )
    assert "Recorded: Applicant 1 completed “Induction”." in response.content.decode()


def test_recording_training_on_the_ready_page_refuses_someone_not_listed(client, staff):
    opportunity = OpportunityFactory()
    module = TrainingModuleFactory()
    opportunity.required_modules.add(module)
    SentApplicationFactory(opportunity=opportunity, status=ApplicationStatus.SHORTLISTED)
    elsewhere = SentApplicationFactory(status=ApplicationStatus.SHORTLISTED)
    client.force_login(staff)

    response = client.post(
        f"/staff/recruitment/opportunities/{opportunity.pk}/ready/record/",
        {"application": elsewhere.pk, "module": module.pk, "completed_on": "2026-02-01"},
    )

    assert response.status_code == 400
    assert TrainingCompletion.objects.count() == 0


def test_ready_page_queries_do_not_grow_with_people(client, staff):
    opportunity = OpportunityFactory(blind_shortlisting=False)
    modules = [TrainingModuleFactory(), TrainingModuleFactory()]
    opportunity.required_modules.add(*modules)
    client.force_login(staff)

    def add_row():
        application = SentApplicationFactory(
            opportunity=opportunity, status=ApplicationStatus.ACCEPTED
        )
        record_training_completion(
            application.person, modules[0], by=staff, completed_on=date(2026, 1, 1)
        )

    assert_queries_do_not_grow(
        client, f"/staff/recruitment/opportunities/{opportunity.pk}/ready/", add_row
    )
