"""People and their logins in the admin: restricted fields only for staff with the
permission, never in lists, each view audited; writes go through services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from coprod.admin.restrictions import RestrictedLookupsMixin
from coprod.audit import log_restricted_view
from coprod.enums import ContactChannel, PersonStatus, Role, SafeTime
from coprod.models import (
    ConsentRecord,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
)
from coprod.permissions import may_see_contact_details, may_see_legal_name
from coprod.services.contact import STAFF_FIELDS as SAFE_CONTACT_STAFF_FIELDS
from coprod.services.contact import update_safe_contact
from coprod.services.people import (
    create_person,
    create_user_for_person,
    save_person_record,
    set_involvement_status,
)
from coprod.services.rights import request_erasure
from coprod.services.roles import end_role, grant_role, promote_to_lee


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "person"
    extra = 0
    can_delete = False
    fields = ["role", "starts_on", "ends_on", "source", "granted_by", "note"]
    readonly_fields = ["source", "granted_by"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return self.readonly_fields


class ConsentInline(admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = ["purpose", "text", "given_at", "withdrawn_at", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SafeContactAdminForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("Safe ways to contact"),
        choices=ContactChannel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    safe_times = forms.MultipleChoiceField(
        label=_("Safe times"),
        choices=SafeTime.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = SafeContactPreferences
        fields = list(SAFE_CONTACT_STAFF_FIELDS)


class SafeContactInline(admin.StackedInline):
    model = SafeContactPreferences
    form = SafeContactAdminForm
    fk_name = "person"
    can_delete = False
    autocomplete_fields = ["support_worker"]
    fields = [*SAFE_CONTACT_STAFF_FIELDS, "confirmed_at"]
    readonly_fields = ["confirmed_at"]


class RoleFilter(admin.SimpleListFilter):
    title = _("role held today")
    parameter_name = "role"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Role.choices)

    def queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> QuerySet[Person]:
        if self.value() in Role.values:
            return queryset.holding(self.value())
        return queryset


@admin.register(Person)
class PersonAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["display_name", "roles_today", "status", "created_at"]
    list_filter = ["status", RoleFilter]
    # Only names everyone may see are searchable: restricted fields are encrypted and never listed.
    search_fields = ["chosen_name", "generated_name"]
    readonly_fields = ["generated_name", "status", "status_changed_at", "created_at"]
    inlines = [RoleGrantInline, ConsentInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A person is erased (every app's records, coprod.services.rights), never deleted here.
        return False

    actions = [
        "pause",
        "resume",
        "withdraw",
        "make_lived_experience_expert",
        "record_erasure_request",
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Person]:
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("role_grants", RoleGrant.objects.current(), to_attr="grants_today")
            )
        )

    @admin.display(description=_("roles today"))
    def roles_today(self, person: Person) -> str:
        return ", ".join(sorted(grant.get_role_display() for grant in person.grants_today))

    @admin.display(description=_("display name"), ordering="chosen_name")
    def display_name(self, person: Person) -> str:
        return person.display_name

    def restricted_fields(self, request: HttpRequest) -> list[str]:
        fields: list[str] = []
        if may_see_legal_name(request.user):
            fields += Person.RESTRICTED_FINANCE_FIELDS
        if may_see_contact_details(request.user):
            fields += Person.RESTRICTED_ENGAGEMENT_FIELDS
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[tuple[Any, dict]]:
        fieldsets: list[tuple[Any, dict]] = [
            (
                None,
                {
                    "fields": [
                        "chosen_name",
                        "generated_name",
                        "pronouns",
                        "preferred_language",
                        "needs_interpreter",
                        "status",
                        "status_changed_at",
                    ]
                },
            )
        ]
        if may_see_legal_name(request.user):
            fieldsets.append((_("Restricted: finance"), {"fields": ["legal_name"]}))
        if may_see_contact_details(request.user):
            fieldsets.append(
                (
                    _("Restricted: contact and access"),
                    {"fields": list(Person.RESTRICTED_ENGAGEMENT_FIELDS)},
                )
            )
        return fieldsets

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        inlines = list(self.inlines)
        if may_see_contact_details(request.user):
            inlines.append(SafeContactInline)
        return inlines

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        # Every time the form is shown: on GET, and again with errors after a POST, when the
        # restricted values are on screen again. A saved form redirects and shows nothing.
        person = (getattr(response, "context_data", None) or {}).get("original")
        if response.status_code != 200 or person is None:
            return response
        shown = self.restricted_fields(request)
        if may_see_contact_details(request.user):
            shown += ["safe_contact"]
        if shown:
            # One entry per page shown.
            log_restricted_view(person, actor=request.user, fields=shown, context="admin")
        return response

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        save_person_record(obj, by=request.user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # What formset.save() would have recorded; the admin's change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if formset.model is SafeContactPreferences:
            self._save_safe_contact(request, form.instance, formset)
        elif formset.model is RoleGrant:
            self._save_role_grants(request, form.instance, formset)
        else:
            formset.save()

    def _save_safe_contact(self, request: HttpRequest, person: Person, formset: Any) -> None:
        """Through the service, so that new preferences release messages they now allow."""
        for inline_form in formset.forms:
            if not inline_form.has_changed():
                continue
            changes = {
                name: inline_form.cleaned_data[name]
                for name in inline_form.changed_data
                if name in SAFE_CONTACT_STAFF_FIELDS
            }
            prefs = update_safe_contact(person, by=request.user, confirm=False, **changes)
            formset.changed_objects.append((prefs, list(changes)))

    def _save_role_grants(self, request: HttpRequest, person: Person, formset: Any) -> None:
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.is_valid():
                continue
            data = inline_form.cleaned_data
            grant = inline_form.instance
            if grant.pk is not None and set(inline_form.changed_data) - {"ends_on"}:
                self.message_user(
                    request,
                    _(
                        "Only the end date of an existing role can change. To change anything "
                        "else, end it and grant the role again."
                    ),
                    messages.ERROR,
                )
                continue
            try:
                if grant.pk is None:
                    new_grant = grant_role(
                        person,
                        data["role"],
                        by=request.user,
                        starts_on=data["starts_on"],
                        ends_on=data.get("ends_on"),
                        note=data.get("note", ""),
                    )
                    formset.new_objects.append(new_grant)
                elif data.get("ends_on"):
                    ended = end_role(
                        RoleGrant.objects.get(pk=grant.pk), by=request.user, ends_on=data["ends_on"]
                    )
                    formset.changed_objects.append((ended, ["ends_on"]))
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)

    @admin.action(description=_("Pause involvement"), permissions=["change"])
    def pause(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        for person in queryset:
            set_involvement_status(person, PersonStatus.PAUSED, by=request.user)

    @admin.action(description=_("Mark as withdrawn (stopped taking part)"), permissions=["change"])
    def withdraw(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        for person in queryset:
            set_involvement_status(person, PersonStatus.WITHDRAWN, by=request.user)

    @admin.action(description=_("Resume involvement"), permissions=["change"])
    def resume(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        for person in queryset:
            set_involvement_status(person, PersonStatus.ACTIVE, by=request.user)

    @admin.action(
        description=_("Make lived experience expert (from today)"), permissions=["change"]
    )
    def make_lived_experience_expert(
        self, request: HttpRequest, queryset: QuerySet[Person]
    ) -> None:
        for person in queryset:
            try:
                promote_to_lee(person, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{person.display_name}: {' '.join(error.messages)}", messages.ERROR
                )

    @admin.action(
        description=_("Record their request to delete all their information"),
        permissions=["erase"],
    )
    def record_erasure_request(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        """For a request made by phone, letter or in person: it joins the engagement team's list
        (staff:erasure_requests), where it is carried out like one made in the portal."""
        for person in queryset.filter(erased_at__isnull=True):
            request_erasure(person, by=request.user)

    def has_erase_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("coprod.erase_person")

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Person], search_term: str
    ) -> tuple[QuerySet[Person], bool]:
        """Choosing a support worker (the contact-preferences inline's autocomplete) offers
        only people who may be one: active, with a current practitioner role."""
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if (
            request.GET.get("model_name") == "safecontactpreferences"
            and request.GET.get("field_name") == "support_worker"
        ):
            queryset = queryset.support_workers()
        return queryset, may_have_duplicates


class UserCreationForm(forms.ModelForm):
    password = forms.CharField(widget=forms.PasswordInput, required=False, strip=False)

    class Meta:
        model = User
        fields = ["email", "is_staff"]


@admin.register(User)
class UserAdmin(RestrictedLookupsMixin, DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "person", "is_staff", "is_active", "last_login"]
    list_select_related = ["person"]
    list_filter = ["is_staff", "is_active", "groups"]
    search_fields = ["email"]
    readonly_fields = ["person", "last_login", "date_joined"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Never deleted: audit entries name their actor, and the database lets nobody change
        # them. A person who asks to be forgotten is erased (their login emptied) instead.
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # People change their own sign-in email (re-authentication and verification, by allauth);
        # editing it here would leave allauth's verified address behind.
        if obj is not None:
            return [*self.readonly_fields, "email"]
        return self.readonly_fields

    fieldsets = [
        (None, {"fields": ["email", "person"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "is_staff"]})]
    add_form = UserCreationForm
    filter_horizontal = ["groups"]

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new login always comes with its own Person; they set a password through the reset
        # email, which also verifies the address. Invitations are the usual way in.
        created = create_user_for_person(
            create_person(),
            email=obj.email,
            password=None,
            email_verified=False,
            is_staff=obj.is_staff,
        )
        obj.pk, obj.person = created.pk, created.person
        obj._state.adding = False
