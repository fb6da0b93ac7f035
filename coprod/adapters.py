"""django-allauth adapters: sign-up creates a researcher, email goes through the outbox, TOTP
secrets are encrypted, and nobody can remove their last authenticator."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.http import HttpRequest
from django.urls import reverse

from coprod import crypto
from coprod.models import User
from coprod.services.notifications import queue_account_email
from coprod.services.people import sign_up_researcher

# Authenticators that sign a person in (recovery codes only back them up).
PRIMARY_AUTHENTICATORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: User, form: Any, commit: bool = True) -> User:
        """Self sign-up: the login gets a Person holding the researcher role, granted by nobody."""
        user = super().save_user(request, user, form, commit=False)
        return sign_up_researcher(user)

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Every allauth email (verification, password reset, security notices) goes through the
        outbox: recorded, sent at once, never held."""
        request = context.get("request") or self.request
        ctx = {"email": email, "request": request, **context}
        message = self.render_mail(template_prefix, email, ctx)
        queue_account_email(
            email=email,
            kind=template_prefix.rsplit("/", 1)[-1],
            subject=message.subject,
            body=message.body,
        )

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")

    def login(self, request: HttpRequest, user: User) -> None:
        """A password typed seconds ago is as fresh as typing it again: mark it as a
        re-authentication, so a new staff member sent straight to TOTP set-up is not asked for it
        twice. allauth still asks again once ACCOUNT_REAUTHENTICATION_TIMEOUT has passed."""
        super().login(request, user)
        records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
        if isinstance(records, list):
            for record in records:
                if record.get("method") == "password":
                    record["reauthenticated"] = True
            request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        if authenticator.type not in PRIMARY_AUTHENTICATORS:
            return True
        others = Authenticator.objects.filter(
            user_id=authenticator.user_id, type__in=PRIMARY_AUTHENTICATORS
        ).exclude(pk=authenticator.pk)
        return others.exists()
