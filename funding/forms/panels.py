"""Validation of what staff and panel members type on the panel pages. Saving is the services'
job (funding.services.panels and .assignment)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from funding.enums import PanelRole
from funding.models import Panel, PanelMember, Proposal
from funding.services import DECISIONS, DECLARABLE_CATEGORIES, PANEL_FIELDS, Answer, answer_field

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _helper(*fields: Any) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.layout = Layout(*fields)
    return helper


class PanelSettingsForm(forms.ModelForm):
    """The panel's settings (create, or change)."""

    scoring_deadline = forms.DateTimeField(
        label=_("Scores due by"),
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=_("Date and time, London time."),
    )

    class Meta:
        model = Panel
        fields = PANEL_FIELDS

    def __init__(self, *args: Any, submit_label: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("confidentiality_terms", rows=5),
            Field.text("lee_one_in", field_width=4),
            Field.checkbox("needs_every_role"),
            Field.text("reviewers_per_proposal", field_width=4),
            Field.text("scoring_deadline", field_width=20),
            Field.text("lee_flag_threshold", field_width=5),
            Field.text("disagreement_threshold", field_width=5),
            Field.text("quorum", field_width=4),
            Button("save", submit_label or _("Save the panel's settings"), type="submit"),
        )

    def settings(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PANEL_FIELDS}


class MemberSearchForm(forms.Form):
    """Find people for a seat by their display name."""

    role = forms.ChoiceField(label=_("Seat"), choices=PanelRole.choices)
    q = forms.CharField(label=_("Display name contains"), max_length=80)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("role"),
            Field.text("q", field_width=20),
            Button.secondary("search", _("Search"), type="submit"),
        )
        self.helper.form_method = "get"


class AddMemberForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(choices=PanelRole.choices, widget=forms.HiddenInput)
    is_chair = forms.BooleanField(required=False, widget=forms.HiddenInput)


class StartScoringForm(forms.Form):
    override_reason = forms.CharField(
        label=_("Why scoring starts without the composition rule met (only if it is not met)"),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.textarea("override_reason", rows=3),
            Button("start", _("Start scoring"), type="submit"),
        )


class ConflictDecisionForm(forms.Form):
    """A decision on a declared conflict: exclude (the default), or continue / waive with a
    reason."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(str(value), value.label) for value in DECISIONS],
        initial=DECISIONS[0],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision")},
    )
    decision_reason = forms.CharField(
        label=_("Reason (needed to let the member take part)"),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.radios("decision", legend_size=Size.SMALL),
            Field.textarea("decision_reason", rows=3),
            Button("decide", _("Record the decision"), type="submit"),
        )


class AssignForm(forms.Form):
    """Assign a member to a proposal (staff, by hand)."""

    proposal = forms.ModelChoiceField(label=_("Proposal"), queryset=Proposal.objects.none())
    member = forms.ModelChoiceField(label=_("Member"), queryset=PanelMember.objects.none())

    def __init__(self, *args: Any, panel: Panel, proposals: Any, members: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["proposal"].queryset = proposals
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda member: (
            f"{member.person.display_name if member.person else _('A former member')} "
            f"({member.get_role_display()})"
        )
        self.helper = _helper(
            Field.select("proposal"),
            Field.select("member"),
            Button("assign", _("Assign"), type="submit"),
        )


CONFLICT_CHOICES = [("no", _("No conflict")), ("yes", _("I have a conflict"))]


class DeclarationForm(forms.Form):
    """One question for each proposal still to declare: a conflict or not, and if so its kind
    and a few words. The member sees only each proposal's title, team and applicant."""

    def __init__(self, *args: Any, proposals: list[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = proposals
        sections = []
        for proposal in proposals:
            conflict = answer_field(proposal.pk, "conflict")
            category = answer_field(proposal.pk, "category")
            description = answer_field(proposal.pk, "description")
            self.fields[conflict] = forms.ChoiceField(
                label=_("Do you have a conflict of interest with this proposal?"),
                choices=CONFLICT_CHOICES,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say whether you have a conflict of interest with “%(title)s”")
                    % {"title": proposal.title}
                },
            )
            self.fields[category] = forms.ChoiceField(
                label=_("If you have a conflict: what kind?"),
                choices=[("", _("Choose one")), *DECLARABLE_CATEGORIES],
                required=False,
            )
            self.fields[description] = forms.CharField(
                label=_("If you have a conflict: say in a few words what it is"),
                max_length=500,
                required=False,
                widget=forms.Textarea,
            )
            sections.append(
                Fieldset(
                    HTML(
                        format_html(
                            '<p class="govuk-body">{}: {}<br>{}: {}</p>',
                            _("Applicant"),
                            proposal.applicant.display_name,
                            _("Team"),
                            proposal.team or "—",
                        )
                    ),
                    Field.radios(conflict, legend_size=Size.SMALL, inline=True),
                    Field.select(category),
                    Field.textarea(description, rows=2),
                    legend=proposal.title,
                    legend_size=Size.MEDIUM,
                )
            )
        self.helper = _helper(
            *sections, Button("declare", _("Send my declarations"), type="submit")
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for proposal in self.proposals:
            if data.get(answer_field(proposal.pk, "conflict")) != "yes":
                continue
            category = answer_field(proposal.pk, "category")
            description = answer_field(proposal.pk, "description")
            if not data.get(category) and category not in self.errors:
                self.add_error(category, _("Choose what kind of conflict it is"))
            if not (data.get(description) or "").strip() and description not in self.errors:
                self.add_error(description, _("Say in a few words what the conflict is"))
        return data

    def answers(self) -> dict[int, Answer]:
        data = self.cleaned_data
        return {
            proposal.pk: Answer(
                conflicted=data[answer_field(proposal.pk, "conflict")] == "yes",
                category=data.get(answer_field(proposal.pk, "category")) or "",
                description=data.get(answer_field(proposal.pk, "description")) or "",
            )
            for proposal in self.proposals
        }


class ConfirmForm(forms.Form):
    """A single button (accepting the terms, a chair change, a removal)."""

    def __init__(self, *args: Any, label: str = "", warning: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        button = Button.warning if warning else Button
        self.helper = _helper(button("confirm", label or _("Confirm"), type="submit"))
