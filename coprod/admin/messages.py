"""Consent texts (published, never changed) and the outbox (what was sent, no content)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from coprod.admin.restrictions import RestrictedLookupsMixin
from coprod.models import (
    ConsentText,
    Notification,
)
from coprod.services.consent import publish_consent_text


@admin.register(ConsentText)
class ConsentTextAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["purpose", "version", "title", "published_at"]
    list_filter = ["purpose"]
    fields = ["purpose", "title", "body"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A published text never changes: publish a new version instead.
        return False

    def save_model(self, request: HttpRequest, obj: ConsentText, form: Any, change: bool) -> None:
        text = publish_consent_text(
            form.cleaned_data["purpose"],
            title=form.cleaned_data["title"],
            body=form.cleaned_data["body"],
            by=request.user,
        )
        obj.pk = text.pk


@admin.register(Notification)
class NotificationAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    """What was sent when, and what is held. Content is not shown here (it may be sensitive)."""

    list_display = ["kind", "category", "person", "status", "hold_reason", "created_at", "sent_at"]
    list_select_related = ["person"]
    list_filter = ["status", "category", "hold_reason"]
    fields = [
        "kind",
        "category",
        "person",
        "status",
        "hold_reason",
        "send_after",
        "attempts",
        "sent_at",
        "sent_variant",
        "routed_via",
        "last_error",
        "handled_by",
        "created_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
