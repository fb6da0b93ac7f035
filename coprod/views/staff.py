"""Staff pages for the shared core: invitations and messages that need a person's attention.

Every view needs staff with the named model permission (engagement group by default); objects
are fetched through `_for_user` selectors, so what a user may not see is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.audit import log_restricted_view
from coprod.enums import MessageDetail, NotificationCategory
from coprod.forms import HandleMessageForm, InvitationForm, NewInvitationLinkForm
from coprod.permissions import (
    is_staff_with,
    may_invite,
    may_manage_held_messages,
    may_see_contact_details,
)
from coprod.selectors import held_notifications_for_user, invitations_for_user
from coprod.services.invitations import (
    create_invitation,
    replace_invitation_link,
    revoke_invitation,
)
from coprod.services.notifications import mark_notification_handled

_LINK_KEY = "coprod_invitation_link_{}"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    _require(is_staff_with(request.user))
    return render(
        request,
        "staff/home.html",
        {
            "may_invite": may_invite(request.user),
            "may_manage": may_manage_held_messages(request.user),
        },
    )


@require_http_methods(["GET"])
def invitation_list(request: HttpRequest) -> HttpResponse:
    _require(is_staff_with(request.user, "coprod.view_invitation"))
    invitations = invitations_for_user(request.user).order_by("-created_at")[:200]
    return render(request, "staff/invitation_list.html", {"invitations": invitations})


@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    _require(may_invite(request.user))
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, link = create_invitation(
                email=data["email"],
                role=data["role"],
                invited_by=request.user,
                person=data["person"],
                chosen_name=data["chosen_name"],
                send_email=data["send_email"] == "yes",
                base_url=_base_url(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            request.session[_LINK_KEY.format(invitation.pk)] = link
            return redirect("staff:invitation_detail", pk=invitation.pk)
    return render(request, "staff/invitation_form.html", {"form": form})


@require_http_methods(["GET"])
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(invitations_for_user(request.user), pk=pk)
    # The link is shown once, right after it was made; only its hash is stored.
    link = request.session.pop(_LINK_KEY.format(invitation.pk), None)
    return render(
        request,
        "staff/invitation_detail.html",
        {
            "invitation": invitation,
            "link": link,
            "may_change": may_invite(request.user),
            "new_link_form": NewInvitationLinkForm(),
        },
    )


@require_POST
def invitation_new_link(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(invitations_for_user(request.user), pk=pk)
    _require(may_invite(request.user))
    form = NewInvitationLinkForm(request.POST)
    if not form.is_valid():
        return render(
            request,
            "staff/invitation_detail.html",
            {"invitation": invitation, "link": None, "may_change": True, "new_link_form": form},
            status=400,
        )
    try:
        link = replace_invitation_link(
            invitation,
            by=request.user,
            send_email=form.cleaned_data["send_email"] == "yes",
            base_url=_base_url(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        request.session[_LINK_KEY.format(invitation.pk)] = link
    return redirect("staff:invitation_detail", pk=invitation.pk)


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(invitations_for_user(request.user), pk=pk)
    _require(may_invite(request.user))
    revoke_invitation(invitation, by=request.user)
    messages.success(request, _("The invitation is cancelled. Its link no longer works."))
    return redirect("staff:invitation_detail", pk=invitation.pk)


@require_http_methods(["GET"])
def held_messages(request: HttpRequest) -> HttpResponse:
    _require(may_manage_held_messages(request.user))
    items = held_notifications_for_user(request.user)[:200]
    return render(request, "staff/held_messages.html", {"items": items})


@require_http_methods(["GET", "POST"])
def message_handle(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(held_notifications_for_user(request.user), pk=pk)
    _require(may_manage_held_messages(request.user))
    form = HandleMessageForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        mark_notification_handled(notification, by=request.user, note=form.cleaned_data["note"])
        messages.success(request, _("The message is marked as handled."))
        return redirect("staff:held_messages")
    # What the message says, so staff can pass it on: for the engagement team only, audited.
    # Account emails are never shown: they carry sign-in secrets.
    content = None
    if (
        notification.category == NotificationCategory.GENERAL
        and may_see_contact_details(request.user)
        and request.method == "GET"
    ):
        content = notification.content[MessageDetail.FULL]
        log_restricted_view(
            notification, actor=request.user, fields=["content"], context="held message"
        )
    return render(
        request,
        "staff/message_handle.html",
        {"notification": notification, "form": form, "content": content},
    )
