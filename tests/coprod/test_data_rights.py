"""A person's rights over their data: download everything held about them, stop taking part,
and have it all deleted — in the core and in every app that registered personal data."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from auditlog.models import LogEntry
from django.apps import apps
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.utils import timezone
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm

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
from coprod.services.notifications import (
    deliver_notification,
    queue_account_email,
    queue_notification,
)
from coprod.services.people import save_person_record, update_profile
from coprod.services.rights import erase_person, request_erasure
from coprod.services.roles import grant_role
from coprod.sessions import SessionStore
from tests.factories import InvitationFactory
from tests.factories.core import (
    TEST_PASSWORD,
    make_person,
    make_reachable_person,
    make_staff,
    make_user,
    sign_in,
)
from tests.matrix import OWN_APPS

pytestmark = pytest.mark.django_db


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
    AdminLogEntry.objects.log_actions(staff.pk, [user], CHANGE, change_message="[]")
    # An account email to an address that is theirs but no login's: found by address.
    queue_account_email(
        email=person.contact_email, kind="password_reset_key", subject="s", body=f"{word} body"
    )
    sign_in(client, user.email, TEST_PASSWORD)
    client.get("/portal/my-information/")
    for fill in app_canary_fillers().values():
        fill(user, word)
    return user


def app_canary_fillers() -> dict[str, Any]:
    """Each area app's `tests/<app>/personal_data.py` `fill(user, word)`: puts `word` in every
    personal field the app holds about the person, through the app's own services."""
    fillers = {}
    for label in doors.personal_data():
        if label == "coprod":
            continue
        module = f"tests.{label}.personal_data"
        if importlib.util.find_spec(f"tests.{label}") and importlib.util.find_spec(module):
            fillers[label] = importlib.import_module(module).fill
    return fillers


def test_every_app_that_holds_personal_data_fills_the_canary():
    missing = sorted(set(doors.personal_data()) - {"coprod"} - set(app_canary_fillers()))

    assert missing == [], "add tests/<app>/personal_data.py with fill(user, word)"


def make_support_worker_with_a_relayed_message(word: str) -> User:
    """A practitioner who relays a message to someone they support: the message went to their
    address (`sent_to`), which is theirs."""
    staff = make_staff(StaffGroup.ENGAGEMENT)
    worker = make_user(roles=[Role.PRACTITIONER], email=f"{word}.worker@example.org")
    Person.objects.filter(pk=worker.person_id).update(chosen_name=f"{word} worker")
    supported = make_reachable_person(email="")
    update_safe_contact(
        supported,
        by=staff,
        confirm=True,
        channels=[ContactChannel.SUPPORT_WORKER],
        support_worker=worker.person,
    )
    relayed = queue_notification(supported, kind="test_message", key="relayed")
    assert deliver_notification(relayed.pk) == NotificationStatus.SENT
    return worker


def make_staff_member_with_everything(word: str) -> User:
    """A member of staff: groups, an authenticator, a per-object grant, admin history."""
    staff = make_staff(StaffGroup.ENGAGEMENT, email=f"{word}.staff@example.org")
    Person.objects.filter(pk=staff.person_id).update(chosen_name=f"{word} staff")
    assign_perm("coprod.view_invitation", staff, InvitationFactory())
    AdminLogEntry.objects.log_actions(staff.pk, [staff], CHANGE, change_message="[]")
    return staff


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
    if table == "coprod_loginsession":
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
    assert {"coprod_person", "coprod_user", "coprod_notification", "coprod_loginsession"} <= set(
        before
    )
    assert tables_holding(CANARY) == {}
    # What is kept about them (listed and justified in coprod.contributions): the anonymised
    # Person and User rows, the ErasureRequest, and audit rows — none holding the canary.
    assert Person.objects.filter(pk=erased.person_id, erased_at__isnull=False).exists()
    # Nobody else's data was touched.
    assert tables_holding(OTHER) == bystander_before


@pytest.mark.parametrize(
    "make_someone",
    [make_support_worker_with_a_relayed_message, make_staff_member_with_everything],
    ids=["support-worker", "staff-member"],
)
def test_erasure_of_a_support_worker_or_a_staff_member_leaves_nothing(make_someone):
    someone = make_someone(CANARY)
    before = tables_holding(CANARY)

    erase_person(
        request_erasure(someone.person, by=someone),
        by=make_staff(StaffGroup.ENGAGEMENT),
        reason="Asked.",
    )

    assert before != {}
    assert tables_holding(CANARY) == {}


def test_erasure_resets_every_field_that_cannot_hold_the_canary():
    staff = make_staff_member_with_everything(CANARY)
    staff.is_superuser = True
    staff.save()
    Person.objects.filter(pk=staff.person_id).update(needs_interpreter=True)
    User.objects.filter(pk=staff.pk).update(last_login=timezone.now())

    erase_person(
        request_erasure(staff.person, by=staff),
        by=make_staff(StaffGroup.ENGAGEMENT),
        reason="Asked.",
    )

    login = User.objects.get(pk=staff.pk)
    person = Person.objects.get(pk=staff.person_id)
    assert (login.is_active, login.is_staff, login.is_superuser, login.last_login) == (
        False,
        False,
        False,
        None,
    )
    assert (login.groups.count(), login.user_permissions.count()) == (0, 0)
    assert Authenticator.objects.filter(user=login).exists() is False
    assert UserObjectPermission.objects.filter(user=login).exists() is False
    assert (person.needs_interpreter, person.status) == (False, PersonStatus.WITHDRAWN)


def test_erasure_needs_a_reason_and_another_pair_of_hands(client):
    member = make_user(roles=[Role.PWLE])
    staff, colleague = make_staff(StaffGroup.ENGAGEMENT), make_staff(StaffGroup.ENGAGEMENT)
    recorded_by_staff = request_erasure(member.person, by=staff)
    own = request_erasure(colleague.person, by=colleague)

    with pytest.raises(ValidationError, match="Say why"):
        erase_person(recorded_by_staff, by=colleague, reason="  ")
    with pytest.raises(ValidationError, match="another member of the team"):
        erase_person(recorded_by_staff, by=staff, reason="Asked by phone.")
    with pytest.raises(ValidationError, match="their own information"):
        erase_person(own, by=colleague, reason="Leaving.")
    client.force_login(staff)
    page = client.get(f"/staff/erasure/{recorded_by_staff.pk}/").content.decode()
    refused = client.post(
        f"/staff/erasure/{recorded_by_staff.pk}/", {"reason": "Asked.", "confirm": "on"}
    )

    assert "another member of the team must carry it out" in page
    assert refused.status_code == 403
    assert ErasureRequest.objects.filter(status=ErasureStatus.PENDING).count() == 2
    erase_person(recorded_by_staff, by=colleague, reason="Asked by phone.")
    assert Person.objects.get(pk=member.person_id).erased_at is not None


def test_erasure_changes_are_in_the_audit_trail():
    member = make_user(roles=[Role.PWLE])
    staff = make_staff(StaffGroup.ENGAGEMENT)
    request = request_erasure(member.person, by=member)

    erase_person(request, by=staff, reason="Asked in the portal.")

    changes = LogEntry.objects.filter(
        content_type__model="erasurerequest", object_id=request.pk
    ).order_by("timestamp")
    assert [(entry.action, entry.actor) for entry in changes] == [
        (LogEntry.Action.CREATE, member),
        (LogEntry.Action.UPDATE, staff),
    ]
    assert changes.last().changes["reason"] == ["[redacted]", "[redacted]"]


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


def test_an_account_email_to_a_second_address_of_a_login_belongs_to_its_person():
    user = make_user(roles=[Role.PWLE])
    EmailAddress.objects.create(user=user, email="second@example.org", verified=True)

    message = queue_account_email(
        email="Second@Example.org", kind="password_reset_key", subject="s", body="b"
    )

    assert message.person_id == user.person_id
