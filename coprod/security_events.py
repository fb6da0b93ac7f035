"""Sign-in security events, logged through coprod.security: successes, failures, MFA failures and
lockouts, naming the person by user id only (never the address they typed).

The signal receivers here are connected when this module is imported (CoprodConfig.ready). Lockouts
have no signal: the allauth hooks that refuse them (coprod.adapters.AccountAdapter.pre_authenticate
and the MFA forms in coprod.account_forms) call `log_lockout`.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from coprod.security import log_security_event
from coprod.selectors import logins_with_address


def _user_id_for(credentials: dict[str, Any]) -> int | None:
    """The id of the account the typed address belongs to, if any. Looked up whether or not one
    exists, so that the lookup itself does not tell them apart by time."""
    email = credentials.get("email") or credentials.get("username") or ""
    if not isinstance(email, str) or not email:
        return None
    return logins_with_address(email).values_list("pk", flat=True).first()


def sign_in_event(request: HttpRequest | None) -> str:
    """`reauthenticate` when someone already signed in is asked to prove it is still them."""
    user = getattr(request, "user", None)
    return "reauthenticate" if user is not None and user.is_authenticated else "login"


@receiver(user_logged_in, dispatch_uid="coprod_security_login_success")
def log_login_success(
    sender: object, request: HttpRequest | None, user: Any, **kwargs: Any
) -> None:
    log_security_event("login", outcome="success", user_id=user.pk)


@receiver(user_login_failed, dispatch_uid="coprod_security_login_failed")
def log_login_failed(
    sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    log_security_event(sign_in_event(request), outcome="failed", user_id=_user_id_for(credentials))


@receiver(mfa_signals.authentication_failed, dispatch_uid="coprod_security_mfa_failed")
def log_mfa_failed(
    sender: object,
    request: HttpRequest | None,
    user: Any,
    reauthentication: bool = False,
    **kwargs: Any,
) -> None:
    log_security_event(
        "mfa_reauthenticate" if reauthentication else "mfa", outcome="failed", user_id=user.pk
    )


def log_lockout(
    event: str, *, user_id: int | None = None, credentials: dict[str, Any] | None = None
) -> None:
    """A sign-in refused by the rate limits (too many failures for this account or address)."""
    if user_id is None and credentials is not None:
        user_id = _user_id_for(credentials)
    log_security_event(event, outcome="locked", user_id=user_id)
