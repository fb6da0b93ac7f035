"""Forms for panel meetings: staff's new poll and attendance, a member's availability. Saving is
funding.services.meetings' job."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from funding.enums import Availability
from funding.models import MeetingPoll, Panel, PanelMember
from funding.services.meetings import MAX_SLOTS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _when(*, error_messages: dict[str, Any] | None = None, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        widget=DateTimeInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={
            "invalid": _("Enter a date and time, like 2026-12-08 10:00"),
            **(error_messages or {}),
        },
        **kwargs,
    )


class PollForm(forms.Form):
    """A new poll: which panel, what and where, how long, when answers close, and up to
    MAX_SLOTS candidate times (empty boxes are ignored)."""

    panel = forms.ModelChoiceField(
        label=_("Panel (by its call)"),
        queryset=Panel.objects.none(),
        error_messages={"required": _("Select the panel")},
    )
    title = forms.CharField(
        label=_("Meeting name"),
        max_length=200,
        error_messages={"required": _("Enter a name for the meeting")},
    )
    place = forms.CharField(
        label=_("Where, or the link to join"),
        help_text=_("A link (https://...) means the meeting is online."),
        max_length=300,
        required=False,
    )
    duration_minutes = forms.IntegerField(
        label=_("Length in minutes"),
        initial=120,
        min_value=15,
        max_value=600,
        error_messages={
            "required": _("Enter the length in minutes"),
            "invalid": _("Enter the length as a whole number of minutes"),
            "min_value": _("A meeting lasts at least 15 minutes"),
            "max_value": _("A meeting lasts at most 600 minutes"),
        },
    )
    closes_at = _when(
        label=_("Answers close at (London time)"),
        error_messages={"required": _("Enter when answers close")},
    )

    def __init__(self, *args: Any, panels: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels
        self.fields["panel"].label_from_instance = lambda panel: panel.call.title
        for n in range(1, MAX_SLOTS + 1):
            self.fields[f"slot_{n}"] = _when(
                label=_("Time %(n)s (London time)") % {"n": n}, required=False
            )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field.select("panel"),
            Field.text("title"),
            Field.text("place"),
            Field.text("duration_minutes", field_width=5),
            Field("closes_at"),
            Fieldset(
                *[Field(f"slot_{n}") for n in range(1, MAX_SLOTS + 1)],
                legend=_("Times to choose from (at least two)"),
            ),
            Button("create", _("Open the poll"), type="submit"),
        )

    @property
    def slots(self) -> list[datetime]:
        return [
            self.cleaned_data[f"slot_{n}"]
            for n in range(1, MAX_SLOTS + 1)
            if self.cleaned_data.get(f"slot_{n}") is not None
        ]


class AvailabilityForm(forms.Form):
    """Yes / if need be / no for each slot of a poll, each slot's date and time in words."""

    def __init__(
        self, *args: Any, slots: Sequence[tuple[int, str]], disabled: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.slot_ids = [pk for pk, _when in slots]
        for pk, when in slots:
            self.fields[f"slot_{pk}"] = forms.ChoiceField(
                label=when,
                choices=Availability.choices,
                widget=forms.RadioSelect,
                disabled=disabled,
                error_messages={
                    "required": _("Choose yes, if need be, or no for %(when)s") % {"when": when}
                },
            )
        self.helper = FormHelper()
        self.helper.legend_size = Size.SMALL
        layout = [
            Field.radios(f"slot_{pk}", legend_size=Size.SMALL, inline=True) for pk in self.slot_ids
        ]
        if not disabled:
            layout.append(Button("save", _("Save my answers"), type="submit"))
        self.helper.layout = Layout(*layout)

    @property
    def answers(self) -> dict[int, str]:
        return {pk: self.cleaned_data[f"slot_{pk}"] for pk in self.slot_ids}


class ClosePollForm(forms.Form):
    """Staff's "close the poll now" button (no fields)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(Button("close", _("Close the poll now"), type="submit"))


ATTENDED = "yes"
MISSED = "no"


class AttendanceForm(forms.Form):
    """For each member: attended, or did not (a member left unanswered is not recorded)."""

    def __init__(
        self,
        *args: Any,
        poll: MeetingPoll,
        members: Sequence[tuple[PanelMember, str]],
        recorded: dict[int, bool],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.member_ids = [member.pk for member, _name in members]
        for member, name in members:
            self.fields[f"member_{member.pk}"] = forms.ChoiceField(
                label=name,
                choices=[(ATTENDED, _("Attended")), (MISSED, _("Did not attend"))],
                widget=forms.RadioSelect,
                required=False,
                initial={True: ATTENDED, False: MISSED}.get(recorded.get(member.pk)),
            )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            *[
                Field.radios(f"member_{pk}", legend_size=Size.SMALL, inline=True)
                for pk in self.member_ids
            ],
            Button("record", _("Record attendance"), type="submit"),
        )

    @property
    def attended(self) -> dict[int, bool]:
        return {
            pk: self.cleaned_data[f"member_{pk}"] == ATTENDED
            for pk in self.member_ids
            if self.cleaned_data.get(f"member_{pk}")
        }
