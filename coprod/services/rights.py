"""A person's rights over their own data: download it, and have it deleted.

Every app registers what it holds about a person through one door (coprod.doors.PersonalData):
the export and erasure here run the core's and every app's, so no app can be left out."""

from __future__ import annotations

import secrets
from typing import Any

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.contrib.admin.models import LogEntry as AdminLogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from coprod import doors
from coprod.audit import Actor, log_restricted_view, records_actor
from coprod.enums import ErasureStatus, MessageDetail, NotificationCategory, PersonStatus
from coprod.models import (
    ConsentRecord,
    ErasureRequest,
    FormDraft,
    Invitation,
    Notification,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
)
from coprod.security import log_security_event
from coprod.services.people import set_involvement_status
from coprod.sessions import end_sessions_of


def export_personal_data(person: Person, *, by: User) -> dict[str, Any]:
    """Everything held about `person`: the core's records and every app's (each app's section
    under its label), restricted fields included — it is their own data.

    Side effects: an audit entry (access, context "data download") and a security event."""
    data: dict[str, Any] = {"generated": timezone.now().isoformat()}
    for label, door in doors.personal_data().items():
        data[label] = door.export(person)
    log_restricted_view(person, actor=by, fields=["everything"], context="data download")
    log_security_event("data_download", outcome="ok", user_id=by.pk, person=person.pk)
    return data


@records_actor
@transaction.atomic
def request_erasure(person: Person, *, by: User) -> ErasureRequest:
    """The person (or staff for them) asks for everything about them to be deleted. They stop
    taking part at once: nothing more is sent. The engagement team carries it out.

    Side effects: saves an ErasureRequest (or returns the pending one); sets the person's status
    to withdrawn, which holds their queued messages; logs a security event."""
    Person.objects.select_for_update().filter(pk=person.pk).first()
    request = ErasureRequest.objects.filter(person=person, status=ErasureStatus.PENDING).first()
    if request is None:
        request = ErasureRequest.objects.create(person=person, requested_by=by)
        log_security_event("erasure_request", outcome="ok", user_id=by.pk, person=person.pk)
    set_involvement_status(person, PersonStatus.WITHDRAWN, by=by)
    return request


@records_actor
@transaction.atomic
def cancel_erasure_request(
    request: ErasureRequest, *, by: User, reason: str = ""
) -> ErasureRequest:
    """Cancel a pending request (the person changed their mind). They stay withdrawn until they
    or staff say otherwise.

    Side effects: saves the ErasureRequest as cancelled; logs a security event."""
    locked = ErasureRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ErasureStatus.PENDING:
        raise ValidationError(_("This request is no longer waiting."))
    locked.status = ErasureStatus.CANCELLED
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.reason = reason
    locked.full_clean()
    locked.save()
    log_security_event(
        "erasure_request", outcome="cancelled", user_id=by.pk, person=locked.person_id
    )
    return locked


@records_actor
@transaction.atomic
def erase_person(request: ErasureRequest, *, by: User, reason: str) -> ErasureRequest:
    """Carry out a request: delete or irreversibly anonymise every personal field about the
    person, in every app that registered personal data (coprod.doors.PersonalData), in one
    transaction: either all of it happens or none. Apps run first, in reverse INSTALLED_APPS
    order (an app before the apps it builds on), then the core.

    Nobody erases themself, and a request staff recorded for someone (by phone, say) is carried
    out by another member of staff: a second pair of eyes on something that cannot be undone.

    What stays: the person's row with a new random pseudonymous reference (for records an app
    must keep, such as payments made), their login row emptied and unusable (audit rows point
    at it), this request, and audit rows (which never hold personal values).

    Side effects: as each app's `erase`; saves the ErasureRequest as carried out; logs a
    security event."""
    if not reason.strip():
        raise ValidationError(_("Say why the information is being deleted."))
    locked = ErasureRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if locked.status != ErasureStatus.PENDING:
        raise ValidationError(_("This request is no longer waiting."))
    refusal = erasure_refusal(locked, by=by)
    if refusal:
        raise ValidationError(refusal)
    person = locked.person
    for _label, door in reversed(list(doors.personal_data().items())):
        door.erase(person, by=by)
    locked.status = ErasureStatus.CARRIED_OUT
    locked.decided_at = timezone.now()
    locked.decided_by = by
    locked.reason = reason.strip()
    locked.full_clean()
    locked.save()
    log_security_event("erasure", outcome="done", user_id=by.pk, person=person.pk)
    return locked


def erasure_refusal(request: ErasureRequest, *, by: User) -> str:
    """Why `by` may not carry out `request` ("" if they may)."""
    if by.person_id == request.person_id:
        return str(_("Nobody can delete their own information this way: ask a colleague."))
    if (
        request.requested_by_id is not None
        and request.requested_by_id == by.pk
        and request.requested_by.person_id != request.person_id
    ):
        return str(_("You recorded this request: another member of the team must carry it out."))
    return ""


def erase_core_records(person: Person, *, by: Actor) -> None:
    """The core's part of an erasure (its coprod.doors.PersonalData.erase).

    Side effects: deletes the person's role grants, consents, contact preferences, messages,
    invitations and form drafts; removes them as anyone's support worker and from messages
    routed through them; anonymises the Person and empties the User (unusable password,
    inactive, no groups, email addresses, authenticators, grants or sessions); blanks the
    admin's own change history of both (its rows name the object)."""
    login = User.objects.filter(person=person).first()
    _delete_unlinked_account_emails(person, login)
    SafeContactPreferences.objects.filter(support_worker=person).update(support_worker=None)
    # Messages relayed through them: the address they went to was theirs.
    Notification.objects.filter(routed_via=person).update(routed_via=None, sent_to="")
    for model in (Notification, Invitation, ConsentRecord, RoleGrant, SafeContactPreferences):
        model.objects.filter(person=person).delete()
    reference = secrets.token_hex(6)
    for field in (
        "chosen_name",
        "legal_name",
        "pronouns",
        "preferred_language",
        "access_needs",
        "contact_email",
        "phone",
        "postal_address",
    ):
        setattr(person, field, "")
    person.needs_interpreter = False
    person.generated_name = f"Erased {reference}"
    person.status = PersonStatus.WITHDRAWN
    person.status_changed_at = person.erased_at = timezone.now()
    person.save()
    _blank_admin_history(person)
    if login is not None:
        _empty_login(login, reference)


def _delete_unlinked_account_emails(person: Person, login: User | None) -> None:
    """Account emails sent before the address belonged to a login (an invitation, a new address
    being confirmed) may not point at the person: find them by the address they went to."""
    addresses = {
        address.lower()
        for address in (
            person.contact_email,
            login.email if login is not None else "",
            *Invitation.objects.filter(person=person).values_list("email", flat=True),
            *EmailAddress.objects.filter(user=login).values_list("email", flat=True),
        )
        if address
    }
    unlinked = Notification.objects.filter(
        person__isnull=True, category=NotificationCategory.ACCOUNT
    ).only("pk", "content")
    Notification.objects.filter(
        pk__in=[
            message.pk
            for message in unlinked.iterator()
            if message.content[MessageDetail.NEUTRAL].get("to", "").lower() in addresses
        ]
    ).delete()


def _empty_login(login: User, reference: str) -> None:
    FormDraft.objects.filter(user=login).delete()
    EmailConfirmation.objects.filter(email_address__user=login).delete()
    EmailAddress.objects.filter(user=login).delete()
    Authenticator.objects.filter(user=login).delete()
    UserObjectPermission.objects.filter(user=login).delete()
    login.groups.clear()
    login.user_permissions.clear()
    login.email = f"erased-{reference}@erased.invalid"
    login.set_unusable_password()
    login.is_active = login.is_staff = login.is_superuser = False
    login.last_login = None
    login.save()
    end_sessions_of(login.pk)
    _blank_admin_history(login)


def _blank_admin_history(obj: Person | User) -> None:
    AdminLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).update(object_repr="[erased]")
