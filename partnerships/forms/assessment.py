"""Forms of the self-assessment: a member's answers (five questions on the Rating scale, each
with an optional comment) and staff's new round. Saving is partnerships.services.assessment's."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.enums import VALUE_QUESTIONS, CoproductionValue, Rating

COMMENT_MAX = 2000


def comment_field(value: CoproductionValue) -> str:
    return f"{value.value}_comment"


class AnswerForm(forms.Form):
    """The five questions, each a GOV.UK radios fieldset (the question is its legend), and a
    comment box under each."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        layout: list[Any] = []
        for number, value in enumerate(CoproductionValue, start=1):
            self.fields[value.value] = forms.TypedChoiceField(
                label=VALUE_QUESTIONS[value],
                choices=Rating.choices,
                coerce=int,
                widget=forms.RadioSelect,
                help_text=_("Value %(number)s of 5: %(value)s")
                % {"number": number, "value": value.label},
                error_messages={
                    "required": _("Choose an answer for question %(number)s") % {"number": number},
                    "invalid_choice": _("Choose one of the five answers for question %(number)s")
                    % {"number": number},
                },
            )
            self.fields[comment_field(value)] = forms.CharField(
                label=_("Comment on question %(number)s (optional)") % {"number": number},
                help_text=_("Do not write your name or anything that could identify you."),
                required=False,
                max_length=COMMENT_MAX,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={
                    "max_length": _("Keep your comment to %(max)s characters or fewer")
                    % {"max": COMMENT_MAX}
                },
            )
            layout += [
                Field.radios(value.value, legend_size=Size.MEDIUM),
                Field.textarea(comment_field(value), label_size=Size.SMALL),
            ]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *layout,
            HTML(
                '<p class="govuk-body">'
                + str(_("Your answers are anonymous. Nobody can see which answers are yours."))
                + "</p>"
            ),
            Button("send", _("Send my answers"), type="submit"),
        )

    @property
    def ratings(self) -> dict[str, int]:
        return {value.value: self.cleaned_data[value.value] for value in CoproductionValue}

    @property
    def comments(self) -> dict[str, str]:
        return {
            value.value: self.cleaned_data.get(comment_field(value), "")
            for value in CoproductionValue
        }


class DateInput(forms.DateInput):
    input_type = "date"


class RoundForm(forms.Form):
    title = forms.CharField(
        label=_("Name of the round"),
        help_text=_("For example: Spring 2026."),
        max_length=120,
        error_messages={"required": _("Enter a name for the round")},
    )
    closes_on = forms.DateField(
        label=_("Answers close on (optional)"),
        help_text=_("Leave empty to keep it open until you close it."),
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date, like 2026-12-31")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("title"),
            Field("closes_on"),
            Button("open", _("Open the round"), type="submit"),
        )


class CloseRoundForm(forms.Form):
    """Staff's "close the round" button (no fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Button("close", _("Close the round"), type="submit"))
