"""allauth's sign-in, sign-up, password-reset and MFA code forms: plain-language messages, the
same work whether or not an address has an account, and lockouts logged as security events.

The labels already say what each field is, so placeholders that repeat them are removed (screen
readers would read both), and "This field is required." becomes a message that says what to do.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.mfa.base import forms as mfa_forms
from django import forms
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from coprod.security_events import log_lockout

MESSAGES = {
    "login": {"required": _("Enter your email address")},
    "email": {
        "required": _("Enter your email address"),
        "invalid": _("Enter an email address in the right format, like name@example.org"),
    },
    "password": {"required": _("Enter your password")},
    "password1": {"required": _("Create a password")},
}


def _plain(form: forms.Form) -> None:
    for name, field in form.fields.items():
        field.widget.attrs.pop("placeholder", None)
        field.error_messages.update(MESSAGES.get(name, {}))


class LoginForm(allauth_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self)


class SignupForm(allauth_forms.SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self)

    def try_save(self, request: HttpRequest) -> tuple[Any, HttpResponse | None]:
        """Hash the password for an address that already has an account too, as creating one
        does: hashing is most of the time a sign-up takes, so skipping it would show who is
        registered. The hash is thrown away; allauth emails the owner instead."""
        if self.account_already_exists:
            make_password(self.cleaned_data["password1"])
        return super().try_save(request)


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self)

    def save(self, request: HttpRequest, **kwargs: Any) -> str:
        """An address with no account gets the same work as one with (and no email)."""
        if not self.users:
            get_adapter(request).rehearse_password_reset_mail(request, self.cleaned_data["email"])
        return super().save(request, **kwargs)


class _LogsLockout:
    """allauth refuses an MFA code, right or wrong, once too many were wrong (5 in 5 minutes)."""

    event = "mfa"
    user: Any

    def clean_code(self) -> str:
        try:
            return super().clean_code()  # type: ignore[misc]
        except forms.ValidationError as error:
            if error.code == "too_many_login_attempts":
                log_lockout(self.event, user_id=self.user.pk)
            raise


class MFAAuthenticateForm(_LogsLockout, mfa_forms.AuthenticateForm):
    event = "mfa"


class MFAReauthenticateForm(_LogsLockout, mfa_forms.ReauthenticateForm):
    event = "mfa_reauthenticate"
