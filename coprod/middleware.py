"""Session idle timeout, MFA for staff, and no caching of signed-in pages."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import add_never_cache_headers

from coprod.doors import draft_path
from coprod.services.drafts import save_draft

LAST_ACTIVITY_KEY = "coprod_last_activity"
SIGNED_IN_AT_KEY = "coprod_signed_in_at"
TIMED_OUT_KEY = "coprod_timed_out"
# Write the activity time at most this often, so not every request saves the session.
ACTIVITY_RESOLUTION = 30

Handler = Callable[[HttpRequest], HttpResponse]


def _url_name(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None


def _passes_csrf_check(request: HttpRequest) -> bool:
    """This middleware answers before CsrfViewMiddleware checks the form, so check it here: a form
    another site forged must not become a draft that is shown to the person later."""

    def probe(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    return CsrfViewMiddleware(probe).process_view(request, probe, (), {}) is None


def record_sign_in_time(
    sender: object, request: HttpRequest, user: object, **kwargs: object
) -> None:
    """Receiver of `user_logged_in`: the absolute session lifetime counts from here, and signing
    in is activity."""
    now = time.time()
    request.session[SIGNED_IN_AT_KEY] = now
    request.session[LAST_ACTIVITY_KEY] = now


class IdleSessionTimeoutMiddleware:
    """Sign out after a period without requests (30 minutes for staff, 2 hours for everyone else),
    and after an absolute lifetime from sign-in whatever the activity (8 hours for staff, 12 for
    everyone else).

    A form posted after the timeout is kept as a server-side draft (coprod.services.drafts) when
    its view declares `saves_draft_on_timeout` (coprod.doors), so signing in again brings back
    what was typed instead of losing it."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY_KEY)
            limit = (
                settings.COPROD_STAFF_IDLE_TIMEOUT
                if user.is_staff
                else settings.COPROD_MEMBER_IDLE_TIMEOUT
            )
            signed_in_at = request.session.get(SIGNED_IN_AT_KEY)
            lifetime = (
                settings.COPROD_STAFF_SESSION_LIFETIME
                if user.is_staff
                else settings.COPROD_MEMBER_SESSION_LIFETIME
            )
            if signed_in_at is None:
                # A session from before the lifetime was recorded: count from now.
                request.session[SIGNED_IN_AT_KEY] = signed_in_at = now
            if (last is not None and now - last > limit) or now - signed_in_at > lifetime:
                if _url_name(request) == "exit":
                    # "Exit this page" must always leave for the neutral site, never stop at
                    # the sign-in page.
                    logout(request)
                    return self.get_response(request)
                return self._time_out(request)
            if last is None or now - last > ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY_KEY] = now
        return self.get_response(request)

    def _time_out(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if request.method == "POST":
            form_path = draft_path(request.path_info)
            if form_path is not None and _passes_csrf_check(request):
                save_draft(request.user, path=form_path, data=request.POST)
        logout(request)
        request.session[TIMED_OUT_KEY] = True
        login_url = reverse(settings.LOGIN_URL)
        return HttpResponseRedirect(f"{login_url}?{urlencode({'next': path})}")


class StaffMFARequiredMiddleware:
    """Staff must set up TOTP before they reach anything but allauth's own sign-in, verification,
    re-authentication and MFA set-up pages, sign-out, static files and the health check.
    (allauth asks for the code at sign-in once it is set up; it does not require setting it up.)"""

    ALLOWED_URL_NAMES = frozenset(
        {
            "account_login",
            "account_logout",
            "account_reauthenticate",
            "account_email",
            "account_email_verification_sent",
            "account_confirm_email",
            "account_change_password",
            "account_set_password",
            "account_reset_password",
            "account_reset_password_done",
            "account_reset_password_from_key",
            "account_reset_password_from_key_done",
            "account_inactive",
            "mfa_index",
            "mfa_activate_totp",
            "mfa_authenticate",
            "mfa_reauthenticate",
            "mfa_view_recovery_codes",
            "mfa_generate_recovery_codes",
            "mfa_download_recovery_codes",
            "healthz",
            "exit",
            "set_language",
        }
    )

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and user.is_staff
            and not request.path.startswith(settings.STATIC_URL)
            and _url_name(request) not in self.ALLOWED_URL_NAMES
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            setup = reverse("mfa_activate_totp")
            return HttpResponseRedirect(f"{setup}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Nothing a signed-in person sees, and nothing under /accounts/, is kept in any cache."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/accounts/"):
            add_never_cache_headers(response)
        return response
