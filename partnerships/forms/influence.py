"""Forms of the decision log, barriers and "you said, we did" (staff pages). They check the
input and show each problem on its field; saving, and the rules behind it, are
partnerships.services' (decisions, barriers, you_said), whose refusals the views put on the same
fields."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from coprod.models import london_today
from partnerships.enums import BarrierKind, TensionStatus, YouSaidStatus


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date(label: Any, required_message: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={
            "required": required_message,
            "invalid": _("Enter a real date, like 2026-11-30"),
        },
        **kwargs,
    )


def _text(label: Any, *, required_message: Any = None, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=required_message is not None,
        error_messages={"required": required_message} if required_message else {},
        **kwargs,
    )


def _helper(submit_label: Any, *fields: Any) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Button("submit", submit_label, type="submit"))
    return helper


def _not_future(day: date) -> date:
    if day > london_today():
        raise forms.ValidationError(_("The date cannot be in the future"))
    return day


# Decisions -------------------------------------------------------------------------------------


class DecisionForm(forms.Form):
    summary = _text(_("What was decided"), required_message=_("Enter what was decided"))
    decided_on = _date(
        _("When it was decided"), _("Enter the date of the decision"), initial=london_today
    )
    decided_by = forms.CharField(
        label=_("Who decided"),
        help_text=_("For example: the whole partnership, by consensus."),
        max_length=300,
        error_messages={"required": _("Enter who decided")},
    )
    tension_status = forms.ChoiceField(
        label=_("Was there a tension or disagreement?"),
        choices=TensionStatus.choices,
        initial=TensionStatus.NONE,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select whether there was a tension or disagreement")},
    )
    tension = _text(
        _("What the disagreement was about"),
        help_text=_("Needed when there was a tension."),
    )
    views_held = _text(
        _("The views held"),
        help_text=_("Describe each view, not who held it, unless they agreed to be named."),
    )
    resolution = _text(
        _("How it was resolved"), help_text=_("Needed when the tension is resolved.")
    )

    def __init__(self, *args: Any, submit_label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            submit_label or _("Save the decision"),
            Field.textarea("summary", rows=3),
            Field.text("decided_on", field_width=10),
            Field.text("decided_by"),
            Fieldset(
                Field.radios("tension_status", legend_size=Size.SMALL),
                Field.textarea("tension", rows=3),
                Field.textarea("views_held", rows=4),
                Field.textarea("resolution", rows=3),
                legend=_("Tension or disagreement"),
            ),
        )

    def clean_decided_on(self) -> date:
        return _not_future(self.cleaned_data["decided_on"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("tension_status")
        if (
            status in (TensionStatus.OPEN, TensionStatus.RESOLVED)
            and not data.get("tension", "").strip()
        ):
            self.add_error("tension", _("Describe what the disagreement was about"))
        if status == TensionStatus.RESOLVED and not data.get("resolution", "").strip():
            self.add_error("resolution", _("Say how the tension was resolved"))
        return data


class ResolveTensionForm(forms.Form):
    resolution = _text(
        _("How it was resolved"), required_message=_("Say how the tension was resolved")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("Record the resolution"), Field.textarea("resolution", rows=4))


# Barriers --------------------------------------------------------------------------------------


class BarrierForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of barrier"),
        choices=BarrierKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Select the kind of barrier")},
    )
    description = _text(_("What the barrier is"), required_message=_("Describe the barrier"))
    action = _text(_("What is being done about it"))
    raised_on = _date(
        _("Noticed on"), _("Enter the date the barrier was noticed"), initial=london_today
    )

    def __init__(self, *args: Any, submit_label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            submit_label or _("Save the barrier"),
            Field.radios("kind", legend_size=Size.SMALL),
            Field.textarea("description", rows=3),
            Field.textarea("action", rows=3),
            Field.text("raised_on", field_width=10),
        )

    def clean_raised_on(self) -> date:
        return _not_future(self.cleaned_data["raised_on"])


class DealtWithForm(forms.Form):
    addressed_on = _date(
        _("Dealt with on"), _("Enter the date it was dealt with"), initial=london_today
    )
    action = _text(_("What was done"), help_text=_("Leave empty to keep what is written already."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Mark as dealt with"),
            Field.text("addressed_on", field_width=10),
            Field.textarea("action", rows=3),
        )

    def clean_addressed_on(self) -> date:
        return _not_future(self.cleaned_data["addressed_on"])


# "You said, we did" ----------------------------------------------------------------------------


class YouSaidForm(forms.Form):
    given_by = forms.TypedChoiceField(
        label=_("Who said it"),
        help_text=_("A lived experience member of this partnership."),
        coerce=int,
        error_messages={
            "required": _("Select who said it"),
            "invalid_choice": _("Select a lived experience member of this partnership"),
        },
    )
    said = _text(_("What was said"), required_message=_("Enter what was said"))
    said_on = _date(_("Said on"), _("Enter the date it was said"), initial=london_today)
    anonymous = forms.BooleanField(
        label=_("They want to be anonymous: other members see \u201cAnonymous\u201d"),
        required=False,
    )
    keep_words = forms.BooleanField(
        label=_("They agree their words may stay if they ask us to delete their information"),
        required=False,
    )
    response = _text(_("Our response"), help_text=_("You can add this later."))
    what_changed = _text(_("What changed"), help_text=_("You can add this later."))

    def __init__(
        self,
        *args: Any,
        givers: list[tuple[int, str]],
        submit_label: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["given_by"].choices = [("", _("Select a member")), *givers]
        self.helper = _helper(
            submit_label or _("Save"),
            Field.select("given_by"),
            Field.textarea("said", rows=4),
            Field.text("said_on", field_width=10),
            Field.checkbox("anonymous"),
            Field.checkbox("keep_words"),
            Field.textarea("response", rows=3),
            Field.textarea("what_changed", rows=3),
        )

    def clean_said_on(self) -> date:
        return _not_future(self.cleaned_data["said_on"])


class CloseYouSaidForm(forms.Form):
    status = forms.ChoiceField(
        label=_("What came of it?"),
        choices=[(value, label) for value, label in YouSaidStatus.choices if value != "open"],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select what came of it")},
    )
    response = _text(_("Our response"), required_message=_("Enter our response"))
    what_changed = _text(
        _("What changed"), help_text=_("Needed when it was acted on, fully or partly.")
    )
    reason = _text(
        _("Why it was not fully acted on"),
        help_text=_("Needed when it was only partly acted on, or not at all."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            _("Close and tell them"),
            Field.radios("status", legend_size=Size.SMALL),
            Field.textarea("response", rows=3),
            Field.textarea("what_changed", rows=3),
            Field.textarea("reason", rows=3),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status = data.get("status")
        if (
            status in (YouSaidStatus.ACTED_ON, YouSaidStatus.PARTLY)
            and not data.get("what_changed", "").strip()
        ):
            self.add_error("what_changed", _("Say what changed"))
        if (
            status in (YouSaidStatus.PARTLY, YouSaidStatus.NOT_ACTED_ON)
            and not data.get("reason", "").strip()
        ):
            self.add_error("reason", _("Say why it was not fully acted on"))
        return data
