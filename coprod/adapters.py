"""django-allauth adapters: sign-up creates a researcher, email goes through the outbox, TOTP
secrets are encrypted, and nobody can remove their last authenticator."""

from __future__ import annotations

import json
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.http import HttpRequest
from django.urls import reverse

from coprod import crypto
from coprod.enums import MessageDetail
from coprod.models import User
from coprod.security_events import log_lockout, sign_in_event
from coprod.selectors import logins_with_address
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
        message = self._render_account_mail(template_prefix, email, context)
        # The login it is about, when allauth says: a new address being confirmed is not yet the
        # sign-in address, so looking the address up would not find its person.
        user = context.get("user")
        queue_account_email(
            email=email,
            kind=template_prefix.rsplit("/", 1)[-1],
            subject=message.subject,
            body=message.body,
            person=getattr(user, "person", None) if getattr(user, "pk", None) else None,
        )

    def _render_account_mail(
        self, template_prefix: str, email: str, context: dict[str, Any]
    ) -> EmailMessage:
        request = context.get("request") or self.request
        return self.render_mail(
            template_prefix, email, {"email": email, "request": request, **context}
        )

    def rehearse_password_reset_mail(self, request: HttpRequest, email: str) -> None:
        """For an address with no account, do the work a password-reset email costs and send
        nothing, so that the time the answer takes does not tell whether the address has an
        account (and we never email an address that has none).

        Like allauth's reset flow and the outbox (queue_account_email): looks the address up, makes
        a reset token, renders the email and encrypts it as the outbox stores it. Saves nothing."""
        # allauth's token generator would save an EmailAddress for the stand-in: look it up instead.
        EmailAddress.objects.filter(email__iexact=email).first()
        logins_with_address(email).first()
        stand_in = User(email=email)
        token = PasswordResetTokenGenerator().make_token(stand_in)
        message = self._render_account_mail(
            "account/email/password_reset_key",
            email,
            {
                "user": stand_in,
                "password_reset_url": self.get_reset_password_from_key_url(f"0-{token}"),
                "uid": "0",
                "key": token,
                "request": request,
            },
        )
        content = {"subject": message.subject, "body": message.body, "to": email}
        crypto.encrypt(json.dumps({MessageDetail.NEUTRAL: content, MessageDetail.FULL: content}))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        """allauth refuses a sign-in here once the account or the address has failed too often."""
        try:
            super().pre_authenticate(request, **credentials)
        except ValidationError:
            log_lockout(sign_in_event(request), credentials=credentials)
            raise

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        return reverse("home")

    def login(self, request: HttpRequest, user: User) -> None:
        """A staff member without TOTP is sent straight from signing in to setting it up
        (coprod.middleware.StaffMFARequiredMiddleware), which asks for a fresh password: for them
        only, the password typed seconds ago counts as that re-authentication, so they are not asked
        twice. Everyone else types it again before changing an email address, turning off TOTP or
        seeing recovery codes. allauth asks again after ACCOUNT_REAUTHENTICATION_TIMEOUT."""
        super().login(request, user)
        if (
            not user.is_staff
            or Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return
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
