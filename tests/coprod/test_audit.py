"""The audit trail: changes recorded by django-auditlog with no personal data (values redacted
whole, neutral object names, no actor email), with the actor: the user in a request, the `by` of a
service, the process for a task; views of restricted data recorded by name."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from celery import shared_task
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import RequestFactory

from coprod import tasks  # noqa: F401  (registers the core's tasks)
from coprod.audit import (
    REDACTED,
    AuditActorMiddleware,
    SystemActor,
    SystemTask,
    acting,
    log_restricted_view,
)
from coprod.celery import app
from coprod.enums import ConsentPurpose, PersonStatus, Role, StaffGroup
from coprod.models import ConsentRecord, Person, RoleGrant, SafeContactPreferences, User
from coprod.services.contact import update_safe_contact
from coprod.services.people import (
    create_person,
    save_person_record,
    set_involvement_status,
    update_profile,
)
from coprod.services.roles import grant_role
from tests.factories.core import (
    InvitationFactory,
    make_person,
    make_staff,
    make_superuser,
    make_user,
)

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("pk")


def everything_logged() -> str:
    return " ".join(
        str(row)
        for row in LogEntry.objects.values_list(
            "changes",
            "changes_text",
            "object_repr",
            "serialized_data",
            "additional_data",
            "actor_email",
        )
    )


def test_legal_name_change_is_recorded_fully_redacted():
    person = make_person(legal_name="Legal Name Alpha")
    staff = make_staff(StaffGroup.FINANCE)
    person.legal_name = "Legal Name Zeta"

    save_person_record(person, by=staff)

    entry = entries_for(person).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes == {"legal_name": [REDACTED, REDACTED]}
    assert "Zeta" not in everything_logged()
    assert "Alpha" not in everything_logged()


def test_contact_details_and_safety_notes_are_recorded_redacted():
    person = make_person(phone="07700 900123")
    prefs = SafeContactPreferences.objects.get(person=person)
    person.phone = "07700 900999"
    prefs.safety_notes = "Do not call on Sundays Zeta"

    person.save()
    prefs.save()

    assert entries_for(person).last().changes == {"phone": [REDACTED, REDACTED]}
    assert entries_for(prefs).last().changes == {"safety_notes": [REDACTED, REDACTED]}
    assert "900" not in everything_logged()
    assert "Zeta" not in everything_logged()


def test_invitation_email_is_recorded_redacted():
    invitation = InvitationFactory(email="secret.invitee@example.org")

    assert entries_for(invitation).get().changes["email"] == [REDACTED, REDACTED]
    assert "secret.invitee" not in everything_logged()
    assert invitation.token_hash not in everything_logged()


def test_role_grant_in_a_request_is_recorded_with_the_actor(client):
    person = make_person(roles=[Role.PWLE])
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    client.post(
        "/admin/coprod/person/",
        {"action": "make_lived_experience_expert", "_selected_action": [person.pk]},
    )

    grant = RoleGrant.objects.get(person=person, role=Role.LEE)
    entry = entries_for(grant).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, staff)
    assert entry.changes["role"] == ["None", Role.LEE]


def test_consent_given_and_withdrawn_in_the_portal_is_recorded_with_the_actor(client):
    user = make_user(roles=[Role.PWLE])
    client.force_login(user)

    client.post("/portal/consents/contact/", {"answer": "yes"})
    client.post("/portal/consents/contact/", {"answer": "no"})

    record = ConsentRecord.objects.get(person=user.person, purpose=ConsentPurpose.CONTACT)
    given, withdrawn = entries_for(record)
    assert (given.action, given.actor) == (LogEntry.Action.CREATE, user)
    assert (withdrawn.action, withdrawn.actor) == (LogEntry.Action.UPDATE, user)
    assert list(withdrawn.changes) == ["withdrawn_at"]


def test_group_change_in_the_admin_is_recorded_with_the_actor(client):
    admin = make_superuser()
    member = make_staff(StaffGroup.FUNDING)
    client.force_login(admin)
    finance = Group.objects.get(name=StaffGroup.FINANCE)

    response = client.post(
        f"/admin/coprod/user/{member.pk}/change/",
        {"email": member.email, "is_active": "on", "is_staff": "on", "groups": [finance.pk]},
    )

    changes = [entry.changes["groups"] for entry in entries_for(member).filter(actor=admin)]
    assert response.status_code == 302
    assert list(User.objects.get(pk=member.pk).groups.values_list("name", flat=True)) == [
        StaffGroup.FINANCE
    ]
    assert changes == [
        {"type": "m2m", "operation": "delete", "objects": [StaffGroup.FUNDING]},
        {"type": "m2m", "operation": "add", "objects": [StaffGroup.FINANCE]},
    ]


def test_login_email_is_recorded_redacted():
    user = make_user(email="survivor.login@example.org")

    user.email = "changed.login@example.org"
    user.save()

    assert entries_for(user).last().changes == {"email": [REDACTED, REDACTED]}
    assert "login@example.org" not in everything_logged()


def test_log_restricted_view_records_access_with_actor_and_field_names():
    person = make_person(legal_name="Legal Name Zeta")
    staff = make_staff(StaffGroup.FINANCE)

    entry = log_restricted_view(
        person, actor=staff, fields=["phone", "legal_name"], context="export"
    )

    entry = LogEntry.objects.get(pk=entry.pk)
    assert (entry.action, entry.actor, entry.object_pk) == (
        LogEntry.Action.ACCESS,
        staff,
        str(person.pk),
    )
    assert entry.additional_data == {"fields": ["legal_name", "phone"], "context": "export"}
    assert "Zeta" not in everything_logged()


SAFE_CONTACT_FIELDS = {
    "channels",
    "safe_times",
    "voicemail_ok",
    "message_detail",
    "person_initiates_only",
    "support_worker",
    "safety_notes",
    "confirmed_at",
    "reconfirm_by",
}


def test_every_safe_contact_preference_is_recorded_redacted():
    user = make_user(roles=[Role.PWLE])
    worker = make_person(roles=[Role.PRACTITIONER])

    prefs = update_safe_contact(
        user.person,
        by=user,
        confirm=True,
        channels=["sms", "support_worker"],
        safe_times=["evening"],
        voicemail_ok=True,
        message_detail="full",
        person_initiates_only=True,
        support_worker=worker,
        safety_notes="Partner reads my post Zeta",
    )

    changes = entries_for(prefs).last().changes
    assert changes == {field: [REDACTED, REDACTED] for field in SAFE_CONTACT_FIELDS}
    assert [word for word in ["sms", "evening", "Zeta"] if word in everything_logged()] == []


def test_names_pronouns_and_language_are_recorded_redacted():
    user = make_user(roles=[Role.PWLE])
    person = user.person

    update_profile(
        person, by=user, chosen_name="Zeta", pronouns="xe/xem", preferred_language="Tigrinya"
    )

    assert entries_for(person).last().changes == {
        field: [REDACTED, REDACTED] for field in ["chosen_name", "pronouns", "preferred_language"]
    }
    logged = everything_logged()
    assert [word for word in ["Zeta", "xe/xem", "Tigrinya"] if word in logged] == []
    assert person.generated_name not in logged


def test_role_grant_note_is_recorded_redacted():
    person = make_person()

    grant = grant_role(person, Role.PWLE, by=make_staff(), note="Met at the Zeta refuge")

    assert entries_for(grant).get().changes["note"] == [REDACTED, REDACTED]
    assert "Zeta" not in everything_logged()


def test_every_audit_row_names_its_object_by_model_and_id_only(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)
    person = make_person(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT], chosen_name="Zeta")
    user = make_user(email="zeta.login@example.org")
    InvitationFactory(person=person)
    client.post(
        "/admin/coprod/person/",
        {"action": "make_lived_experience_expert", "_selected_action": [person.pk]},
    )
    log_restricted_view(person, actor=staff, fields=["phone"], context="export")

    entries = list(LogEntry.objects.select_related("content_type"))

    models = {entry.content_type.model for entry in entries}
    assert models >= {
        "person",
        "user",
        "rolegrant",
        "consentrecord",
        "safecontactpreferences",
        "invitation",
    }
    assert [entry.object_repr for entry in entries] == [
        f"{entry.content_type.model} #{entry.object_pk}" for entry in entries
    ]
    assert [
        name for name in ["Zeta", user.person.display_name] if name in everything_logged()
    ] == []


def test_actor_email_is_never_stored(client):
    admin = make_superuser(email="admin.member@example.org")
    member = make_staff(StaffGroup.FUNDING)
    client.force_login(admin)

    # Saved by the admin itself, not through a service: the request's actor applies.
    client.post(
        f"/admin/coprod/user/{member.pk}/change/",
        {"email": member.email, "is_active": "on", "is_staff": "on", "groups": []},
    )

    entry = entries_for(member).last()
    assert (entry.actor, entry.actor_email) == (admin, None)
    assert "admin.member" not in everything_logged()


@shared_task(bind=True, base=SystemTask, name="tests.coprod.pause_person")
def pause_person(self, *, person_id: int) -> None:
    set_involvement_status(Person.objects.get(pk=person_id), PersonStatus.PAUSED, by=self.actor)


@shared_task(base=SystemTask, name="tests.coprod.add_person")
def add_person() -> int:
    return create_person().pk


def test_task_changing_a_status_records_the_process_and_no_user():
    person = make_person()

    pause_person.delay(person_id=person.pk)

    entry = entries_for(person).last()
    assert (entry.action, sorted(entry.changes)) == (
        LogEntry.Action.UPDATE,
        ["status", "status_changed_at"],
    )
    assert (entry.actor, entry.cid) == (None, "task:tests.coprod.pause_person")


def test_task_records_the_process_for_services_that_take_no_by():
    person_pk = add_person.delay().get()

    entry = entries_for(Person.objects.get(pk=person_pk)).get()
    assert (entry.action, entry.actor, entry.cid) == (
        LogEntry.Action.CREATE,
        None,
        "task:tests.coprod.add_person",
    )


@pytest.mark.parametrize(
    "name",
    [
        "coprod.core.deliver_notification",
        "coprod.core.dispatch_due_notifications",
        "coprod.core.delete_stale_drafts",
    ],
)
def test_core_tasks_act_as_their_process(name):
    task = app.tasks[name]

    assert isinstance(task, SystemTask)
    assert task.actor == SystemActor(f"task:{name}")


def test_service_in_a_request_records_its_by_and_then_the_request_user_again():
    person = make_person()
    signed_in, other = make_staff(StaffGroup.ENGAGEMENT), make_staff(StaffGroup.ENGAGEMENT)
    request = RequestFactory().post("/")
    request.user = signed_in

    def view(request):
        set_involvement_status(person, PersonStatus.PAUSED, by=other)
        person.pronouns = "they"
        person.save()
        return HttpResponse()

    AuditActorMiddleware(view)(request)

    paused, renamed = entries_for(person).filter(action=LogEntry.Action.UPDATE)
    assert (paused.actor, sorted(paused.changes)) == (other, ["status", "status_changed_at"])
    assert (renamed.actor, list(renamed.changes)) == (signed_in, ["pronouns"])


def test_nested_acting_restores_the_outer_actor():
    person = make_person()
    staff = make_staff()

    with acting(staff):
        with acting(SystemActor("task:inner")):
            person.pronouns = "she"
            person.save()
        person.pronouns = "they"
        person.save()
    person.pronouns = "he"
    person.save()

    updates = entries_for(person).filter(action=LogEntry.Action.UPDATE)
    assert [(entry.actor, entry.cid) for entry in updates] == [
        (None, "task:inner"),
        (staff, None),
        (None, None),
    ]


def test_service_refuses_to_run_without_an_actor():
    person = make_person()

    with pytest.raises(TypeError, match="by= must be"):
        set_involvement_status(person, PersonStatus.PAUSED, by=None)

    assert Person.objects.get(pk=person.pk).status == PersonStatus.ACTIVE
