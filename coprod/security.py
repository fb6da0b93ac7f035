"""Security events: one logger, one line per event, with ids and outcomes only.

Every sign-in success and failure, MFA failure, lockout, refused access to a protected object,
and data-rights request (download, erasure) is logged here, so an operator can see an attack or a
misconfiguration without anyone's personal data reaching the logs: a user is named by id only,
never by email address or name.
"""

from __future__ import annotations

import logging

logger = logging.getLogger("coprod.security")

# Detail values are ids, short codes or numbers: anything else is refused, so that a caller cannot
# pass a name or an address by mistake.
_ALLOWED_DETAIL_TYPES = (int, bool, type(None))
_MAX_CODE_LENGTH = 80
# Outcomes that an operator should notice (logged at WARNING; everything else at INFO).
WARNING_OUTCOMES = frozenset({"failed", "locked", "refused", "not_found"})


def _clean(value: object) -> str:
    if isinstance(value, _ALLOWED_DETAIL_TYPES):
        return "-" if value is None else str(value)
    text = str(value)
    if len(text) > _MAX_CODE_LENGTH or "@" in text or any(ch.isspace() for ch in text):
        raise ValueError("Security event details are ids or short codes, never free text.")
    return text


def log_security_event(
    event: str, *, outcome: str, user_id: int | None = None, **details: object
) -> None:
    """Log one security event as `security event=<event> outcome=<outcome> user=<id> k=v ...`.

    `event` and `outcome` are short codes (`login`, `failed`); `details` are ids or codes such as
    `view=staff:invitation_detail`. Values with spaces or an `@` are refused (ValueError)."""
    parts = [f"event={_clean(event)}", f"outcome={_clean(outcome)}", f"user={_clean(user_id)}"]
    parts += [f"{key}={_clean(value)}" for key, value in sorted(details.items())]
    level = logging.WARNING if outcome in WARNING_OUTCOMES else logging.INFO
    logger.log(level, "security %s", " ".join(parts))
