"""Writes for training and onboarding: staff record that a person completed a module, and mark
the steps of an accepted person's onboarding checklist (agreement signed, access and support
needs confirmed). How the person wants to be paid is not copied here: it is read from their
PaymentEligibility (recruitment.selectors.selection.onboarding_checklist)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.models import Person, User, london_today
from coprod.permissions import is_staff_with
from recruitment.models import Onboarding, TrainingCompletion, TrainingModule


def may_record_training(user: object) -> bool:
    return is_staff_with(user, "recruitment.add_trainingcompletion")


def may_change_onboarding(user: object) -> bool:
    return is_staff_with(user, "recruitment.change_onboarding")


def _check(by: Actor, may: Callable[[object], bool], message: str) -> None:
    """A process acts as the system; a person must pass `may`."""
    if isinstance(by, User) and not may(by):
        raise ValidationError(message)


def _not_in_future(day: date, message: str) -> None:
    if day > london_today():
        raise ValidationError(message)


@records_actor
@transaction.atomic
def record_training_completion(
    person: Person, module: TrainingModule, *, by: Actor, completed_on: date
) -> TrainingCompletion:
    """`person` completed `module` on `completed_on` (not in the future). Once per person and
    module: a second record is refused with a plain message.

    Side effects: saves a TrainingCompletion naming who recorded it (audited)."""
    _check(by, may_record_training, _("Only the engagement team can record training."))
    _not_in_future(completed_on, _("The date the training was completed cannot be in the future."))
    if TrainingCompletion.objects.filter(person=person, module=module).exists():
        raise ValidationError(
            _("This person has already completed “%(module)s”.") % {"module": module.name}
        )
    completion = TrainingCompletion(
        person=person,
        module=module,
        completed_on=completed_on,
        recorded_by=by if isinstance(by, User) else None,
    )
    completion.full_clean()
    completion.save()
    return completion


@records_actor
def start_onboarding(person: Person, *, by: Actor) -> Onboarding:
    """The person's onboarding checklist, made if they have none (one per person: a second
    offer does not ask again for what is done). Called when an offer is accepted.

    Side effects: may save a new Onboarding."""
    onboarding, _created = Onboarding.objects.get_or_create(person=person)
    return onboarding


def _mark(person: Person, field: str, day: date, *, by: Actor, future: str) -> Onboarding:
    _check(by, may_change_onboarding, _("Only the engagement team can change onboarding steps."))
    _not_in_future(day, future)
    onboarding, _created = Onboarding.objects.select_for_update().get_or_create(person=person)
    setattr(onboarding, field, day)
    onboarding.full_clean()
    onboarding.save(update_fields=[field, "updated_at"])
    return onboarding


@records_actor
@transaction.atomic
def record_agreement_signed(person: Person, *, by: Actor, signed_on: date) -> Onboarding:
    """`person` signed their agreement on `signed_on` (not in the future; a later record
    corrects the date). Side effects: saves their onboarding (made if they had none); writes an
    audit row."""
    return _mark(
        person,
        "agreement_signed_on",
        signed_on,
        by=by,
        future=_("The date the agreement was signed cannot be in the future."),
    )


@records_actor
@transaction.atomic
def confirm_access_needs(person: Person, *, by: Actor, confirmed_on: date) -> Onboarding:
    """`person`'s access and support needs were talked through and confirmed on `confirmed_on`
    (not in the future). Side effects: saves their onboarding (made if they had none); writes an
    audit row."""
    return _mark(
        person,
        "access_needs_confirmed_on",
        confirmed_on,
        by=by,
        future=_("The date access needs were confirmed cannot be in the future."),
    )


@records_actor
@transaction.atomic
def erase_training_records(person: Person, *, by: Actor) -> None:
    """Part of the person's erasure (coprod.services.rights.erase_person): their training
    records and onboarding checklist are deleted. Nothing is kept: neither pays anyone.

    Side effects: deletes TrainingCompletion and Onboarding rows (audited)."""
    for completion in TrainingCompletion.objects.filter(person=person):
        completion.delete()
    Onboarding.objects.filter(person=person).delete()
