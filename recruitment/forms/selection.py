"""Validation of what staff type on the selection, training and onboarding pages. Saving is the
services' job (recruitment.services.selection, recruitment.services.training)."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coprod.models import london_today
from recruitment.enums import (
    APPLICATION_TRANSITIONS,
    BLIND_DECISIONS,
    OPPORTUNITY_TRANSITIONS,
    STAFF_DECISIONS,
    ApplicationStatus,
    OpportunityStatus,
)
from recruitment.models import Application, Opportunity, SelectionCriterion, TrainingModule
from recruitment.services.selection import Score

# What the buttons say for each step (never "interview").
DECISION_LABELS = {
    ApplicationStatus.SHORTLISTED: _("Shortlist"),
    ApplicationStatus.CONVERSATION: _("Invite to a conversation"),
    ApplicationStatus.OFFERED: _("Offer a place"),
    ApplicationStatus.UNSUCCESSFUL: _("Not selected this time"),
}
FEEDBACK_NEEDED = _("Write feedback to the person: everyone who is not selected is told why")
STATUS_LABELS = {
    OpportunityStatus.OPEN: _("Publish (open for applications)"),
    OpportunityStatus.CLOSED: _("Close (no more applications)"),
    OpportunityStatus.FILLED: _("Mark as filled"),
}


def _helper(submit_label: Any, *fields: Any, warning: bool = False) -> FormHelper:
    """Fields laid out for a page that holds several forms: the template writes each <form>."""
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    css = "govuk-button--warning" if warning else ""
    helper.layout = Layout(*fields, Submit("submit", submit_label, css_class=css))
    return helper


def _not_future(day: date) -> date:
    if day > london_today():
        raise ValidationError(_("The date cannot be in the future"))
    return day


def decisions_open(application: Application) -> list[tuple[str, Any]]:
    """The steps staff can take on `application` now: those that exist from its status, and
    while the shortlist is blind only shortlisting or turning down."""
    possible = APPLICATION_TRANSITIONS[application.status] & STAFF_DECISIONS
    if application.opportunity.names_hidden:
        possible &= BLIND_DECISIONS
    return [(step, DECISION_LABELS[step]) for step in DECISION_LABELS if step in possible]


class DecisionForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select a decision")},
    )
    reason = forms.CharField(
        label=_("Reason for the decision"),
        help_text=_("Only staff see this. Do not write anything about the person's past."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason for the decision")},
    )
    feedback = forms.CharField(
        label=_("Feedback to the person"),
        help_text=_(
            "Sent to them in plain words. Needed when they are not selected: everyone is told why."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].choices = decisions_open(application)
        self.helper = _helper(
            _("Record the decision"),
            Field.radios("to", legend_size=Size.SMALL),
            Field.textarea("reason", rows=3),
            Field.textarea("feedback", rows=4),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("to") == ApplicationStatus.UNSUCCESSFUL and not data.get("feedback"):
            self.add_error(
                "feedback",
                _("Write feedback to the person: everyone who is not selected is told why"),
            )
        return data


class ScoreForm(forms.Form):
    """One score (0 to the criterion's highest) and an optional comment per criterion."""

    def __init__(
        self,
        *args: Any,
        criteria: list[SelectionCriterion],
        mine: dict[int, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        layout = []
        for criterion in criteria:
            given = (mine or {}).get(criterion.pk)
            self.fields[f"score_{criterion.pk}"] = forms.IntegerField(
                label=_("%(name)s: score from 0 to %(max)s")
                % {"name": criterion.name, "max": criterion.max_score},
                help_text=criterion.guidance,
                min_value=0,
                max_value=criterion.max_score,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                initial=given.score if given is not None else None,
                error_messages={
                    "required": _("Enter a score for %(name)s") % {"name": criterion.name},
                    "min_value": _("The score cannot be less than 0"),
                    "max_value": _("The score cannot be more than %(max)s")
                    % {"max": criterion.max_score},
                    "invalid": _("Enter the score as a whole number"),
                },
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(name)s (optional)") % {"name": criterion.name},
                required=False,
                max_length=2000,
                initial=given.comment if given is not None else "",
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            layout += [
                Field.text(f"score_{criterion.pk}", field_width=2),
                Field.textarea(f"comment_{criterion.pk}", rows=2),
            ]
        self.helper = _helper(_("Save my scores"), *layout)

    def scores(self) -> dict[int, Score]:
        return {
            criterion.pk: Score(
                self.cleaned_data[f"score_{criterion.pk}"],
                self.cleaned_data[f"comment_{criterion.pk}"],
            )
            for criterion in self.criteria
        }


class OpportunityStatusForm(forms.Form):
    to = forms.ChoiceField(
        label=_("Change the opportunity's status"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what to do")},
    )

    def __init__(self, *args: Any, opportunity: Opportunity, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        possible = OPPORTUNITY_TRANSITIONS[opportunity.status]
        self.fields["to"].choices = [
            (step, label) for step, label in STATUS_LABELS.items() if step in possible
        ]
        self.helper = _helper(_("Change the status"), Field.radios("to", legend_size=Size.SMALL))


class TurnDownForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (only staff see it)"),
        initial=_("The places are filled."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason")},
    )
    feedback = forms.CharField(
        label=_("Feedback to each person"),
        help_text=_("The same words go to everyone still waiting. Be kind and specific."),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write feedback to the people: everyone is told why")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Tell everyone still waiting they were not selected"),
            Field.textarea("reason", rows=2),
            Field.textarea("feedback", rows=4),
            warning=True,
        )


class DateInput(forms.DateInput):
    input_type = "date"


class RecordTrainingForm(forms.Form):
    application = forms.TypedChoiceField(
        label=_("Who"), coerce=int, error_messages={"required": _("Select who did the training")}
    )
    module = forms.ModelChoiceField(
        label=_("Training"),
        queryset=TrainingModule.objects.none(),
        empty_label=None,
        error_messages={"required": _("Select the training")},
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        widget=DateInput,
        initial=london_today,
        error_messages={"required": _("Enter the date the training was completed")},
    )

    def __init__(
        self,
        *args: Any,
        people: list[tuple[int, str]],
        modules: list[TrainingModule],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = people
        self.fields["module"].queryset = TrainingModule.objects.filter(
            pk__in=[module.pk for module in modules]
        )
        self.helper = _helper(
            _("Record the training"),
            Field.select("application"),
            Field.select("module"),
            Field.text("completed_on", field_width=10),
        )

    def clean_completed_on(self) -> date:
        return _not_future(self.cleaned_data["completed_on"])


class OnboardingStepForm(forms.Form):
    STEPS = [
        ("agreement_signed", _("The agreement is signed")),
        ("access_needs_confirmed", _("Access and support needs are confirmed")),
    ]
    step = forms.ChoiceField(
        label=_("Which step?"),
        choices=STEPS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the step")},
    )
    on = forms.DateField(
        label=_("On"),
        widget=DateInput,
        initial=london_today,
        error_messages={"required": _("Enter the date")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Record the step"),
            Field.radios("step", legend_size=Size.SMALL),
            Field.text("on", field_width=10),
        )

    def clean_on(self) -> date:
        return _not_future(self.cleaned_data["on"])
