"""The library in the admin: tags (named and renamed here), and resources, read-only. Proposing,
publishing, declining and editing go through the staff pages (partnerships.services.library), which
tell the proposer; contributors' credit is theirs alone to switch on, in the portal, so it is
shown here and never changed."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from coprod.admin.restrictions import RestrictedLookupsMixin
from partnerships.models import Resource, ResourceContributor, Tag


@admin.register(Tag)
class TagAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


class ContributorInline(admin.TabularInline):
    model = ResourceContributor
    fields = ["contributor", "credited", "credit_agreed_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def get_queryset(self, request: HttpRequest) -> QuerySet[ResourceContributor]:
        # Each row shows its person's display name: one query for all, not one a row.
        return super().get_queryset(request).select_related("person")

    @admin.display(description=_("contributor"))
    def contributor(self, obj: ResourceContributor) -> str:
        return obj.person.display_name

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Resource)
class ResourceAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "status", "published_at"]
    list_filter = ["status", "kind", "tags"]
    search_fields = ["title"]
    list_select_related = ["partnership"]
    fields = [
        "title",
        "kind",
        "status",
        "summary",
        "body",
        "file_name",
        "tags",
        "partnership",
        "proposer",
        "published_at",
        "decline_reason",
        "staff_page",
    ]
    readonly_fields = fields
    inlines = [ContributorInline]

    @admin.display(description=_("proposed by"))
    def proposer(self, obj: Resource) -> str:
        return obj.proposed_by.display_name if obj.proposed_by_id else "—"

    @admin.display(description=_("publish, decline or edit"))
    def staff_page(self, obj: Resource) -> str:
        url = reverse("partnerships_library_staff:resource", kwargs={"resource_id": obj.pk})
        return format_html('<a href="{}">{}</a>', url, _("On the library's staff pages"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
