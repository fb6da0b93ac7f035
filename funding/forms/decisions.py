"""Validation of a decision on a proposal and of deciding a call. What is required depends on
facts the service checks (the LEE flag now): it raises field errors the view puts on the form."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from funding.enums import DecisionOutcome

TEXT_LIMIT = 5000


def _text(label: Any, help_text: Any = "", *, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=required,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=DecisionOutcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision.")},
    )
    conditions = _text(
        _("Conditions"), _("Needed to fund with conditions. The applicant is told them.")
    )
    rationale = _text(
        _("Rationale"),
        _("Why the panel decided this. Kept on record; not sent to the applicant."),
        required=True,
    )
    dissent = _text(_("Dissent"), _("Any member who disagreed, and why (no names needed)."))
    lee_view = _text(
        _("How the lived experience view was weighed"),
        _("Needed when LEE scores differ from the rest by more than the panel's threshold."),
    )
    feedback = _text(
        _("Feedback for the applicant"),
        _("Sent to the applicant when the call is decided, with the LEE members' feedback."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rationale"].error_messages["required"] = _(
            "Give the rationale for the decision."
        )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("outcome", legend_size=Size.SMALL),
            Field.textarea("conditions", rows=3),
            Field.textarea("rationale", rows=4),
            Field.textarea("dissent", rows=3),
            Field.textarea("lee_view", rows=3),
            Field.textarea("feedback", rows=4),
            Submit("submit", _("Save the decision")),
        )
