"""Engagements and honoraria in the admin. Every write goes through recruitment.services; claims
and eligibility are never deleted here (erasure is the data-rights door's job). The restricted
eligibility fields appear only for staff with the permission (notes: engagement team and
finance; bank details and the paying partner: finance), and every view of them is audited."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext_lazy as _

from coprod.admin.restrictions import RestrictedLookupsMixin, restrict_lookups
from coprod.audit import log_restricted_view
from coprod.models import london_today
from recruitment.models import ClaimEvent, Engagement, HonorariumClaim, PaymentEligibility, Rate
from recruitment.permissions import may_see_bank_details, may_see_eligibility_notes
from recruitment.services import (
    approve_claim,
    cancel_engagement,
    complete_engagement,
    mark_claim_paid,
    record_engagement,
    record_payment_eligibility,
    set_payment_preference,
    set_rate,
)


class ServiceAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    """Runs a service for each selected row; a refusal is shown, the others go ahead."""

    def run_each(
        self, request: HttpRequest, queryset: QuerySet, service: Any, **kwargs: Any
    ) -> None:
        done = 0
        for obj in queryset:
            try:
                service(obj, by=request.user, **kwargs)
            except ValidationError as error:
                self.message_user(request, f"{obj}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)s done.") % {"count": done}, messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


ENGAGEMENT_FIELDS = [
    "person",
    "kind",
    "title",
    "date",
    "hours",
    "preparation_hours",
    "online",
    "travel",
    "childcare",
    "interpreter",
]


class EngagementForm(forms.ModelForm):
    """Refuses on the form what `record_engagement` would refuse when saving (the admin turns a
    refusal in `save_model` into an error page, and the typed entry would be lost)."""

    class Meta:
        model = Engagement
        fields = ENGAGEMENT_FIELDS

    def clean_person(self) -> Any:
        person = self.cleaned_data["person"]
        if person is not None and person.erased_at is not None:
            raise ValidationError(_("This person's information has been deleted."))
        return person


@admin.register(Engagement)
class EngagementAdmin(ServiceAdmin):
    form = EngagementForm
    list_display = ["__str__", "person", "kind", "date", "hours", "status"]
    list_select_related = ["person"]
    list_filter = ["kind", "status", "date"]
    autocomplete_fields = ["person"]
    actions = ["complete", "cancel"]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ENGAGEMENT_FIELDS if obj is None else [*ENGAGEMENT_FIELDS, "status", "source_key"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Recorded once; what happens next is completing or cancelling it.
        return [] if obj is None else self.get_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: Engagement, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = record_engagement(
            data["person"],
            by=request.user,
            kind=data["kind"],
            on=data["date"],
            hours=data["hours"],
            source_key=f"admin:{uuid4()}",
            title=data["title"],
            preparation_hours=data["preparation_hours"],
            online=data["online"],
            travel=data["travel"],
            childcare=data["childcare"],
            interpreter=data["interpreter"],
        )
        obj.pk = saved.pk

    @admin.action(description=_("Mark completed (and make the claim)"), permissions=["change"])
    def complete(self, request: HttpRequest, queryset: QuerySet[Engagement]) -> None:
        self.run_each(request, queryset, complete_engagement)

    @admin.action(description=_("Cancel"), permissions=["change"])
    def cancel(self, request: HttpRequest, queryset: QuerySet[Engagement]) -> None:
        self.run_each(request, queryset, cancel_engagement)


RATE_FIELDS = ["kind", "effective_from", "hourly", "daily", "preparation_hourly", "data_allowance"]


@admin.register(Rate)
class RateAdmin(ServiceAdmin):
    list_display = RATE_FIELDS
    list_filter = ["kind"]
    fields = RATE_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # A rate is history: a change is a new rate from a new date.
        return [] if obj is None else RATE_FIELDS

    def save_model(self, request: HttpRequest, obj: Rate, form: Any, change: bool) -> None:
        data = form.cleaned_data
        saved = set_rate(
            data["kind"],
            by=request.user,
            effective_from=data["effective_from"],
            hourly=data["hourly"],
            daily=data["daily"],
            preparation_hourly=data["preparation_hourly"],
            data_allowance=data["data_allowance"],
        )
        obj.pk = saved.pk


class EligibilityForm(forms.ModelForm):
    account_name = forms.CharField(label=_("Name on the account"), required=False)
    sort_code = forms.CharField(label=_("Sort code"), required=False)
    account_number = forms.CharField(label=_("Account number"), required=False)

    class Meta:
        model = PaymentEligibility
        fields = [
            "person",
            "status",
            "advice_source",
            "advice_date",
            "review_on",
            "preference",
            "staff_notes",
            "partner_organisation",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bank = self.instance.bank_details or {}
        for name in ("account_name", "sort_code", "account_number"):
            self.initial.setdefault(name, bank.get(name, ""))


REFUSED = "_payment_eligibility_refused"
ELIGIBILITY_FIELDS = ["person", "status", "advice_source", "advice_date", "review_on", "preference"]
BANK_FIELDS = ["account_name", "sort_code", "account_number", "partner_organisation"]


@admin.register(PaymentEligibility)
class PaymentEligibilityAdmin(ServiceAdmin):
    form = EligibilityForm
    list_display = ["person", "status", "preference", "review_on"]
    list_select_related = ["person"]
    list_filter = ["status", "preference", "review_on"]
    autocomplete_fields = ["person"]

    def restricted_fields(self, request: HttpRequest) -> list[str]:
        fields = []
        if may_see_eligibility_notes(request.user):
            fields.append("staff_notes")
        if may_see_bank_details(request.user):
            fields += ["bank_details", "partner_organisation"]
        return fields

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> list[tuple[Any, dict]]:
        fieldsets: list[tuple[Any, dict]] = [(None, {"fields": ELIGIBILITY_FIELDS})]
        if may_see_eligibility_notes(request.user):
            fieldsets.append((_("Restricted: notes"), {"fields": ["staff_notes"]}))
        if may_see_bank_details(request.user):
            fieldsets.append((_("Restricted: finance"), {"fields": BANK_FIELDS}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [] if obj is None else ["person"]

    def get_form(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        kwargs["fields"] = [
            name
            for _title, options in self.get_fieldsets(request, obj)
            for name in options["fields"]
            if name not in self.get_readonly_fields(request, obj)
            and name in EligibilityForm._meta.fields
        ]
        form = super().get_form(request, obj, **kwargs)
        if not may_see_bank_details(request.user):
            # Declared fields come with the form whatever `fields` says: take them out, so that
            # a post cannot carry them (the service would refuse them too).
            for name in ("account_name", "sort_code", "account_number"):
                form.base_fields.pop(name, None)
        return form

    def save_model(
        self, request: HttpRequest, obj: PaymentEligibility, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        person = obj.person
        try:
            # One form, two services: a refused preference undoes the eligibility too.
            with transaction.atomic():
                self._save_with_services(request, person, obj, data)
        except ValidationError as error:
            setattr(request, REFUSED, True)
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def _save_with_services(
        self, request: HttpRequest, person: Any, obj: PaymentEligibility, data: dict[str, Any]
    ) -> None:
        saved = record_payment_eligibility(
            person,
            by=request.user,
            status=data["status"],
            advice_source=data.get("advice_source", ""),
            advice_date=data.get("advice_date"),
            review_on=data.get("review_on"),
            staff_notes=data.get("staff_notes") if "staff_notes" in data else None,
        )
        obj.pk = saved.pk
        bank_given = any(data.get(name) for name in ("account_name", "sort_code"))
        partner_given = bool(data.get("partner_organisation"))
        if partner_given and not (data.get("preference") or saved.preference):
            raise ValidationError(
                _("Choose how the person is paid, then the partner organisation is saved with it.")
            )
        if data.get("preference") or bank_given or partner_given:
            set_payment_preference(
                person,
                by=request.user,
                preference=data.get("preference") or saved.preference,
                bank_details={
                    name: data.get(name, "")
                    for name in ("account_name", "sort_code", "account_number")
                }
                if bank_given
                else None,
                partner_organisation=data.get("partner_organisation")
                if "partner_organisation" in data
                else None,
            )

    # Refused: nothing was saved, so nothing is logged as changed and no success is claimed;
    # the form is shown again with the reason.
    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return (
            None
            if getattr(request, REFUSED, False)
            else super().log_addition(request, obj, message)
        )

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        return (
            None if getattr(request, REFUSED, False) else super().log_change(request, obj, message)
        )

    def response_add(self, request: HttpRequest, obj: Any, post_url_continue: Any = None) -> Any:
        if getattr(request, REFUSED, False):
            return HttpResponseRedirect(request.path)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request: HttpRequest, obj: Any) -> Any:
        if getattr(request, REFUSED, False):
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        eligibility = (getattr(response, "context_data", None) or {}).get("original")
        shown = self.restricted_fields(request)
        if response.status_code == 200 and eligibility is not None and shown:
            log_restricted_view(eligibility, actor=request.user, fields=shown, context="admin")
        return response


class ClaimEventInline(admin.TabularInline):
    model = ClaimEvent
    extra = 0
    can_delete = False
    fields = ["from_status", "to_status", "at", "by", "by_process", "note"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


CLAIM_FIELDS = [
    "reference",
    "engagement",
    "status",
    "method",
    "fee",
    "allowances",
    "expenses",
    "expenses_note",
    "pay_by",
    "submitted_at",
    "approved_at",
    "paid_on",
    "payment_reference",
    "days_to_pay",
]


@admin.register(HonorariumClaim)
class HonorariumClaimAdmin(ServiceAdmin):
    list_display = ["reference", "person", "status", "method", "total", "pay_by", "paid_on"]
    list_select_related = ["engagement__person"]
    list_filter = ["status", "method", "pay_by"]
    search_fields = ["reference"]
    fields = CLAIM_FIELDS
    readonly_fields = CLAIM_FIELDS
    inlines = [ClaimEventInline]
    actions = ["approve", "mark_paid_today"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # claims come from completed engagements (create_claim)

    @admin.display(description=_("person"))
    def person(self, claim: HonorariumClaim) -> str:
        return claim.engagement.person.display_name

    @admin.display(description=_("total"))
    def total(self, claim: HonorariumClaim) -> str:
        return f"£{claim.total:.2f}"

    @admin.action(description=_("Approve for payment"), permissions=["approve"])
    def approve(self, request: HttpRequest, queryset: QuerySet[HonorariumClaim]) -> None:
        self.run_each(request, queryset, approve_claim)

    @admin.action(
        description=_("Mark paid today (reference: the claim's own, as in the export)"),
        permissions=["mark_paid"],
    )
    def mark_paid_today(self, request: HttpRequest, queryset: QuerySet[HonorariumClaim]) -> None:
        today = london_today()
        for claim in queryset:
            try:
                mark_claim_paid(claim, by=request.user, paid_on=today, reference=claim.reference)
            except ValidationError as error:
                self.message_user(request, f"{claim}: {' '.join(error.messages)}", messages.ERROR)

    def has_approve_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("recruitment.approve_claim")

    def has_mark_paid_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("recruitment.mark_claim_paid")


# Bank details and the paying partner are encrypted (never filtered); the eligibility itself
# (benefits, immigration) is restricted to staff who may see eligibility at all.
restrict_lookups(
    PaymentEligibility,
    ["status", "advice_source", "staff_notes"],
    visible_to=lambda user: user.is_staff and user.has_perm("recruitment.view_paymenteligibility"),
)


# Opportunities and training (staff side of selection) -----------------------------------------
# Imported here, beside their admins, so that the sections above stay as they were.
from recruitment.enums import OpportunityStatus  # noqa: E402
from recruitment.models import (  # noqa: E402
    Opportunity,
    SelectionCriterion,
    TrainingCompletion,
    TrainingModule,
)
from recruitment.services.selection import (  # noqa: E402
    close_opportunity,
    mark_opportunity_filled,
    publish_opportunity,
)
from recruitment.services.training import record_training_completion  # noqa: E402


class SelectionCriterionInline(admin.TabularInline):
    model = SelectionCriterion
    extra = 1
    fields = ["name", "guidance", "max_score", "order"]


@admin.register(Opportunity)
class OpportunityAdmin(ServiceAdmin):
    """Written and edited here; its status changes only through the services (the actions
    below, or the buttons on the staff selection page)."""

    list_display = ["title", "role_sought", "status", "closes_at", "places"]
    list_filter = ["status", "role_sought", "mode"]
    search_fields = ["title"]
    inlines = [SelectionCriterionInline]
    filter_horizontal = ["required_modules"]
    readonly_fields = ["status", "published_at", "shortlist_fixed_at"]
    exclude = ["created_by"]
    actions = ["publish", "close", "mark_filled"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Decided before publishing: switched off once applications can come in, it would show
        # the applicants' names and referrers before the shortlist is fixed.
        if obj is not None and obj.status != OpportunityStatus.DRAFT:
            return [*self.readonly_fields, "blind_shortlisting"]
        return list(self.readonly_fields)

    def save_model(self, request: HttpRequest, obj: Opportunity, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish (open for applications)"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet[Opportunity]) -> None:
        self.run_each(request, queryset, publish_opportunity)

    @admin.action(description=_("Close (no more applications)"), permissions=["change"])
    def close(self, request: HttpRequest, queryset: QuerySet[Opportunity]) -> None:
        self.run_each(request, queryset, close_opportunity)

    @admin.action(description=_("Mark as filled"), permissions=["change"])
    def mark_filled(self, request: HttpRequest, queryset: QuerySet[Opportunity]) -> None:
        self.run_each(request, queryset, mark_opportunity_filled)


@admin.register(TrainingModule)
class TrainingModuleAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["name", "hours", "active"]
    list_filter = ["active"]
    search_fields = ["name"]


TRAINING_FIELDS = ["person", "module", "completed_on"]


class TrainingCompletionForm(forms.ModelForm):
    class Meta:
        model = TrainingCompletion
        fields = TRAINING_FIELDS

    def clean_completed_on(self) -> Any:
        completed_on = self.cleaned_data["completed_on"]
        if completed_on > london_today():
            raise ValidationError(_("The date the training was completed cannot be in the future."))
        return completed_on


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(ServiceAdmin):
    form = TrainingCompletionForm
    list_display = ["module", "person", "completed_on", "recorded_by"]
    list_select_related = ["module", "person", "recorded_by__person"]
    list_filter = ["module", "completed_on"]
    autocomplete_fields = ["person"]
    fields = TRAINING_FIELDS

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Recorded once (record_training_completion); a mistake is corrected by a superuser.
        return [] if obj is None else TRAINING_FIELDS

    def save_model(
        self, request: HttpRequest, obj: TrainingCompletion, form: Any, change: bool
    ) -> None:
        data = form.cleaned_data
        saved = record_training_completion(
            data["person"], data["module"], by=request.user, completed_on=data["completed_on"]
        )
        obj.pk = saved.pk
