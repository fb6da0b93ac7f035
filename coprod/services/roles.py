"""Granting and ending roles."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.enums import SELF_SIGNUP_ROLE, Role, RoleGrantSource
from coprod.markers import mark_changed, marker
from coprod.models import Person, RoleGrant, User, london_today


@records_actor
@transaction.atomic
def grant_role(
    person: Person,
    role: Role | str,
    *,
    by: Actor,
    starts_on: date | None = None,
    ends_on: date | None = None,
    source: RoleGrantSource = RoleGrantSource.GRANTED,
    note: str = "",
) -> RoleGrant:
    """Grant `role` to `person` from `starts_on` (default today in London) to `ends_on` (inclusive).

    Only the researcher role can come from a self sign-up, by the person themself (`by` is their
    login; the grant names nobody as granter); every other grant is by a member of staff, who is
    named as granter, and nobody grants themself a role. Refuses a grant that overlaps another
    grant of the same role.

    Side effects: saves a RoleGrant (audited); clears the person's cached current roles."""
    if source == RoleGrantSource.SELF_SIGNUP:
        if role != SELF_SIGNUP_ROLE or getattr(by, "person_id", None) != person.pk:
            raise ValidationError(_("Only the researcher role can be taken by signing up."))
    elif not isinstance(by, User):
        raise ValidationError(_("A role must be granted by a member of staff."))
    elif by.person_id == person.pk:
        raise ValidationError(_("Nobody can grant a role to themself."))
    starts_on = starts_on or london_today()
    Person.objects.select_for_update().filter(pk=person.pk).first()
    overlapping = RoleGrant.objects.filter(person=person, role=role).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        raise ValidationError(_("This person already holds this role at that time."))
    grant = RoleGrant(
        person=person,
        role=role,
        starts_on=starts_on,
        ends_on=ends_on,
        source=source,
        granted_by=None if source == RoleGrantSource.SELF_SIGNUP else by,
        note=note,
    )
    grant.full_clean()
    grant.save()
    person.__dict__.pop("current_roles", None)
    return grant


@records_actor
@transaction.atomic
def end_role(grant: RoleGrant, *, by: Actor, ends_on: date | None = None) -> RoleGrant:
    """End a role on `ends_on` (default today, inclusive: they still hold it that day).

    Side effects: saves the RoleGrant (audited)."""
    ends_on = ends_on or london_today()
    if ends_on < grant.starts_on:
        raise ValidationError(_("A role cannot end before it starts."))
    if grant.ends_on is not None and grant.ends_on <= ends_on:
        return grant
    grant.ends_on = ends_on
    grant.full_clean()
    grant.save(update_fields=["ends_on"])
    grant.person.__dict__.pop("current_roles", None)
    return grant


@records_actor
def promote_to_lee(
    person: Person, *, by: User, on: date | None = None, note: str = ""
) -> RoleGrant:
    """PWLE → LEE: its own recorded step. The LEE role is added beside PWLE, which continues.

    Side effects: saves a RoleGrant with source "promotion" (audited)."""
    on = on or london_today()
    holds_pwle = RoleGrant.objects.current(on=on).filter(person=person, role=Role.PWLE).exists()
    if not holds_pwle:
        raise ValidationError(
            _("Only a person with lived experience can become a lived experience expert.")
        )
    return grant_role(
        person, Role.LEE, by=by, starts_on=on, source=RoleGrantSource.PROMOTION, note=note
    )


# Pages keep a person's roles in the session for their navigation (coprod.doors.current_roles);
# this marker (coprod.markers) changes whenever one of the person's grants is saved or deleted
# (by a service, the admin or anything else that saves a RoleGrant), so that they read them again.
ROLES = "roles"


def roles_marker(person_id: int) -> str | None:
    return marker(ROLES, person_id)


def note_roles_changed(sender: object, instance: RoleGrant, **kwargs: object) -> None:
    """Receiver of RoleGrant's post_save and post_delete (connected in CoprodConfig.ready)."""
    mark_changed(ROLES, instance.person_id, lasts=settings.SESSION_COOKIE_AGE)
