"""Creating people and logins, changing profiles and involvement status."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from coprod.audit import Actor, records_actor
from coprod.enums import ContactChannel, HoldReason, PersonStatus, Role, RoleGrantSource
from coprod.models import Person, SafeContactPreferences, User
from coprod.models.people import new_generated_name
from coprod.selectors import email_has_account
from coprod.services.notifications import hold_queued_notifications, release_held_notifications
from coprod.services.roles import grant_role

EMAIL_TAKEN = gettext_lazy("Someone already has an account with this email address")


def ensure_email_is_free(email: str) -> str:
    """The one check that an address has no account yet (services, forms and the admin all use
    it): returns the address normalised (lower case), or raises ValidationError(EMAIL_TAKEN)."""
    email = User.objects.normalize_email(email).strip().lower()
    if email_has_account(email):
        raise ValidationError(EMAIL_TAKEN, code="email_taken")
    return email


# Fields a person may change about themself in the portal.
PROFILE_FIELDS = (
    "chosen_name",
    "pronouns",
    "preferred_language",
    "needs_interpreter",
    "access_needs",
)


@transaction.atomic
def create_person(*, chosen_name: str = "", **fields: Any) -> Person:
    """Create a person with a generated neutral name and default safe-contact preferences
    (email only, neutral wording, not yet confirmed).

    Side effects: saves a Person and its SafeContactPreferences (both audited)."""
    return _save_new_person(Person(chosen_name=chosen_name.strip(), **fields))


def _save_new_person(person: Person) -> Person:
    person.full_clean(exclude=["generated_name"])
    for attempt in range(5):
        person.generated_name = new_generated_name()
        try:
            with transaction.atomic():
                person.save()
            break
        except IntegrityError:
            # Two people were given the same generated name at the same moment: draw again.
            if attempt == 4:
                raise
    SafeContactPreferences.objects.create(person=person, channels=[ContactChannel.EMAIL])
    return person


@transaction.atomic
def create_user_for_person(
    person: Person,
    *,
    email: str,
    password: str | None,
    email_verified: bool,
    is_staff: bool = False,
) -> User:
    """Give `person` a login. Refuses a second login for the same person.

    Side effects: saves a User and allauth's primary EmailAddress (verified if `email_verified`)."""
    if person.login is not None:
        raise ValidationError(_("This person already has an account."))
    email = ensure_email_is_free(email)
    user = User.objects.create_user(email, password, person=person, is_staff=is_staff)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=email_verified)
    return user


@transaction.atomic
def sign_up_researcher(user: User) -> User:
    """Complete a self sign-up: the new login gets a Person holding the researcher role, granted by
    nobody. No other role can be self-granted.

    Side effects: saves a Person, its preferences, the User and a RoleGrant."""
    user.person = create_person()
    user.save()
    grant_role(user.person, Role.RESEARCHER, by=user, source=RoleGrantSource.SELF_SIGNUP)
    return user


@records_actor
def update_profile(person: Person, *, by: Actor, **changes: Any) -> Person:
    """Change what a person says about themself (display name, pronouns, language, access needs).

    Side effects: saves the Person (audited, restricted values redacted in the audit trail)."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for field, value in changes.items():
        setattr(person, field, value.strip() if isinstance(value, str) else value)
    person.full_clean()
    person.save()
    return person


@records_actor
@transaction.atomic
def set_involvement_status(person: Person, status: PersonStatus, *, by: Actor) -> Person:
    """The one door for a person's status (active / paused / withdrawn).

    Pausing or withdrawing holds every message that is not about security and hides the person
    from selection lists at once. Resuming releases held messages that may now be sent.

    Side effects: saves the Person (audited); on pause or withdrawal, holds their queued
    messages; on resume, re-queues held messages."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.status == status:
        return locked
    locked.status = status
    locked.status_changed_at = timezone.now()
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    person.status, person.status_changed_at = locked.status, locked.status_changed_at
    if status == PersonStatus.ACTIVE:
        release_held_notifications(locked)
    else:
        hold_queued_notifications(
            locked,
            reason=HoldReason.PAUSED if status == PersonStatus.PAUSED else HoldReason.WITHDRAWN,
        )
    return locked


@records_actor
@transaction.atomic
def save_person_record(person: Person, *, by: User) -> Person:
    """Staff create or change a person's record (admin). Status changes go through
    `set_involvement_status`, roles through coprod.services.roles.

    Side effects: saves the Person (audited); a new person gets default safe-contact preferences."""
    if person.pk is None:
        return _save_new_person(person)
    person.full_clean()
    person.save()
    return person
