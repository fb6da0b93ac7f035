"""Funding calls (with their criteria) and proposals in the admin. A call's status changes only
through funding.services.move_call (the actions); its lived experience criterion cannot be
removed. Proposals are read-only here: staff record eligibility, through the service (which
tells the applicant). Drafts are not shown: they are the applicant's until sent."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from coprod.admin.restrictions import RestrictedLookupsMixin
from funding.enums import CallStatus, Eligibility, ProposalStatus
from funding.models import Call, Criterion, Proposal
from funding.services import add_lived_experience_criterion, move_call, record_eligibility


class CriterionFormSet(forms.BaseInlineFormSet):
    """A criterion's own checks (funding.models.Criterion.clean) refuse re-weighting and adding
    once the call is open; deleting is refused here, before anything is saved."""

    def clean(self) -> None:
        super().clean()
        for form in self.forms:
            instance = form.instance
            if not (self.can_delete and self._should_delete_form(form)) or instance.pk is None:
                continue
            if instance.is_lived_experience:
                raise ValidationError(
                    _(
                        "Every call keeps its criterion about involving people with lived "
                        "experience: it cannot be deleted."
                    )
                )
            if self.instance.pk and self.instance.status != CallStatus.DRAFT:
                raise ValidationError(
                    _(
                        "The call is open: its criteria cannot be deleted now. Reviewers score "
                        "against them."
                    )
                )


class CriterionInline(admin.TabularInline):
    model = Criterion
    formset = CriterionFormSet
    extra = 1
    fields = ["name", "guidance", "weight", "scale_max", "scored_by", "order"]


@admin.register(Call)
class CallAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    list_display = ["title", "status", "opens_at", "closes_at", "budget"]
    list_filter = ["status"]
    search_fields = ["title"]
    inlines = [CriterionInline]
    readonly_fields = ["status", "status_changed_at"]
    exclude = ["created_by"]
    actions = ["open_calls", "close_calls", "start_review", "mark_decided"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Call, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        add_lived_experience_criterion(form.instance)

    def _move(self, request: HttpRequest, queryset: QuerySet[Call], to: CallStatus) -> None:
        done = 0
        for call in queryset:
            try:
                move_call(call, to, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{call}: {' '.join(error.messages)}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)s done.") % {"count": done}, messages.SUCCESS)

    @admin.action(description=_("Open (publish)"), permissions=["change"])
    def open_calls(self, request: HttpRequest, queryset: QuerySet[Call]) -> None:
        self._move(request, queryset, CallStatus.OPEN)

    @admin.action(description=_("Close"), permissions=["change"])
    def close_calls(self, request: HttpRequest, queryset: QuerySet[Call]) -> None:
        self._move(request, queryset, CallStatus.CLOSED)

    @admin.action(description=_("Start the review"), permissions=["change"])
    def start_review(self, request: HttpRequest, queryset: QuerySet[Call]) -> None:
        self._move(request, queryset, CallStatus.IN_REVIEW)

    @admin.action(description=_("Mark as decided"), permissions=["change"])
    def mark_decided(self, request: HttpRequest, queryset: QuerySet[Call]) -> None:
        self._move(request, queryset, CallStatus.DECIDED)


class EligibilityForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["eligibility", "ineligible_reason"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.instance.status != ProposalStatus.SUBMITTED:
            raise ValidationError(_("Only a sent proposal's eligibility can be checked."))
        if data.get("eligibility") == Eligibility.UNCHECKED:
            self.add_error("eligibility", _("Choose eligible or not eligible."))
        if (
            data.get("eligibility") == Eligibility.INELIGIBLE
            and not (data.get("ineligible_reason") or "").strip()
        ):
            self.add_error(
                "ineligible_reason",
                _("Say why the proposal is not eligible: the applicant is told."),
            )
        return data


CONTENT_FIELDS = [
    "call",
    "applicant",
    "title",
    "summary",
    "description",
    "requested_amount",
    "team",
    "lived_experience_involvement",
    "content_warning",
    "status",
    "submitted_at",
    "withdrawn_at",
    "eligibility_checked_at",
    "eligibility_checked_by",
]


@admin.register(Proposal)
class ProposalAdmin(RestrictedLookupsMixin, admin.ModelAdmin):
    form = EligibilityForm
    list_display = ["title", "call", "status", "eligibility", "submitted_at"]
    list_filter = ["status", "eligibility", "call"]
    search_fields = ["title"]
    list_select_related = ["call"]
    fields = [*CONTENT_FIELDS, "attached_files", "eligibility", "ineligible_reason"]
    readonly_fields = [*CONTENT_FIELDS, "attached_files"]

    @admin.display(description=_("files"))
    def attached_files(self, obj: Proposal) -> str:
        """Links to download each file (the portal's view checks access and audits it)."""
        attachments = list(obj.attachments.all())
        if not attachments:
            return str(_("None"))
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}</a> ({})',
            (
                (
                    reverse("funding:attachment", args=[attachment.pk]),
                    attachment.original_name,
                    filesizeformat(attachment.size),
                )
                for attachment in attachments
            ),
        )

    def get_queryset(self, request: HttpRequest) -> QuerySet[Proposal]:
        return super().get_queryset(request).exclude(status=ProposalStatus.DRAFT)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.has_perm("funding.check_eligibility")

    def save_model(self, request: HttpRequest, obj: Proposal, form: Any, change: bool) -> None:
        """Through the service (which tells the applicant), not a plain save. A refusal is
        shown alone: no "changed successfully" notice, no "changed" entry in the history."""
        try:
            record_eligibility(
                obj,
                by=request.user,
                eligible=form.cleaned_data["eligibility"] == Eligibility.ELIGIBLE,
                reason=form.cleaned_data["ineligible_reason"],
            )
        except ValidationError as error:
            request._eligibility_refused = True  # type: ignore[attr-defined]
            self.message_user(request, " ".join(error.messages), messages.ERROR)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        if getattr(request, "_eligibility_refused", False):
            return None
        return super().log_change(request, obj, message)

    def response_change(self, request: HttpRequest, obj: Proposal) -> HttpResponse:
        if getattr(request, "_eligibility_refused", False):
            # Back to the same page, with the refusal as its only message.
            return HttpResponseRedirect(request.get_full_path())
        return super().response_change(request, obj)
