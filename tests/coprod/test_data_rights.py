"""A person's rights over their data: download everything held about them, stop taking part,
and have it all deleted — in the core and in every app that registered personal data."""

from __future__ import annotations

import contextlib
import json
import re
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import ValidationError
from django.db import connection, models

from coprod import crypto, doors
from coprod.enums import (
    ConsentPurpose,
    ContactChannel,
    ErasureStatus,
    NotificationStatus,
    PersonStatus,
    Role,
    StaffGroup,
)
from coprod.models import ErasureRequest, Notification, Person, SafeContactPreferences, User
from coprod.services.consent import give_consent
from coprod.services.contact import update_safe_contact
from coprod.services.drafts import save_draft
from coprod.services.invitations import accept_invitation, create_invitation
from coprod.services.notifications import queue_notification
from coprod.services.people import save_person_record, update_profile
from coprod.services.rights import erase_person, request_erasure
from coprod.services.roles import grant_role
from tests.factories.core import (
    TEST_PASSWORD,
    make_person,
    make_reachable_person,
    make_staff,
    make_user,
    sign_in,
)

pytestmark = pytest.mark.django_db

OWN_APPS = ("coprod", "partnerships", "recruitment", "funding")


# Download ------------------------------------------------------------------------------------


def test_download_gives_a_person_everything_including_restricted_fields(client):
    member = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
    Person.objects.filter(pk=member.person_id).update(
        legal_name="Legal Name Here", access_needs="Step-free access"
    )
    update_safe_contact(member.person, by=member, confirm=True, safety_notes="Use the back door")
    queue_notification(member.person, kind="test_message", key="mine")
    someone_else = make_reachable_person(email="other@example.org")
    queue_notification(someone_else, kind="test_message", key="theirs")
    client.force_login(member)

    response = client.get("/portal/my-information/download/")

    data = json.loads(response.content)
    core = data["coprod"]
    assert response["Content-Disposition"] == 'attachment; filename="my-information.json"'
    assert core["about_you"]["legal_name"] == "Legal Name Here"
    assert core["about_you"]["access_and_support_needs"] == "Step-free access"
    assert core["how_we_contact_you"]["safety_notes"] == "Use the back door"
    assert core["sign_in"]["email"] == member.email
    assert [consent["purpose"] for consent in core["what_you_agreed_to"]] == ["Being contacted"]
    assert [message["kind"] for message in core["messages"]] == ["test_message"]
    assert "other@example.org" not in response.content.decode()


def test_download_is_audited_and_logged_without_personal_data(client, caplog):
    member = make_user(roles=[Role.PWLE])
    client.force_login(member)

    client.get("/portal/my-information/")

    entry = LogEntry.objects.get(action=LogEntry.Action.ACCESS)
    events = [r.getMessage() for r in caplog.records if "event=data_download" in r.getMessage()]
    assert (entry.actor, entry.object_id, entry.additional_data["context"]) == (
        member,
        member.person_id,
        "data download",
    )
    assert events == [
        f"security event=data_download outcome=ok user={member.pk} person={member.person_id}"
    ]


def test_download_includes_every_app_that_registered_personal_data(client):
    member = make_user(roles=[Role.LEE])
    stand_in = doors.AppDoors(
        personal_data=doors.PersonalData(
            models=(),
            export=lambda person: {"panels": [{"panel": "Call 7", "person": person.pk}]},
            erase=lambda person, *, by: None,
        )
    )
    client.force_login(member)

    with doors.contributing("standin", stand_in):
        data = json.loads(client.get("/portal/my-information/download/").content)
        page = client.get("/portal/my-information/").content.decode()

    assert data["standin"] == {"panels": [{"panel": "Call 7", "person": member.person_id}]}
    assert "Call 7" in page


def test_information_page_shows_the_persons_details_to_print(client):
    member = make_user(roles=[Role.PWLE])
    update_profile(member.person, by=member, pronouns="they/them")
    client.force_login(member)

    html = client.get("/portal/my-information/").content.decode()

    assert "they/them" in html
    assert "About you" in html
    assert "What you agreed to" in html


# Stopping and asking for erasure ----------------------------------------------------------------


def test_stopping_without_erasure_withdraws_and_holds_messages(client):
    member = make_user(roles=[Role.PWLE], consents=[ConsentPurpose.CONTACT])
    client.force_login(member)

    chose = client.post("/portal/leave/", {"choice": "withdraw"})
    confirmed = client.post("/portal/leave/confirm/", {"choice": "withdraw", "confirm": "yes"})
    queue_notification(Person.objects.get(pk=member.person_id), kind="test_message", key="k")

    assert chose["Location"] == "/portal/leave/confirm/?choice=withdraw"
    assert confirmed["Location"] == "/portal/"
    assert Person.objects.get(pk=member.person_id).status == PersonStatus.WITHDRAWN
    assert Notification.objects.get(idempotency_key="k").status == NotificationStatus.HELD
    assert ErasureRequest.objects.exists() is False


def test_asking_for_erasure_records_the_request_and_stops_involvement(client):
    member = make_user(roles=[Role.PWLE])
    client.force_login(member)

    client.post("/portal/leave/", {"choice": "erase"})
    client.post("/portal/leave/confirm/", {"choice": "erase", "confirm": "yes"})
    page = client.get("/portal/leave/").content.decode()

    request = ErasureRequest.objects.get()
    assert (request.person_id, request.status, request.requested_by) == (
        member.person_id,
        ErasureStatus.PENDING,
        member,
    )
    assert Person.objects.get(pk=member.person_id).status == PersonStatus.WITHDRAWN
    assert "Cancel my request" in page


@pytest.mark.parametrize(
    ("url", "data", "field", "error"),
    [
        ("/portal/leave/", {}, "choice", "Select what you would like to do"),
        (
            "/portal/leave/confirm/",
            {"choice": "erase"},
            "confirm",
            "Select yes if you are sure",
        ),
    ],
    ids=["no-choice", "not-confirmed"],
)
def test_leaving_with_an_unanswered_question_says_why_and_changes_nothing(
    client, url, data, field, error
):
    member = make_user(roles=[Role.PWLE])
    client.force_login(member)

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [error]}
    assert error in response.content.decode()
    assert Person.objects.get(pk=member.person_id).status == PersonStatus.ACTIVE
    assert ErasureRequest.objects.exists() is False


def test_answering_no_to_are_you_sure_changes_nothing(client):
    member = make_user(roles=[Role.PWLE])
    client.force_login(member)

    response = client.post("/portal/leave/confirm/", {"choice": "erase", "confirm": "no"})

    assert response["Location"] == "/portal/"
    assert Person.objects.get(pk=member.person_id).status == PersonStatus.ACTIVE
    assert ErasureRequest.objects.exists() is False


def test_a_person_can_cancel_their_pending_request_but_not_anyone_elses(client):
    member = make_user(roles=[Role.PWLE])
    mine = request_erasure(member.person, by=member)
    other = make_user(roles=[Role.PWLE])
    theirs = request_erasure(other.person, by=other)
    client.force_login(member)

    client.post("/portal/leave/cancel/")

    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.status, mine.decided_by) == (ErasureStatus.CANCELLED, member)
    assert theirs.status == ErasureStatus.PENDING


def test_asking_twice_keeps_one_pending_request():
    member = make_user(roles=[Role.PWLE])

    first = request_erasure(member.person, by=member)
    second = request_erasure(member.person, by=member)

    assert first == second
    assert ErasureRequest.objects.count() == 1


# Staff carry it out --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"reason": "", "confirm": "on"},
            {"reason": ["Say why you are deleting this information"]},
        ),
        (
            {"reason": "Asked in the portal."},
            {"confirm": ["Confirm that you understand this cannot be undone"]},
        ),
    ],
    ids=["no-reason", "not-confirmed"],
)
def test_erasure_without_reason_or_confirmation_is_refused_and_changes_nothing(
    client, data, errors
):
    member = make_user(roles=[Role.PWLE])
    request = request_erasure(member.person, by=member)
    client.force_login(make_staff(StaffGroup.ENGAGEMENT))

    response = client.post(f"/staff/erasure/{request.pk}/", data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    request.refresh_from_db()
    assert request.status == ErasureStatus.PENDING
    assert Person.objects.get(pk=member.person_id).chosen_name == member.person.chosen_name


def test_erasure_carried_out_by_staff_leaves_an_anonymous_record(client, caplog):
    member = make_user(roles=[Role.PWLE])
    request = request_erasure(member.person, by=member)
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)

    response = client.post(
        f"/staff/erasure/{request.pk}/", {"reason": "Asked in the portal.", "confirm": "on"}
    )

    request.refresh_from_db()
    person = Person.objects.get(pk=member.person_id)
    login = User.objects.get(pk=member.pk)
    assert response["Location"] == "/staff/erasure/"
    assert (request.status, request.decided_by, request.reason) == (
        ErasureStatus.CARRIED_OUT,
        staff,
        "Asked in the portal.",
    )
    assert re.fullmatch(r"Erased [0-9a-f]{12}", person.generated_name)
    assert (person.chosen_name, person.erased_at is not None) == ("", True)
    assert (login.is_active, login.has_usable_password()) == (False, False)
    assert login.email.endswith("@erased.invalid")
    assert f"security event=erasure outcome=done user={staff.pk} person={person.pk}" in [
        r.getMessage() for r in caplog.records if r.name == "coprod.security"
    ]


def test_an_erased_person_can_no_longer_sign_in(client):
    member = make_user(roles=[Role.PWLE])
    request = request_erasure(member.person, by=member)
    erase_person(request, by=make_staff(StaffGroup.ENGAGEMENT), reason="Asked.")

    response = sign_in(client, member.email, TEST_PASSWORD)

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_erasure_is_done_once():
    member = make_user(roles=[Role.PWLE])
    staff = make_staff(StaffGroup.ENGAGEMENT)
    request = request_erasure(member.person, by=member)
    erase_person(request, by=staff, reason="Asked.")

    with pytest.raises(ValidationError, match="no longer waiting"):
        erase_person(request, by=staff, reason="Again.")


def test_erasure_removes_a_practitioner_as_anyones_support_worker():
    worker = make_user(roles=[Role.PRACTITIONER])
    supported = make_person(roles=[Role.PWLE])
    staff = make_staff(StaffGroup.ENGAGEMENT)
    update_safe_contact(supported, by=staff, confirm=False, support_worker=worker.person)

    erase_person(request_erasure(worker.person, by=worker), by=staff, reason="Asked.")

    assert SafeContactPreferences.objects.get(person=supported).support_worker is None


def test_a_failing_app_erasure_leaves_everything_as_it_was():
    member = make_user(roles=[Role.PWLE])
    request = request_erasure(member.person, by=member)

    def fail(person, *, by):
        raise RuntimeError("the app could not erase")

    broken = doors.AppDoors(
        personal_data=doors.PersonalData(models=(), export=lambda person: {}, erase=fail)
    )
    with doors.contributing("broken", broken), pytest.raises(RuntimeError):
        erase_person(request, by=make_staff(StaffGroup.ENGAGEMENT), reason="Asked.")

    request.refresh_from_db()
    assert request.status == ErasureStatus.PENDING
    assert Person.objects.get(pk=member.person_id).chosen_name == member.person.chosen_name


# Nothing left behind: the canary ---------------------------------------------------------------

CANARY = "zqcanary7x"
OTHER = "zqbystander4k"


def fill_every_personal_field(client, word: str) -> User:
    """A person with `word` in every personal field, put there through the apps' own services
    (and the portal), as in real use: an invitation, their account, profile, restricted details,
    contact preferences, a role note, consent, a message, a form draft, an admin change, a
    password sign-in (a session), a download."""
    staff = make_staff(StaffGroup.ENGAGEMENT)
    _invitation, link = create_invitation(
        email=f"{word}@example.org",
        role=Role.PWLE,
        by=staff,
        chosen_name=f"{word} name",
        send_email=True,
        base_url="http://testserver/",
    )
    user = accept_invitation(link.rstrip("/").rsplit("/", 1)[-1], password=TEST_PASSWORD)
    person = user.person
    update_profile(
        person,
        by=user,
        chosen_name=f"{word} chosen",
        pronouns=f"{word} pronouns",
        preferred_language=f"{word} language",
        access_needs=f"{word} needs",
    )
    person.legal_name = f"{word} legal"
    person.contact_email = f"{word}.contact@example.org"
    person.phone = f"{word} phone"
    person.postal_address = f"{word} address"
    save_person_record(person, by=staff)
    give_consent(person, ConsentPurpose.CONTACT, by=user)
    update_safe_contact(
        person,
        by=user,
        confirm=True,
        channels=[ContactChannel.EMAIL],
        safety_notes=f"{word} safety",
    )
    grant_role(person, Role.POLICYMAKER, by=staff, note=f"{word} note")
    queue_notification(person, kind="test_message", key=f"{word}-message")
    save_draft(user, path="/portal/profile/", data={"chosen_name": [f"{word} draft"]})
    AdminLogEntry.objects.log_actions(staff.pk, [person], CHANGE, change_message="[]")
    sign_in(client, user.email, TEST_PASSWORD)
    client.get("/portal/my-information/")
    return user


def _texts(value: Any) -> list[str]:
    """Every piece of text in a stored value, with encrypted values decrypted (a Fernet token
    hides the canary from a plain search) and JSON walked."""
    if value is None:
        return []
    if isinstance(value, bytes | memoryview):
        value = bytes(value).decode(errors="replace")
    if isinstance(value, dict):
        return [text for key, item in value.items() for text in [*_texts(key), *_texts(item)]]
    if isinstance(value, list | tuple):
        return [text for item in value for text in _texts(item)]
    text = str(value)
    found = [text]
    for token in re.findall(r"gAAAAA[\w=-]+", text):
        found += _texts(crypto.decrypt(token))
    if text[:1] in "[{":
        with contextlib.suppress(ValueError):
            found += _texts(json.loads(text))
    return found


def _decoded(table: str, row: tuple) -> list[Any]:
    """A row's values; a session's data is signed and compressed, so it is decoded too."""
    if table == "django_session":
        return [*row, SessionStore().decode(row[1])]
    return list(row)


def tables_holding(word: str) -> dict[str, int]:
    """Every table of the database, every column, read raw: how many rows mention `word`."""
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                if any(word in text.lower() for text in _texts(_decoded(table, row))):
                    found[table] = found.get(table, 0) + 1
    return found


def test_erasure_leaves_the_canary_nowhere_in_the_database(client, mailoutbox):
    erased = fill_every_personal_field(client, CANARY)
    fill_every_personal_field(client.__class__(), OTHER)
    before = tables_holding(CANARY)
    bystander_before = tables_holding(OTHER)

    erase_person(
        request_erasure(erased.person, by=erased),
        by=make_staff(StaffGroup.ENGAGEMENT),
        reason="Asked in the portal.",
    )

    # The canary was everywhere before, encrypted or not: the search does see it.
    assert {"coprod_person", "coprod_user", "coprod_notification", "django_session"} <= set(before)
    assert tables_holding(CANARY) == {}
    # What is kept about them (listed and justified in coprod.contributions): the anonymised
    # Person and User rows, the ErasureRequest, and audit rows — none holding the canary.
    assert Person.objects.filter(pk=erased.person_id, erased_at__isnull=False).exists()
    # Nobody else's data was touched.
    assert tables_holding(OTHER) == bystander_before


# One door, nothing forgotten -------------------------------------------------------------------


def models_pointing_at_people() -> set[type[models.Model]]:
    """Every model of our apps with a foreign key (or one-to-one) to a Person or a login."""
    targets = {Person, User}
    return {
        model
        for app in OWN_APPS
        for model in apps.get_app_config(app).get_models()
        if any(
            field.is_relation
            and field.many_to_one | field.one_to_one
            and field.related_model in targets
            for field in model._meta.get_fields()
            if field.concrete
        )
        or model in targets
    }


def unregistered(declared: dict[str, doors.PersonalData]) -> list[str]:
    registered = {model for door in declared.values() for model in door.models}
    return sorted(model._meta.label for model in models_pointing_at_people() - registered)


def test_every_model_that_points_at_a_person_is_registered_for_download_and_erasure():
    assert unregistered(doors.personal_data()) == []


def test_a_model_left_out_of_the_registration_is_found():
    core = doors.personal_data()["coprod"]
    partial = doors.PersonalData(
        models=tuple(model for model in core.models if model is not Notification),
        export=core.export,
        erase=core.erase,
    )

    with doors.contributing("coprod", doors.AppDoors(personal_data=partial)):
        missing = unregistered(doors.personal_data())

    assert missing == ["coprod.Notification"]


def test_an_invitation_email_belongs_to_the_invited_person_before_they_have_a_login():
    staff = make_staff(StaffGroup.ENGAGEMENT)

    invitation, _link = create_invitation(
        email="new.person@example.org",
        role=Role.PWLE,
        by=staff,
        send_email=True,
        base_url="http://testserver/",
    )

    message = Notification.objects.get(kind="invitation")
    assert message.person == invitation.person
    assert [
        m["kind"] for m in doors.personal_data()["coprod"].export(invitation.person)["messages"]
    ] == ["invitation"]


def test_confirmation_email_for_a_new_address_belongs_to_the_person_adding_it(client):
    user = make_user(roles=[Role.PWLE])
    sign_in(client, user.email, TEST_PASSWORD)
    client.post("/accounts/reauthenticate/", {"password": TEST_PASSWORD})

    client.post("/accounts/email/", {"action_add": "", "email": "new.address@example.org"})

    message = Notification.objects.get(kind="email_confirmation")
    assert message.person_id == user.person_id
