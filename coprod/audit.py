"""Audit trail: every change to people, roles and consent, and every view of restricted data.

Changes are recorded by django-auditlog (registered below); restricted fields are redacted whole.
Views of restricted data are recorded with `log_restricted_view`, one entry per page or export.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db import models

from coprod.models import (
    ConsentRecord,
    ConsentText,
    Invitation,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
)

REDACTED = "[redacted]"


def redact(value: object) -> str:
    """Mask for restricted fields in the audit trail: nothing of the value survives."""
    return REDACTED


_MASK = "coprod.audit.redact"

auditlog.register(
    Person,
    exclude_fields=["updated_at"],
    mask_fields=[*Person.RESTRICTED_FINANCE_FIELDS, *Person.RESTRICTED_ENGAGEMENT_FIELDS],
    mask_callable=_MASK,
)
auditlog.register(
    User,
    exclude_fields=["password", "last_login"],
    # The sign-in address is as personal as the invitation's, which is redacted too.
    mask_fields=["email"],
    mask_callable=_MASK,
    m2m_fields={"groups", "user_permissions"},
)
auditlog.register(RoleGrant)
auditlog.register(ConsentRecord)
auditlog.register(ConsentText)
auditlog.register(
    SafeContactPreferences,
    exclude_fields=["updated_at"],
    mask_fields=["safety_notes"],
    mask_callable=_MASK,
)
auditlog.register(
    Invitation, exclude_fields=["token_hash"], mask_fields=["email"], mask_callable=_MASK
)


def log_restricted_view(
    obj: models.Model, *, actor: User, fields: Iterable[str], context: str
) -> LogEntry:
    """Record that `actor` was shown restricted `fields` of `obj` (names only, never values)."""
    return LogEntry.objects.log_create(
        obj,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        additional_data={"fields": sorted(fields), "context": context},
    )
