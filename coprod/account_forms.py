"""allauth's sign-in, sign-up and password-reset forms with plain-language messages.

The labels already say what each field is, so placeholders that repeat them are removed (screen
readers would read both), and "This field is required." becomes a message that says what to do.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as allauth_forms
from django import forms
from django.utils.translation import gettext_lazy as _

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


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain(self)
