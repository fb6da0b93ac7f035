"""Organisations (with their practitioners), partnerships and members in the admin.

People appear by display name only (Person.__str__, User.__str__), never by email. The ladder is
read-only here: a partnership moves on it through the staff page ("Move on the ladder"), which
records who agreed and why; a partnership is created there too, so its first step is recorded.
Memberships are added and ended on the staff page, which checks the person's roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from coprod.admin.restrictions import RestrictedLookupsMixin
from coprod.models import Person
from partnerships.models import (
    LevelChange,
    Organisation,
    OrganisationPractitioner,
    Partnership,
    PartnershipMember,
)
from partnerships.selectors.partnerships import lead_choices
from partnerships.services.partnerships import PARTNERSHIP_FIELDS, update_partnership


class PractitionerInlineForm(forms.ModelForm):
    class Meta:
        model = OrganisationPractitioner
        fields = ["person"]

    def clean_person(self) -> Person:
        person = self.cleaned_data["person"]
        if not Person.objects.support_workers().filter(pk=person.pk).exists():
            raise ValidationError(_("This person does not hold the practitioner role now."))
        return person


class PractitionerInline(admin.TabularInline):
    model = OrganisationPractitioner
    form = PractitionerInlineForm
    extra = 0
    autocomplete_fields = ["person"]
    readonly_fields = ["added_at"]
    verbose_name = _("practitioner")
    verbose_name_plural = _("practitioners")


@admin.register(Organisation)
class OrganisationAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "region"]
    list_filter = ["kind"]
    search_fields = ["name", "region"]
    inlines = [PractitionerInline]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if isinstance(db_field, models.URLField):
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class LevelChangeInline(admin.TabularInline):
    model = LevelChange
    extra = 0
    can_delete = False
    fields = ["changed_on", "from_level", "to_level", "agreed_by", "reason", "justification"]
    readonly_fields = fields
    verbose_name_plural = _("changes on the ladder (made on the staff page)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class MemberInline(admin.TabularInline):
    model = PartnershipMember
    extra = 0
    can_delete = False
    fields = ["person", "role", "joined_on", "left_on"]
    readonly_fields = fields
    verbose_name_plural = _("members (added and ended on the staff page)")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Partnership)
class PartnershipAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "status", "level", "lead", "starts_on"]
    list_filter = ["status", "level"]
    search_fields = ["title"]
    list_select_related = ["lead__person"]
    fields = [*PARTNERSHIP_FIELDS, "organisations", "level"]
    readonly_fields = ["level"]
    filter_horizontal = ["organisations"]
    inlines = [LevelChangeInline, MemberInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Created on the staff page, which records the first step on the ladder.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A partnership's history (the ladder, decisions, meetings) is kept: end it instead.
        return False

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        # The service refuses an inactive lead; offering one here would end in a server error
        # on save instead of an error on the form.
        if db_field.name == "lead":
            kwargs["queryset"] = lead_choices()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Partnership, form: Any, change: bool) -> None:
        update_partnership(
            obj,
            by=request.user,
            **{name: form.cleaned_data[name] for name in PARTNERSHIP_FIELDS},
        )


@admin.register(PartnershipMember)
class PartnershipMemberAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["partnership", "person", "role", "joined_on", "left_on"]
    list_filter = ["role"]
    list_select_related = ["partnership", "person"]
    search_fields = ["partnership__title", "person__chosen_name", "person__generated_name"]
    readonly_fields = ["partnership", "person", "role", "joined_on", "left_on", "added_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
