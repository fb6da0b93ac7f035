"""Invitations: staff invite a person; the person accepts once, within the time allowed."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.enums import InvitationStatus, Role, RoleGrantSource
from coprod.models import Invitation, Person, User, hash_token
from coprod.services.notifications import queue_account_email
from coprod.services.people import create_person, create_user_for_person, ensure_email_is_free
from coprod.services.roles import grant_role


def invitation_path(token: str) -> str:
    return reverse("accept_invitation", kwargs={"token": token})


@records_actor
@transaction.atomic
def create_invitation(
    *,
    email: str,
    role: Role | str,
    by: User,
    person: Person | None = None,
    chosen_name: str = "",
    send_email: bool,
    base_url: str,
) -> tuple[Invitation, str]:
    """Invite someone to make an account. Returns the invitation and its link (shown to the sender
    once, to hand over in person when email is not a safe channel for this person). `by` is the
    member of staff inviting them.

    Creates the person if they are not known yet. Cancels their earlier pending invitations, so
    only the newest link works.

    Side effects: saves a Person (if new) and an Invitation; cancels older invitations; queues the
    invitation email (neutral wording, sent at once) if `send_email`."""
    email = ensure_email_is_free(email)
    if person is None:
        person = create_person(chosen_name=chosen_name)
    elif person.login is not None:
        raise ValidationError(_("This person already has an account."))
    for older in Invitation.objects.select_for_update().filter(
        person=person, status=InvitationStatus.PENDING
    ):
        older.status = InvitationStatus.REVOKED
        older.save(update_fields=["status"])
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        person=person,
        email=email,
        role=role,
        token_hash=hash_token(token),
        expires_at=timezone.now() + timedelta(days=settings.COPROD_INVITATION_DAYS),
        invited_by=by,
        sent_by_email=send_email,
    )
    link = base_url.rstrip("/") + invitation_path(token)
    if send_email:
        _queue_invitation_email(invitation, link)
    return invitation, link


def _queue_invitation_email(invitation: Invitation, link: str) -> None:
    context = {"link": link, "days": settings.COPROD_INVITATION_DAYS}
    queue_account_email(
        email=invitation.email,
        kind="invitation",
        subject=" ".join(render_to_string("emails/invitation/subject.txt", context).split()),
        body=render_to_string("emails/invitation/body.txt", context).strip(),
        person=invitation.person,
    )


@records_actor
@transaction.atomic
def replace_invitation_link(
    invitation: Invitation, *, by: User, send_email: bool, base_url: str
) -> str:
    """Make a new link for a pending invitation (the old one stops working) and restart the 7 days.

    Side effects: saves the Invitation; queues the email again if `send_email`."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("Only an invitation that has not been used can get a new link."))
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=settings.COPROD_INVITATION_DAYS)
    invitation.sent_by_email = send_email
    invitation.save(update_fields=["token_hash", "expires_at", "sent_by_email"])
    link = base_url.rstrip("/") + invitation_path(token)
    if send_email:
        _queue_invitation_email(invitation, link)
    return link


@records_actor
@transaction.atomic
def revoke_invitation(invitation: Invitation, *, by: Actor) -> Invitation:
    """Cancel a pending invitation: its link stops working at once.

    Side effects: saves the Invitation (audited)."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.status == InvitationStatus.PENDING:
        locked.status = InvitationStatus.REVOKED
        locked.save(update_fields=["status"])
    invitation.status = locked.status
    return locked


def find_usable_invitation(token: str) -> Invitation | None:
    invitation = (
        Invitation.objects.select_related("person").filter(token_hash=hash_token(token)).first()
    )
    if invitation is None or not invitation.is_usable:
        return None
    return invitation


@transaction.atomic
def accept_invitation(token: str, *, password: str) -> User:
    """Accept an invitation: the link works once and only before it expires. Accepting proves the
    person controls the email address, so it is marked verified.

    Side effects: marks the Invitation accepted; saves a User and a verified EmailAddress; grants
    the invited role (granted by the sender) unless the person holds it already."""
    # The row lock makes the link work once even when it is opened twice at the same moment.
    invitation = Invitation.objects.select_for_update().filter(token_hash=hash_token(token)).first()
    if invitation is None or not invitation.is_usable:
        raise ValidationError(_("This link has expired or has already been used."))
    invitation.status = InvitationStatus.ACCEPTED
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["status", "accepted_at"])
    user = create_user_for_person(
        invitation.person, email=invitation.email, password=password, email_verified=True
    )
    if not invitation.person.holds_role(invitation.role):
        grant_role(
            invitation.person,
            invitation.role,
            by=invitation.invited_by,
            source=RoleGrantSource.INVITATION,
        )
    return user
