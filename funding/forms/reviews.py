"""The scoring form: for each criterion the member scores, a group of radios from 1 to its highest
score (a fieldset with the criterion as legend, its guidance as hint) and an optional comment;
then notes for the panel and feedback for the applicant. Saving is the services' job."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from funding.models import Criterion, Review
from funding.services.reviews import comment_field, score_field

SAVE = "save"
SEND = "send"


class ReviewForm(forms.Form):
    """ "Save and come back later" keeps whatever is there (scores may be empty); "Send my
    review" needs every score (the service checks too). Without a button in the post (a draft
    kept when the session timed out), it is a save."""

    comment = forms.CharField(
        label=_("Notes for the panel (optional)"),
        help_text=_("Only the panel and the funding team read these."),
        required=False,
        widget=forms.Textarea,
    )
    feedback = forms.CharField(
        label=_("Feedback for the applicant (optional)"),
        help_text=_("The applicant may read this. Do not put your name in it."),
        required=False,
        widget=forms.Textarea,
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        review: Review | None = None,
        disabled: bool = False,
        send_label: str = "",
        may_save: bool = True,
        **kwargs: Any,
    ) -> None:
        if review is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_for(review)
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.may_save = may_save
        layout: list[Any] = []
        for criterion in criteria:
            name, comment = score_field(criterion.pk), comment_field(criterion.pk)
            scale = {"max": criterion.scale_max}
            how = _("Score it from 1 (lowest) to %(max)s (highest).") % scale
            self.fields[name] = forms.TypedChoiceField(
                label=criterion.name,
                help_text=f"{criterion.guidance} {how}".strip(),
                choices=[(value, str(value)) for value in range(1, criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                error_messages={
                    # Django fills in %(value)s afterwards: a "%" in the name must survive it.
                    "invalid_choice": _(
                        "Choose a score for “%(name)s” from 1 (lowest) to %(max)s (highest)"
                    )
                    % {"name": criterion.name.replace("%", "%%"), **scale}
                },
            )
            self.fields[comment] = forms.CharField(
                label=_("Your comment on “%(name)s” (optional)") % {"name": criterion.name},
                required=False,
                widget=forms.Textarea,
            )
            layout += [
                Field.radios(name, legend_size=Size.MEDIUM, legend_tag="h2", inline=True),
                Field.textarea(comment, rows=3),
            ]
        last = ["comment", "feedback"]
        self.order_fields([name for name in self.fields if name not in last] + last)
        layout += [Field.textarea("comment", rows=4), Field.textarea("feedback", rows=4)]
        if disabled:
            for field in self.fields.values():
                field.disabled = True
        else:
            buttons = [Button(SEND, send_label or _("Send my review"), type="submit")]
            if may_save:
                buttons.append(Button.secondary(SAVE, _("Save and come back later")))
            layout.append(Div(*buttons, css_class="govuk-button-group"))
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*layout)

    @property
    def sending(self) -> bool:
        return SEND in self.data or not self.may_save

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.sending:
            for criterion in self.criteria:
                name = score_field(criterion.pk)
                if name not in self.errors and data.get(name) is None:
                    self.add_error(
                        name, _("Choose a score for “%(name)s”") % {"name": criterion.name}
                    )
        return data

    def to_service(self) -> dict[str, Any]:
        """The keyword arguments of the review services."""
        data = self.cleaned_data
        return {
            "scores": {c.pk: data.get(score_field(c.pk)) for c in self.criteria},
            "comments": {c.pk: data.get(comment_field(c.pk)) or "" for c in self.criteria},
            "comment": data.get("comment") or "",
            "feedback": data.get("feedback") or "",
        }


def initial_for(review: Review) -> dict[str, Any]:
    initial: dict[str, Any] = {"comment": review.comment, "feedback": review.feedback}
    for score in review.scores.all():
        initial[score_field(score.criterion_id)] = score.value
        initial[comment_field(score.criterion_id)] = score.comment
    return initial


class StepBackForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Button.warning("step_back", _("Step back from this review"), type="submit")
        )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the review reopened?"),
        help_text=_("The member is told this."),
        widget=forms.Textarea,
        error_messages={"required": _("Say why the review is reopened")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.textarea("reason", rows=3), Button("reopen", _("Reopen the review"))
        )
