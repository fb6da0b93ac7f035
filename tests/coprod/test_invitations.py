"""Invitations: one usable link per person, accepted once, within seven days; only its hash kept."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import connection

from coprod.enums import Role, StaffGroup
from coprod.models import Invitation, Person, RoleGrant, User
from coprod.services.invitations import (
    accept_invitation,
    create_invitation,
    replace_invitation_link,
    revoke_invitation,
)
from tests.factories import make_person, make_staff, make_user

BASE_URL = "https://coprod.example.org/"
START = datetime(2026, 3, 2, 10, tzinfo=UTC)
USED = "This link has expired or has already been used."


@pytest.fixture
def staff():
    return make_staff(StaffGroup.ENGAGEMENT, mfa=False)


def invite(staff, **changes):
    arguments = {
        "email": "new.person@example.org",
        "role": Role.PWLE,
        "by": staff,
        "send_email": False,
        "base_url": BASE_URL,
    }
    return create_invitation(**{**arguments, **changes})


def token_of(link):
    return link.rstrip("/").rsplit("/", 1)[-1]


@pytest.mark.django_db
def test_create_invitation_makes_a_person_with_a_generated_name(staff, mailoutbox, time_machine):
    time_machine.move_to(START, tick=False)

    invitation, link = invite(staff, email="New.Person@Example.ORG")

    assert re.fullmatch(r"Member \d{4}", invitation.person.display_name)
    assert (invitation.email, invitation.status, invitation.role) == (
        "new.person@example.org",
        "pending",
        "pwle",
    )
    assert invitation.expires_at == START + timedelta(days=7)
    assert link == f"https://coprod.example.org/invitations/{token_of(link)}/"
    assert mailoutbox == []


@pytest.mark.django_db
def test_create_invitation_uses_the_chosen_name(staff):
    invitation, _link = invite(staff, chosen_name="Sam")

    assert invitation.person.display_name == "Sam"


@pytest.mark.django_db
def test_create_invitation_refuses_an_email_that_has_an_account(staff):
    make_user(email="sam@example.org")
    people = Person.objects.count()

    with pytest.raises(ValidationError, match="already has an account"):
        invite(staff, email="SAM@example.org")

    assert not Invitation.objects.exists()
    assert Person.objects.count() == people


@pytest.mark.django_db
def test_create_invitation_refuses_a_person_who_has_a_login(staff):
    user = make_user()

    with pytest.raises(ValidationError, match="already has an account"):
        invite(staff, person=user.person)

    assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_create_invitation_cancels_earlier_pending_invitations(staff):
    first, first_link = invite(staff, email="old@example.org")

    second, second_link = invite(staff, person=first.person, email="new@example.org")

    first.refresh_from_db()
    assert (first.status, second.status) == ("revoked", "pending")
    with pytest.raises(ValidationError, match=USED):
        accept_invitation(token_of(first_link), password="a long password")
    assert accept_invitation(token_of(second_link), password="a long password").email == (
        "new@example.org"
    )


@pytest.mark.django_db
def test_create_invitation_sends_a_neutral_email_at_once(
    staff, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, link = invite(staff, send_email=True)

    body = (
        f"Hello,\n\nYou can make an account with this link:\n\n{link}\n\n"
        "The link works once, for 7 days.\n\nIf you did not expect this email, you can ignore it."
    )
    assert [(m.to, m.subject, m.body) for m in mailoutbox] == [
        (["new.person@example.org"], "Your account link", body)
    ]
    assert "centre" not in body.lower()
    assert invitation.sent_by_email


@pytest.mark.django_db
def test_invitation_token_is_not_stored_in_plain_text(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, link = invite(staff, send_email=True)

    stored = []
    with connection.cursor() as cursor:
        for table in ("coprod_invitation", "coprod_notification"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            stored += [str(value) for row in cursor.fetchall() for value in row]

    assert len(stored) > 10
    assert not [value for value in stored if token_of(link) in value]


@pytest.mark.django_db
def test_accept_invitation_creates_a_verified_login_and_grants_the_role(staff):
    invitation, link = invite(staff, role=Role.PRACTITIONER)

    user = accept_invitation(token_of(link), password="a long password")

    assert (user.person, user.email) == (invitation.person, "new.person@example.org")
    assert user.check_password("a long password")
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == (user.email, True, True)
    grant = RoleGrant.objects.get(person=user.person)
    assert (grant.role, grant.granted_by, grant.source) == ("practitioner", staff, "invitation")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_at is not None) == ("accepted", True)


@pytest.mark.django_db
def test_accept_invitation_does_not_duplicate_a_role_already_held(staff):
    person = make_person(roles=[Role.PWLE])
    _invitation, link = invite(staff, person=person)

    accept_invitation(token_of(link), password="a long password")

    assert list(RoleGrant.objects.filter(person=person).values_list("role", flat=True)) == ["pwle"]


@pytest.mark.django_db
def test_accept_invitation_works_once(staff):
    _invitation, link = invite(staff)
    accept_invitation(token_of(link), password="a long password")

    with pytest.raises(ValidationError, match=USED):
        accept_invitation(token_of(link), password="another password")

    assert User.objects.filter(email="new.person@example.org").count() == 1
    assert User.objects.get(email="new.person@example.org").check_password("a long password")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("after", "works"),
    [(timedelta(days=7) - timedelta(seconds=1), True), (timedelta(days=7), False)],
    ids=["last-second", "seven-days"],
)
def test_accept_invitation_only_within_seven_days(staff, time_machine, after, works):
    time_machine.move_to(START, tick=False)
    invitation, link = invite(staff)
    time_machine.move_to(START + after, tick=False)

    if works:
        accept_invitation(token_of(link), password="a long password")
    else:
        with pytest.raises(ValidationError, match=USED):
            accept_invitation(token_of(link), password="a long password")

    invitation.refresh_from_db()
    assert invitation.status == ("accepted" if works else "pending")
    assert User.objects.filter(person=invitation.person).exists() == works


@pytest.mark.django_db
def test_accept_invitation_refuses_a_revoked_invitation(staff):
    invitation, link = invite(staff)
    revoke_invitation(invitation, by=staff)

    with pytest.raises(ValidationError, match=USED):
        accept_invitation(token_of(link), password="a long password")

    assert invitation.status == "revoked"
    assert not User.objects.filter(person=invitation.person).exists()


@pytest.mark.django_db
def test_failed_acceptance_changes_nothing(staff):
    invitation, link = invite(staff, email="sam@example.org")
    make_user(email="Sam@Example.org")

    with pytest.raises(ValidationError, match="already has an account"):
        accept_invitation(token_of(link), password="a long password")

    invitation.refresh_from_db()
    assert (invitation.status, invitation.accepted_at) == ("pending", None)
    assert Person.objects.get(pk=invitation.person.pk).login is None
    assert not RoleGrant.objects.filter(person=invitation.person).exists()


@pytest.mark.django_db
def test_replace_invitation_link_old_stops_working_new_works(staff):
    invitation, old_link = invite(staff)

    new_link = replace_invitation_link(invitation, by=staff, send_email=False, base_url=BASE_URL)

    with pytest.raises(ValidationError, match=USED):
        accept_invitation(token_of(old_link), password="a long password")
    user = accept_invitation(token_of(new_link), password="a long password")
    assert user.person == invitation.person
    assert new_link != old_link


@pytest.mark.django_db
def test_replace_invitation_link_restarts_the_seven_days(
    staff, time_machine, django_capture_on_commit_callbacks, mailoutbox
):
    time_machine.move_to(START, tick=False)
    invitation, _old_link = invite(staff)
    time_machine.move_to(START + timedelta(days=8), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        link = replace_invitation_link(invitation, by=staff, send_email=True, base_url=BASE_URL)

    invitation.refresh_from_db()
    assert invitation.expires_at == START + timedelta(days=15)
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["new.person@example.org"], "Your account link")
    ]
    assert link in mailoutbox[0].body
    time_machine.move_to(START + timedelta(days=14), tick=False)
    assert accept_invitation(token_of(link), password="a long password").person == invitation.person


@pytest.mark.django_db
def test_replace_invitation_link_refuses_an_accepted_invitation(staff):
    invitation, link = invite(staff)
    accept_invitation(token_of(link), password="a long password")
    invitation.refresh_from_db()

    with pytest.raises(ValidationError, match="has not been used"):
        replace_invitation_link(invitation, by=staff, send_email=False, base_url=BASE_URL)

    assert Invitation.objects.get(pk=invitation.pk).token_hash == invitation.token_hash


@pytest.mark.django_db
def test_revoke_and_accept_are_in_the_audit_trail(staff):
    from auditlog.models import LogEntry

    cancelled, _link = invite(staff, email="first@example.org")
    revoke_invitation(cancelled, by=staff)
    accepted, link = invite(staff, email="second@example.org")

    accept_invitation(token_of(link), password="a long enough passphrase")

    def status_changes(invitation):
        entries = LogEntry.objects.get_for_object(invitation).filter(action=LogEntry.Action.UPDATE)
        return [entry.changes["status"] for entry in entries]

    assert status_changes(cancelled) == [["pending", "revoked"]]
    assert status_changes(accepted) == [["pending", "accepted"]]
