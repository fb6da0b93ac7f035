"""The Django admin for the shared core. Writes go through services; restricted fields appear only
for staff with the permission, never in lists, and each view of them is audited. Nobody filters a
list on an encrypted field, nor on a restricted field they may not see (RestrictedLookupsMixin)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.db.models.constants import LOOKUP_SEP
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from coprod.audit import log_restricted_view
from coprod.enums import ContactChannel, PersonStatus, Role, SafeTime
from coprod.fields import EncryptedJSONField, EncryptedTextField
from coprod.models import (
    ConsentRecord,
    ConsentText,
    Invitation,
    Notification,
    Person,
    RoleGrant,
    SafeContactPreferences,
    User,
)
from coprod.permissions import may_see_contact_details, may_see_legal_name
from coprod.services.consent import publish_consent_text
from coprod.services.contact import STAFF_FIELDS as SAFE_CONTACT_STAFF_FIELDS
from coprod.services.contact import update_safe_contact
from coprod.services.invitations import create_invitation
from coprod.services.people import (
    create_person,
    create_user_for_person,
    ensure_email_is_free,
    save_person_record,
    set_involvement_status,
)
from coprod.services.rights import request_erasure
from coprod.services.roles import end_role, grant_role, promote_to_lee

# Every field of the model, and any lookup that reaches the model through a relation.
ALL_FIELDS = "__all__"

_RESTRICTED: dict[type[models.Model], list[tuple[str | frozenset[str], Callable[[Any], bool]]]] = {}


def restrict_lookups(
    model: type[models.Model],
    fields: Iterable[str] | str,
    *,
    visible_to: Callable[[Any], bool],
) -> None:
    """Declare restricted fields of `model` (names, or ALL_FIELDS) and who may see them:
    `visible_to(user)`, a predicate from the app's permissions module. Admin lists refuse to filter
    on them, through any relation, for everyone else, and leave them out of the list filters.

    Later apps declare theirs in their admin.py, next to the ModelAdmin (which uses
    RestrictedLookupsMixin), e.g.
    `restrict_lookups(Claim, ["payment_details"], visible_to=may_see_payment_details)`.
    Encrypted fields need no declaration: nobody filters on them."""
    names = fields if fields == ALL_FIELDS else frozenset(fields)
    _RESTRICTED.setdefault(model, []).append((names, visible_to))


def _restricted_for(model: type[models.Model], name: str, user: Any) -> bool:
    return any(
        (names == ALL_FIELDS or name in names) and not (user is not None and visible_to(user))
        for names, visible_to in _RESTRICTED.get(model, ())
    )


def touches_hidden_field(model: type[models.Model], lookup: str, user: Any) -> bool:
    """Does the filter `lookup` (e.g. "safe_contact__channels__contains") touch an encrypted field,
    or a restricted field that `user` may not see, on any model along its path?"""
    for part in lookup.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return False  # a transform or a lookup ("contains"): the fields end here
        if isinstance(field, EncryptedTextField | EncryptedJSONField):
            return True
        if _restricted_for(model, field.name, user):
            return True
        if not field.is_relation or field.related_model is None:
            return False
        model = field.related_model
        if _restricted_for(model, ALL_FIELDS, user):
            return True
    return False


class RestrictedLookupsMixin:
    """For every ModelAdmin. Filtering an encrypted field only leaks: every Fernet token starts
    with "gAAAAA", so `?legal_name__startswith=g` would list who has a legal name on file. And
    filtering a restricted field (`?access_needs__isnull=False`, `?user__email__startswith=a`)
    tells staff who may not see it something about its value. Django answers such a lookup with
    400; list filters on them are not offered. Declare restricted fields with restrict_lookups."""

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        user = getattr(request, "user", None)
        if touches_hidden_field(self.model, lookup, user):  # type: ignore[attr-defined]
            return False
        return super().lookup_allowed(lookup, value, request)  # type: ignore[misc]

    def get_list_filter(self, request: HttpRequest) -> list[Any]:
        return [
            list_filter
            for list_filter in super().get_list_filter(request)  # type: ignore[misc]
            if not _filters_hidden_field(self.model, list_filter, request.user)  # type: ignore[attr-defined]
        ]


def _filters_hidden_field(model: type[models.Model], list_filter: Any, user: Any) -> bool:
    path = list_filter[0] if isinstance(list_filter, list | tuple) else list_filter
    return isinstance(path, str) and touches_hidden_field(model, path, user)


restrict_lookups(Person, Person.RESTRICTED_FINANCE_FIELDS, visible_to=may_see_legal_name)
restrict_lookups(Person, Person.RESTRICTED_ENGAGEMENT_FIELDS, visible_to=may_see_contact_details)
# The sign-in email is a contact detail too.
restrict_lookups(User, ["email"], visible_to=may_see_contact_details)
# Restricted as a whole: also who supports whom (Person.supported_people).
restrict_lookups(SafeContactPreferences, ALL_FIELDS, visible_to=may_see_contact_details)


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
