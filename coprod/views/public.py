"""Pages anyone can reach: the front door, the health check, "Exit this page", invitations."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from coprod.forms import AcceptInvitationForm
from coprod.security import log_security_event
from coprod.services.invitations import accept_invitation, find_usable_invitation


@login_not_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people go to the portal (staff to the admin); others to sign in."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if request.user.is_staff:
        return redirect("admin:index")
    return redirect("portal:home")


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def exit_page(request: HttpRequest) -> HttpResponse:
    """Leave quickly: sign out and go to a neutral website."""
    logout(request)
    return HttpResponseRedirect(settings.COPROD_EXIT_URL)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def accept_invitation_view(request: HttpRequest, token: str) -> HttpResponse:
    invitation = find_usable_invitation(token)
    if invitation is None:
        return render(request, "public/invitation_unusable.html", status=404)
    if request.user.is_authenticated:
        logout(request)
    form = AcceptInvitationForm(
        request.POST if request.method == "POST" else None, email=invitation.email
    )
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(token, password=form.cleaned_data["password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            login(request, user, backend="coprod.auth_backends.ModelBackend")
            return redirect("portal:home")
    return render(
        request,
        "public/accept_invitation.html",
        {"form": form, "invitation": invitation, "email": invitation.email},
    )


def too_many_requests(request: HttpRequest) -> HttpResponse:
    """allauth's rate limits answer through this (`handler429` in coprod.urls): a plain page,
    and a security event, since a burst of attempts is what an operator must notice."""
    match = getattr(request, "resolver_match", None)
    log_security_event(
        "rate_limit",
        outcome="locked",
        user_id=request.user.pk if request.user.is_authenticated else None,
        view=match.view_name if match is not None else "-",
    )
    return render(request, "429.html", status=429)
