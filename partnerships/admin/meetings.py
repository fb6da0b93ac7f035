"""Agreements and meetings in the admin: read-only. Changes carry rules the staff pages' services
keep (a document checked by its content and stored privately, invitations through the outbox,
attendance that records engagements), so they are made there."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from coprod.admin.restrictions import RestrictedLookupsMixin
from partnerships.models import Agreement, Meeting, MeetingInvitation


class ReadOnlyAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "kind", "signed_on", "review_on"]
    list_filter = ["kind"]
    list_select_related = ["partnership"]
    exclude = ["document"]
    search_fields = ["title"]


class InvitationInline(admin.TabularInline):
    model = MeetingInvitation
    fields = ["member", "attended", "travel_cost", "childcare_cost", "interpreter_cost"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "partnership", "starts_at", "status"]
    list_filter = ["status"]
    list_select_related = ["partnership"]
    search_fields = ["title"]
    inlines = [InvitationInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
