"""Staff pages for the shared core: invitations and messages that need a person's attention.

Every view goes through the access door (coprod.permissions): a page for a kind of staff is a
403 for anyone else; an object comes from a `_for_user` selector, so what a user may not see is a
404, and an action they may not take on it is a 403."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.audit import log_restricted_view
from coprod.enums import MessageDetail, NotificationCategory
from coprod.fields import without_encrypted
from coprod.forms import EraseForm, HandleMessageForm, InvitationForm, NewInvitationLinkForm
from coprod.models import Invitation
from coprod.pagination import page_of
from coprod.permissions import (
    get_object_for_user,
    is_staff_with,
    may_change_invitation,
    may_erase,
    may_handle_message,
    may_invite,
    may_manage_held_messages,
    may_see_contact_details,
    require,
)
from coprod.selectors import (
    erasure_requests_for_user,
    held_notifications_for_user,
    invitations_for_user,
    personal_data_holders,
    staff_home_sections,
)
from coprod.services.invitations import (
    create_invitation,
    replace_invitation_link,
    revoke_invitation,
)
from coprod.services.notifications import mark_notification_handled
from coprod.services.rights import erase_person, erasure_refusal

# Rows per page of the staff lists (coprod.pagination).
PER_PAGE = 50


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/")


@require_http_methods(["GET"])
def home(request: HttpRequest) -> HttpResponse:
    require(request, is_staff_with(request.user))
    return render(request, "staff/home.html", {"sections": staff_home_sections(request.user)})


@require_http_methods(["GET"])
def invitation_list(request: HttpRequest) -> HttpResponse:
    require(request, is_staff_with(request.user, "coprod.view_invitation"))
    page = page_of(
        request,
        without_encrypted(
            invitations_for_user(request.user).order_by("-created_at"),
            "person",
            "invited_by__person",
        ),
        per_page=PER_PAGE,
    )
    return render(request, "staff/invitation_list.html", {"page": page})


def _invitation_page(
    request: HttpRequest,
    invitation: Invitation,
    *,
    link: str | None = None,
    form: NewInvitationLinkForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The invitation's page. A new link is shown in this response only: it is never stored,
    in the session, a cookie or the database (only its hash is)."""
    return render(
        request,
        "staff/invitation_detail.html",
        {
            "invitation": invitation,
            "link": link,
            "may_change": may_invite(request.user),
            "new_link_form": form or NewInvitationLinkForm(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def invitation_create(request: HttpRequest) -> HttpResponse:
    require(request, may_invite(request.user))
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, link = create_invitation(
                email=data["email"],
                role=data["role"],
                by=request.user,
                person=data["person"],
                chosen_name=data["chosen_name"],
                send_email=data["send_email"] == "yes",
                base_url=_base_url(request),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _invitation_page(request, invitation, link=link)
    return render(request, "staff/invitation_form.html", {"form": form})


@require_http_methods(["GET"])
def invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_for_user(request, invitations_for_user, pk=pk)
    return _invitation_page(request, invitation)


@require_POST
def invitation_new_link(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_for_user(
        request, invitations_for_user, action=may_change_invitation, pk=pk
    )
    form = NewInvitationLinkForm(request.POST)
    if not form.is_valid():
        return _invitation_page(request, invitation, form=form, status=400)
    try:
        link = replace_invitation_link(
            invitation,
            by=request.user,
            send_email=form.cleaned_data["send_email"] == "yes",
            base_url=_base_url(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("staff:invitation_detail", pk=invitation.pk)
    invitation.refresh_from_db()
    return _invitation_page(request, invitation, link=link)


@require_POST
def invitation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_for_user(
        request, invitations_for_user, action=may_change_invitation, pk=pk
    )
    revoke_invitation(invitation, by=request.user)
    messages.success(request, _("The invitation is cancelled. Its link no longer works."))
    return redirect("staff:invitation_detail", pk=invitation.pk)


@require_http_methods(["GET"])
def held_messages(request: HttpRequest) -> HttpResponse:
    require(request, may_manage_held_messages(request.user))
    page = page_of(
        request,
        without_encrypted(held_notifications_for_user(request.user), "person"),
        per_page=PER_PAGE,
    )
    return render(request, "staff/held_messages.html", {"page": page})


@require_http_methods(["GET", "POST"])
def message_handle(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_for_user(
        request, held_notifications_for_user, action=may_handle_message, pk=pk
    )
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


@require_http_methods(["GET"])
def erasure_requests(request: HttpRequest) -> HttpResponse:
    require(request, is_staff_with(request.user, "coprod.view_erasurerequest"))
    page = page_of(
        request,
        without_encrypted(
            erasure_requests_for_user(request.user).order_by("status", "-requested_at"), "person"
        ),
        per_page=PER_PAGE,
    )
    return render(request, "staff/erasure_requests.html", {"page": page})


@require_http_methods(["GET", "POST"])
def erasure_request(request: HttpRequest, pk: int) -> HttpResponse:
    erasure = get_object_for_user(request, erasure_requests_for_user, pk=pk)
    refusal = erasure_refusal(erasure, by=request.user) if may_erase(request.user, erasure) else ""
    allowed = may_erase(request.user, erasure) and not refusal
    form = EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(request, allowed)
        if form.is_valid():
            try:
                erase_person(erasure, by=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Their information is deleted."))
                return redirect("staff:erasure_requests")
    return render(
        request,
        "staff/erasure_request.html",
        {
            "erasure": erasure,
            "form": form,
            "may_erase": allowed,
            "refusal": refusal,
            "holders": personal_data_holders(),
        },
    )
