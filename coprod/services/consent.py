"""Giving and withdrawing consent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.enums import ConsentPurpose, HoldReason
from coprod.models import ConsentRecord, ConsentText, Person, User
from coprod.selectors import current_consent_text
from coprod.services.notifications import hold_queued_notifications, release_held_notifications


@records_actor
@transaction.atomic
def give_consent(person: Person, purpose: ConsentPurpose | str, *, by: Actor) -> ConsentRecord:
    """Record consent to the current text for `purpose`. Giving it again is harmless; consent to
    an older version is replaced.

    Side effects: saves a ConsentRecord (audited), withdraws one to an older version; consent to
    be contacted re-queues held messages that may now be sent."""
    text = current_consent_text(purpose)
    if text is None:
        raise ValidationError(_("There is nothing to agree to for this yet."))
    Person.objects.select_for_update().filter(pk=person.pk).first()
    active = ConsentRecord.objects.filter(person=person, purpose=purpose, withdrawn_at__isnull=True)
    existing = active.filter(text=text).first()
    if existing is not None:
        return existing
    for old in active:
        old.withdrawn_at = timezone.now()
        old.save(update_fields=["withdrawn_at"])
    recorded_by = by if isinstance(by, User) else None
    record = ConsentRecord.objects.create(
        person=person, text=text, purpose=purpose, recorded_by=recorded_by
    )
    if purpose == ConsentPurpose.CONTACT:
        release_held_notifications(person)
    return record


@records_actor
@transaction.atomic
def withdraw_consent(person: Person, purpose: ConsentPurpose | str, *, by: Actor) -> int:
    """Withdraw consent for `purpose`; it takes effect at once: withdrawing consent to be contacted
    holds every general message not yet sent.

    Side effects: sets `withdrawn_at` on the active record (audited); may hold queued messages.
    Returns how many records changed."""
    changed = 0
    for record in ConsentRecord.objects.select_for_update().filter(
        person=person, purpose=purpose, withdrawn_at__isnull=True
    ):
        record.withdrawn_at = timezone.now()
        record.save(update_fields=["withdrawn_at"])
        changed += 1
    if purpose == ConsentPurpose.CONTACT:
        hold_queued_notifications(person, reason=HoldReason.NO_CONTACT_CONSENT)
    return changed


@records_actor
@transaction.atomic
def publish_consent_text(
    purpose: ConsentPurpose | str, *, title: str, body: str, by: Actor
) -> ConsentText:
    """Publish a new version of the text for `purpose`. Consent to earlier versions stops counting:
    people see the purpose as needing their answer again.

    Side effects: saves a ConsentText (audited)."""
    latest = ConsentText.objects.select_for_update().filter(purpose=purpose)
    version = (latest.aggregate(v=Max("version"))["v"] or 0) + 1
    text = ConsentText(purpose=purpose, version=version, title=title, body=body)
    text.full_clean()
    text.save()
    return text
