"""Safe-contact preferences."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from coprod.audit import Actor, records_actor
from coprod.models import Person, SafeContactPreferences, london_today
from coprod.services.notifications import release_held_notifications

# How long a confirmation of safe-contact details lasts before the person is asked again.
RECONFIRM_AFTER = timedelta(days=182)

# What a person changes about themself in the portal (coprod.forms.SafeContactForm).
EDITABLE_FIELDS = (
    "channels",
    "safe_times",
    "voicemail_ok",
    "message_detail",
    "person_initiates_only",
    "safety_notes",
)
# Staff (engagement, in the admin) also choose the support worker (a current practitioner) and
# when the person must next confirm.
STAFF_FIELDS = (*EDITABLE_FIELDS, "support_worker", "reconfirm_by")


@records_actor
@transaction.atomic
def update_safe_contact(
    person: Person, *, by: Actor, confirm: bool, **changes: Any
) -> SafeContactPreferences:
    """Change and/or confirm how `person` may be contacted. Confirming sets the date by which they
    must confirm again; until then, held messages may go out. A new support worker must hold a
    current practitioner role (ValidationError otherwise, and nothing changes).

    Side effects: saves SafeContactPreferences (audited, safety notes redacted); re-queues held
    messages that the new preferences allow."""
    unknown = set(changes) - set(STAFF_FIELDS)
    if unknown:
        raise ValueError(f"Not safe-contact fields: {sorted(unknown)}")
    prefs, _created = SafeContactPreferences.objects.select_for_update().get_or_create(
        person=person
    )
    for field, value in changes.items():
        setattr(prefs, field, value)
    if confirm:
        prefs.confirmed_at = timezone.now()
        prefs.reconfirm_by = london_today() + RECONFIRM_AFTER
    prefs.full_clean()
    prefs.save()
    release_held_notifications(person)
    return prefs
