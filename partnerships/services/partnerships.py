"""Organisations, partnerships, the participation ladder and members: one function per change.

Each checks who asks (a User `by` must hold the right; a SystemActor is trusted), validates with a
plain message (a `ValidationError` naming the form field where there is one; nothing is saved
then), saves in one transaction and is audited through the registered models (partnerships.audit)
with `by` as the actor. The ladder changes only through `change_level` (and the first step, which
`create_partnership` records)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.enums import Role
from coprod.models import Person, User
from partnerships.enums import ParticipationLevel, PartnershipRole, PartnershipStatus
from partnerships.models import (
    LevelChange,
    Organisation,
    OrganisationPractitioner,
    Partnership,
    PartnershipMember,
)
from partnerships.permissions import may_change_level, may_manage_partnership

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "region",
    "website",
    "safeguarding_contact_name",
    "safeguarding_contact_email",
    "safeguarding_contact_phone",
)
PARTNERSHIP_FIELDS = ("title", "aims", "lead", "starts_on", "ends_on", "status")


def _refuse_unless(by: Actor, allowed: bool) -> None:
    if isinstance(by, User) and not allowed:
        raise ValidationError(_("You do not have permission to do this."), code="not_allowed")


def _has_perm(by: Actor, permission: str) -> bool:
    return isinstance(by, User) and by.is_active and by.is_staff and by.has_perm(permission)


def _check_lead(lead: User | None) -> None:
    if lead is None or not (lead.is_staff and lead.is_active):
        raise ValidationError(
            {"lead": _("Choose a member of staff to lead the partnership.")}, code="lead"
        )


def _recorded_by(by: Actor) -> User | None:
    return by if isinstance(by, User) else None


# Organisations -----------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def create_organisation(*, by: Actor, **fields: str) -> Organisation:
    """A new partner organisation. Side effects: saves the Organisation (audited)."""
    _refuse_unless(by, _has_perm(by, "partnerships.add_organisation"))
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of an organisation: {sorted(unknown)}")
    organisation = Organisation(**fields)
    organisation.full_clean()
    organisation.save()
    return organisation


@records_actor
@transaction.atomic
def update_organisation(organisation: Organisation, *, by: Actor, **fields: str) -> Organisation:
    """Change an organisation's facts. Side effects: saves the Organisation (audited)."""
    _refuse_unless(by, _has_perm(by, "partnerships.change_organisation"))
    unknown = set(fields) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"Not fields of an organisation: {sorted(unknown)}")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    for name, value in fields.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    return organisation


@records_actor
@transaction.atomic
def add_practitioner(
    organisation: Organisation, person: Person, *, by: Actor
) -> OrganisationPractitioner:
    """Record that `person`, who holds the practitioner role today, works at `organisation`.
    Side effects: saves an OrganisationPractitioner (audited)."""
    _refuse_unless(by, _has_perm(by, "partnerships.change_organisation"))
    if not Person.objects.support_workers().filter(pk=person.pk).exists():
        raise ValidationError(
            {"person": _("This person does not hold the practitioner role now.")},
            code="not_practitioner",
        )
    if OrganisationPractitioner.objects.filter(organisation=organisation, person=person).exists():
        raise ValidationError(
            {"person": _("This person is already a practitioner at this organisation.")},
            code="already",
        )
    return OrganisationPractitioner.objects.create(organisation=organisation, person=person)


@records_actor
@transaction.atomic
def remove_practitioner(organisation: Organisation, person: Person, *, by: Actor) -> None:
    """`person` no longer works at `organisation`. Side effects: deletes their
    OrganisationPractitioner link (audited)."""
    _refuse_unless(by, _has_perm(by, "partnerships.change_organisation"))
    link = OrganisationPractitioner.objects.filter(organisation=organisation, person=person)
    if not link.exists():
        raise ValidationError(
            _("This person is not a practitioner at this organisation."), code="not_linked"
        )
    # One by one, so that auditlog records the deletion.
    for row in link:
        row.delete()


# Partnerships ------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def create_partnership(
    *,
    by: Actor,
    title: str,
    aims: str,
    lead: User,
    starts_on: date,
    ends_on: date | None = None,
    organisations: Iterable[Organisation] = (),
    level: int = ParticipationLevel.INFORM,
    agreed_by: str,
    reason: str,
    status: str = PartnershipStatus.FORMING,
) -> Partnership:
    """A new partnership at `level`, and the first step of its ladder history (from nothing to
    `level`, on `starts_on`, agreed by `agreed_by` because of `reason`).

    Side effects: saves the Partnership, its organisations and its first LevelChange (audited)."""
    _refuse_unless(by, _has_perm(by, "partnerships.add_partnership"))
    _check_lead(lead)
    errors = {}
    if not (agreed_by or "").strip():
        errors["agreed_by"] = _("Say who agreed where the partnership starts on the ladder.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why the partnership starts at this step.")
    if errors:
        raise ValidationError(errors)
    partnership = Partnership(
        title=title,
        aims=aims,
        lead=lead,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        level=level,
        created_by=_recorded_by(by),
    )
    partnership.full_clean()
    partnership.save()
    partnership.organisations.set(list(organisations))
    change = LevelChange(
        partnership=partnership,
        from_level=None,
        to_level=level,
        changed_on=starts_on,
        agreed_by=agreed_by.strip(),
        reason=reason.strip(),
        recorded_by=_recorded_by(by),
    )
    change.full_clean()
    change.save()
    return partnership


@records_actor
@transaction.atomic
def update_partnership(
    partnership: Partnership,
    *,
    by: Actor,
    organisations: Iterable[Organisation] | None = None,
    **fields: object,
) -> Partnership:
    """Change a partnership's facts (title, aims, lead, dates, status) and organisations. Never
    its level: that is `change_level`'s, which records why.

    Side effects: saves the Partnership and its organisations (audited)."""
    _refuse_unless(by, isinstance(by, User) and may_manage_partnership(by, partnership))
    unknown = set(fields) - set(PARTNERSHIP_FIELDS)
    if unknown:
        raise TypeError(f"Not fields update_partnership changes: {sorted(unknown)}")
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    if "lead" in fields:
        _check_lead(fields["lead"])  # type: ignore[arg-type]
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    if organisations is not None:
        locked.organisations.set(list(organisations))
    return locked


@records_actor
@transaction.atomic
def change_level(
    partnership: Partnership,
    *,
    by: Actor,
    to_level: int,
    changed_on: date,
    agreed_by: str,
    reason: str,
    justification: str = "",
) -> LevelChange:
    """Move `partnership` on the ladder to `to_level`, as agreed by `agreed_by` on `changed_on`.

    Refused (nothing changes): without a reason or who agreed; to the step it is on; up more than
    one step at once without a justification (down, any number of steps needs only a reason);
    dated before the last change, or in the future; for an ended partnership.

    Side effects: locks the partnership row, sets its level and saves the LevelChange, in one
    transaction (audited). Updates `partnership.level` in memory too."""
    locked = Partnership.objects.select_for_update().get(pk=partnership.pk)
    _refuse_unless(by, isinstance(by, User) and may_change_level(by, locked))
    if locked.status == PartnershipStatus.ENDED:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("This partnership has ended: its level can no longer change.")},
            code="ended",
        )
    reason, agreed_by, justification = (
        (reason or "").strip(),
        (agreed_by or "").strip(),
        (justification or "").strip(),
    )
    errors: dict[str, str] = {}
    if to_level not in ParticipationLevel.values:
        errors["to_level"] = _("Choose a step on the ladder.")
    elif to_level == locked.level:
        errors["to_level"] = _("The partnership is already at this step. Choose another step.")
    elif to_level - locked.level > 1 and not justification:
        errors["justification"] = _(
            "Explain why the partnership moves up more than one step at once."
        )
    if not reason:
        errors["reason"] = _("Say why the partnership moves to this step.")
    if not agreed_by:
        errors["agreed_by"] = _("Say who agreed this change.")
    last = locked.level_changes.order_by("-changed_on", "-pk").first()
    if changed_on is None:
        errors["changed_on"] = _("Enter the date of the change.")
    elif last is not None and changed_on < last.changed_on:
        errors["changed_on"] = _("The date cannot be before the last change, on %(date)s.") % {
            "date": date_format(last.changed_on, "j F Y")
        }
    elif changed_on > timezone.localdate():
        errors["changed_on"] = _("The date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    change = LevelChange(
        partnership=locked,
        from_level=locked.level,
        to_level=to_level,
        changed_on=changed_on,
        agreed_by=agreed_by,
        reason=reason,
        justification=justification,
        recorded_by=_recorded_by(by),
    )
    change.full_clean()
    change.save()
    locked.level = to_level
    locked.save(update_fields=["level", "updated_at"])
    partnership.level = to_level
    return change


# Members -----------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def add_member(
    partnership: Partnership,
    person: Person,
    role: PartnershipRole | str,
    *,
    by: Actor,
    joined_on: date,
) -> PartnershipMember:
    """`person` joins `partnership` in `role`, which must be a role they hold in the core today
    (an LEE member holds the lived experience expert role, and so on). Refused for a person who
    is (or was) a member already, and for an ended partnership.

    Side effects: saves the PartnershipMember (audited)."""
    _refuse_unless(by, isinstance(by, User) and may_manage_partnership(by, partnership))
    if role not in PartnershipRole.values:
        raise ValidationError({"role": _("Choose a role in the partnership.")}, code="role")
    if partnership.status == PartnershipStatus.ENDED:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("This partnership has ended: no one can join it now.")},
            code="ended",
        )
    if (
        not Person.objects.holding(Role(role))
        .available_for_selection()
        .filter(pk=person.pk)
        .exists()
    ):
        raise ValidationError(
            {
                "role": _("This person does not hold the role of %(role)s now.")
                % {"role": PartnershipRole(role).label.lower()}
            },
            code="role_not_held",
        )
    earlier = PartnershipMember.objects.filter(partnership=partnership, person=person).first()
    if earlier is not None:
        message = (
            _("This person is already a member of this partnership.")
            if earlier.left_on is None
            else _("This person was a member of this partnership before, and left.")
        )
        raise ValidationError({"person": message}, code="already_member")
    if joined_on is None or joined_on < partnership.starts_on:
        raise ValidationError(
            {"joined_on": _("The date they joined cannot be before the partnership started.")},
            code="joined_early",
        )
    member = PartnershipMember(
        partnership=partnership,
        person=person,
        role=role,
        joined_on=joined_on,
        added_by=_recorded_by(by),
    )
    member.full_clean()
    member.save()
    return member


@records_actor
@transaction.atomic
def end_membership(member: PartnershipMember, *, by: Actor, left_on: date) -> PartnershipMember:
    """`member` leaves the partnership on `left_on` (the row stays: it says who took part in what
    was decided then). Side effects: saves the PartnershipMember (audited)."""
    locked = (
        PartnershipMember.objects.select_for_update()
        .select_related("partnership")
        .get(pk=member.pk)
    )
    _refuse_unless(by, isinstance(by, User) and may_manage_partnership(by, locked.partnership))
    if locked.left_on is not None:
        raise ValidationError(
            {NON_FIELD_ERRORS: _("This membership has already ended.")}, code="ended"
        )
    if left_on is None or left_on < locked.joined_on:
        raise ValidationError(
            {"left_on": _("The date they left cannot be before the date they joined.")},
            code="left_early",
        )
    locked.left_on = left_on
    locked.full_clean()
    locked.save(update_fields=["left_on"])
    member.left_on = left_on
    return locked
