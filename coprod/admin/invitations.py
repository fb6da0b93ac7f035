"""Invitations in the admin: created through the service, the link shown once."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from coprod.admin.restrictions import RestrictedLookupsMixin
from coprod.models import (
    Invitation,
    Person,
)
from coprod.services.invitations import create_invitation
from coprod.services.people import (
    ensure_email_is_free,
)


class InvitationAddForm(forms.ModelForm):
    email = forms.EmailField(label=_("Email address"))
    chosen_name = forms.CharField(required=False, label=_("Display name for someone new"))
    send_email = forms.BooleanField(required=False, initial=True, label=_("Send the link by email"))

    class Meta:
        model = Invitation
        fields = ["email", "role", "person"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Empty for someone new: the service creates their Person.
        self.fields["person"].required = False

    def clean_email(self) -> str:
        return ensure_email_is_free(self.cleaned_data["email"])

    def clean_person(self) -> Person | None:
        person = self.cleaned_data.get("person")
        if person is not None and person.login is not None:
            raise ValidationError(_("This person already has an account."))
        return person


@admin.register(Invitation)
class InvitationAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["person", "role", "status", "expires_at", "invited_by", "created_at"]
    list_select_related = ["person", "invited_by__person"]
    list_filter = ["status", "role"]
    autocomplete_fields = ["person"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = InvitationAddForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        if obj is None:
            return ["email", "role", "person", "chosen_name", "send_email"]
        return [
            "person",
            "role",
            "status",
            "expires_at",
            "invited_by",
            "sent_by_email",
            "accepted_at",
        ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Invitation, form: Any, change: bool) -> None:
        data = form.cleaned_data
        invitation, link = create_invitation(
            email=data["email"],
            role=data["role"],
            by=request.user,
            person=data.get("person"),
            chosen_name=data.get("chosen_name", ""),
            send_email=data.get("send_email", False),
            base_url=request.build_absolute_uri("/"),
        )
        obj.pk = invitation.pk
        obj.new_link = link  # for response_add; never saved

    def response_add(
        self, request: HttpRequest, obj: Invitation, post_url_continue: str | None = None
    ) -> HttpResponse:
        """Show the new link on this page, once. Not in a message: messages wait in a cookie (or
        the session) until they are shown, and the link is a sign-in secret."""
        context = {
            **self.admin_site.each_context(request),
            "title": _("Invitation link"),
            "opts": self.opts,
            "invitation": obj,
            "link": obj.new_link,
            "days": settings.COPROD_INVITATION_DAYS,
        }
        return TemplateResponse(request, "admin/coprod/invitation/link_once.html", context)
