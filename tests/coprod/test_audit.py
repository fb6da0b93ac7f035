"""The audit trail: changes recorded by django-auditlog (restricted values redacted whole), with
the actor when they happen in a request; views of restricted data recorded by name."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group

from coprod.audit import REDACTED, log_restricted_view
from coprod.enums import ConsentPurpose, Role, StaffGroup
from coprod.models import ConsentRecord, RoleGrant, SafeContactPreferences, User
from coprod.services.people import save_person_record
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
            "changes", "changes_text", "object_repr", "serialized_data", "additional_data"
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
