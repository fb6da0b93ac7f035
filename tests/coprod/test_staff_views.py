"""Staff pages: invitations, and messages that could not be sent."""

from __future__ import annotations

import re

import pytest
from auditlog.models import LogEntry

from coprod.enums import (
    InvitationStatus,
    NotificationCategory,
    NotificationStatus,
    Role,
    StaffGroup,
)
from coprod.models import Invitation, Notification, Person
from coprod.services.invitations import find_usable_invitation
from tests.factories.core import InvitationFactory, NotificationFactory, make_staff, make_user

pytestmark = pytest.mark.django_db

INVITE = {
    "email": "Robin@Example.org",
    "role": Role.PWLE,
    "chosen_name": "Robin",
    "send_email": "yes",
}
LINK = re.compile(r'value="http://testserver/invitations/([\w-]+)/"')


@pytest.fixture
def engagement(client):
    staff = make_staff(StaffGroup.ENGAGEMENT)
    client.force_login(staff)
    return staff


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def stored_anywhere(client, secret: str) -> bool:
    """Is `secret` in the session or in a cookie the browser keeps?"""
    session = dict(client.session.items())
    cookies = "".join(morsel.value for morsel in client.cookies.values())
    return secret in repr(session) or secret in cookies


def test_invitation_created_shows_its_link_once_and_emails_it(
    client, engagement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/staff/invitations/new/", INVITE)

    invitation = Invitation.objects.get()
    again = client.get(f"/staff/invitations/{invitation.pk}/")
    token = LINK.search(response.content.decode())[1]
    assert response.status_code == 200
    assert stored_anywhere(client, token) is False
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "robin@example.org",
        Role.PWLE,
        engagement,
    )
    assert (invitation.person.chosen_name, invitation.sent_by_email) == ("Robin", True)
    assert find_usable_invitation(token) == invitation
    assert LINK.search(again.content.decode()) is None
    assert [(m.to, m.subject) for m in mailoutbox] == [(["robin@example.org"], "Your account link")]
    assert f"http://testserver/invitations/{token}/" in mailoutbox[0].body


def test_invitation_created_without_email_sends_nothing(
    client, engagement, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/staff/invitations/new/", {**INVITE, "send_email": "no"}, follow=True
        )

    assert LINK.search(response.content.decode()) is not None
    assert Invitation.objects.get().sent_by_email is False
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        (
            {"email": "not-an-email"},
            {"email": ["Enter an email address in the right format, like name@example.org"]},
        ),
        (
            {"email": "TAKEN@example.org"},
            {"email": ["Someone already has an account with this email address"]},
        ),
        ({"send_email": ""}, {"send_email": ["Select how they will get the link"]}),
    ],
    ids=["invalid-email", "existing-account", "no-delivery-choice"],
)
def test_invitation_with_bad_input_shows_why_and_creates_nothing(
    client, engagement, mailoutbox, data, errors
):
    make_user(email="taken@example.org")
    people = Person.objects.count()

    response = client.post("/staff/invitations/new/", {**INVITE, **data})

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert next(iter(errors.values()))[0] in response.content.decode()
    assert (Invitation.objects.count(), Person.objects.count()) == (0, people)
    assert mailoutbox == []


def test_new_link_makes_the_previous_link_stop_working(client, engagement):
    created = client.post("/staff/invitations/new/", {**INVITE, "send_email": "no"}, follow=True)
    invitation = Invitation.objects.get()
    old_token = LINK.search(created.content.decode())[1]

    response = client.post(
        f"/staff/invitations/{invitation.pk}/new-link/", {"send_email": "no"}, follow=True
    )

    new_token = LINK.search(response.content.decode())[1]
    assert stored_anywhere(client, new_token) is False
    assert new_token != old_token
    assert find_usable_invitation(old_token) is None
    assert find_usable_invitation(new_token) == invitation


def test_new_link_for_an_accepted_invitation_is_refused(client, engagement):
    invitation = InvitationFactory(status=InvitationStatus.ACCEPTED)

    response = client.post(
        f"/staff/invitations/{invitation.pk}/new-link/", {"send_email": "no"}, follow=True
    )

    assert page_messages(response) == [
        "Only an invitation that has not been used can get a new link."
    ]
    assert LINK.search(response.content.decode()) is None
    assert Invitation.objects.get(pk=invitation.pk).token_hash == invitation.token_hash


def test_cancelled_invitation_link_stops_working(client, engagement):
    created = client.post("/staff/invitations/new/", {**INVITE, "send_email": "no"}, follow=True)
    invitation = Invitation.objects.get()
    token = LINK.search(created.content.decode())[1]

    response = client.post(f"/staff/invitations/{invitation.pk}/cancel/", follow=True)

    assert page_messages(response) == ["The invitation is cancelled. Its link no longer works."]
    assert Invitation.objects.get().status == InvitationStatus.REVOKED
    assert find_usable_invitation(token) is None
    assert client.get(f"/invitations/{token}/").status_code == 404


def test_held_messages_list_shows_held_and_failed_but_not_sent(client, engagement):
    NotificationFactory(
        kind="kind_held_alpha", status=NotificationStatus.HELD, hold_reason="paused"
    )
    NotificationFactory(kind="kind_failed_beta", status=NotificationStatus.FAILED)
    NotificationFactory(kind="kind_sent_gamma", status=NotificationStatus.SENT)
    NotificationFactory(kind="kind_handled_delta", status=NotificationStatus.HANDLED)

    response = client.get("/staff/messages/held/")

    html = response.content.decode()
    kinds = ["kind_held_alpha", "kind_failed_beta", "kind_sent_gamma", "kind_handled_delta"]
    shown = [kind for kind in kinds if kind in html]
    assert response.status_code == 200
    assert shown == ["kind_held_alpha", "kind_failed_beta"]
    assert "The person has paused their involvement" in html


def test_handle_page_shows_message_content_to_engagement_and_audits_it(client, engagement):
    notification = NotificationFactory(
        status=NotificationStatus.HELD,
        hold_reason="no_safe_channel",
        content={
            "full": {"subject": "Panel on Tuesday", "body": "Room 4 at 10am."},
            "neutral": {"subject": "A message", "body": "Please sign in."},
        },
    )

    response = client.get(f"/staff/messages/{notification.pk}/handle/")

    html = response.content.decode()
    (entry,) = LogEntry.objects.filter(action=LogEntry.Action.ACCESS)
    assert ("Panel on Tuesday" in html, "Room 4 at 10am." in html) == (True, True)
    assert (entry.actor, entry.object_pk) == (engagement, str(notification.pk))
    assert entry.additional_data == {"fields": ["content"], "context": "held message"}
    assert "Panel" not in str(entry.changes)


def test_handle_page_hides_message_content_from_staff_who_may_not_see_contact_details(client):
    from django.contrib.auth.models import Permission

    staff = make_staff()
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="coprod",
            codename__in=["view_notification", "change_notification"],
        )
    )
    client.force_login(staff)
    notification = NotificationFactory(
        status=NotificationStatus.HELD,
        hold_reason="no_safe_channel",
        content={
            "full": {"subject": "Panel on Tuesday", "body": "Room 4 at 10am."},
            "neutral": {"subject": "A message", "body": "Please sign in."},
        },
    )

    response = client.get(f"/staff/messages/{notification.pk}/handle/")

    html = response.content.decode()
    assert response.status_code == 200
    assert ("Panel on Tuesday" in html, "Room 4 at 10am." in html) == (False, False)
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).exists() is False


def test_handle_page_never_shows_an_account_email(client, engagement):
    notification = NotificationFactory(
        status=NotificationStatus.FAILED,
        category=NotificationCategory.ACCOUNT,
        content={
            "full": {"subject": "Reset your password", "body": "/accounts/password/reset/key/1-x/"},
            "neutral": {
                "subject": "Reset your password",
                "body": "/accounts/password/reset/key/1-x/",
            },
        },
    )

    response = client.get(f"/staff/messages/{notification.pk}/handle/")

    assert response.status_code == 200
    assert "/accounts/password/reset/key/" not in response.content.decode()
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == 0


def test_handling_without_a_note_shows_why_and_changes_nothing(client, engagement):
    notification = NotificationFactory(status=NotificationStatus.HELD, hold_reason="paused")

    response = client.post(f"/staff/messages/{notification.pk}/handle/", {"note": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"note": ["Say how you contacted them"]}
    assert "Say how you contacted them" in response.content.decode()
    assert Notification.objects.get(pk=notification.pk).status == NotificationStatus.HELD


def test_handling_with_a_note_closes_the_message(client, engagement):
    notification = NotificationFactory(status=NotificationStatus.HELD, hold_reason="paused")

    response = client.post(
        f"/staff/messages/{notification.pk}/handle/",
        {"note": "Phoned them on their safe number."},
        follow=True,
    )

    handled = Notification.objects.get(pk=notification.pk)
    assert response.redirect_chain == [("/staff/messages/held/", 302)]
    assert page_messages(response) == ["The message is marked as handled."]
    assert (handled.status, handled.handled_by, handled.handled_note) == (
        NotificationStatus.HANDLED,
        engagement,
        "Phoned them on their safe number.",
    )
