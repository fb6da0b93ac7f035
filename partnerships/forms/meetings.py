"""Forms for agreements and meetings (staff pages). They validate the input; saving, and the
rules that need the database, are partnerships.services.agreements' and .meetings' job."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils.translation import gettext_lazy as _

from partnerships.enums import AgreementKind
from partnerships.models import MeetingInvitation, PartnershipMember
from partnerships.services.meetings import Attended

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


def _date(label: Any, required_message: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DateInput(),
        error_messages={
            "required": required_message,
            "invalid": _("Enter a real date, like 2027-01-31"),
        },
    )


def _money(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "invalid": _("Enter an amount in pounds, like 12.50"),
            "min_value": _("An amount cannot be less than zero"),
            "max_digits": _("Enter an amount below 1,000,000"),
            "max_decimal_places": _("Enter pounds and pence only, like 12.50"),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


# Agreements ------------------------------------------------------------------------------------


class AgreementForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of agreement"),
        choices=AgreementKind.choices,
        error_messages={"required": _("Select the kind of agreement")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter the agreement's title")},
    )
    signed_on = _date(_("Signed on"), _("Enter the date it was signed"))
    review_on = _date(_("Review due on"), _("Enter the date it is due for review"))
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document = forms.FileField(
        label=_("The signed document (PDF or Word .docx)"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.docx", "class": "govuk-!-width-full"}
        ),
    )

    def __init__(self, *args: Any, replacing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["document"].label = _("Replace the document (PDF or Word .docx)")
            self.fields["document"].help_text = _("Leave empty to keep the document it has.")
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("kind"),
            Field.text("title"),
            Field("signed_on"),
            Field("review_on"),
            Field.textarea("notes"),
            Field("document"),
            Button("save", _("Save the agreement"), type="submit"),
        )

    def clean_document(self) -> Any:
        # A posted `document-clear` (the widget's "clear" box, never shown here: an agreement's
        # document is replaced, or deleted with it) makes the value False: no new document.
        return self.cleaned_data["document"] or None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        signed, review = cleaned.get("signed_on"), cleaned.get("review_on")
        if signed and review and review < signed:
            self.add_error(
                "review_on", _("The review date must be on or after the date it was signed.")
            )
        return cleaned

    @property
    def fields_for_service(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("kind", "title", "signed_on", "review_on", "notes")
        }


class ConfirmForm(forms.Form):
    """A button that confirms an action (delete, cancel): no fields."""

    def __init__(self, *args: Any, label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Button("confirm", label, type="submit", css_class="govuk-button--warning")
        )


# Meetings --------------------------------------------------------------------------------------


class MeetingForm(forms.Form):
    title = forms.CharField(
        label=_("Meeting name"),
        max_length=200,
        error_messages={"required": _("Enter a name for the meeting")},
    )
    starts_at = forms.DateTimeField(
        label=_("Starts (London time)"),
        widget=DateTimeInput(),
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        error_messages={
            "required": _("Enter when the meeting starts"),
            "invalid": _("Enter a date and time, like 2027-01-31 10:00"),
        },
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
    place = forms.CharField(label=_("Where"), max_length=300, required=False)
    link = forms.URLField(
        label=_("Link to join online"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a full link, like https://meet.example.org/abc")},
    )
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    interpreter = forms.BooleanField(label=_("An interpreter is booked"), required=False)
    interpreter_languages = forms.CharField(
        label=_("Interpreting into (languages)"), max_length=200, required=False
    )
    travel_paid = forms.BooleanField(label=_("Travel costs are paid"), required=False)
    childcare_paid = forms.BooleanField(label=_("Childcare costs are paid"), required=False)
    breaks = forms.BooleanField(label=_("There are regular breaks"), required=False, initial=True)
    access_notes = forms.CharField(
        label=_("Other access arrangements"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    preparation_hours = forms.DecimalField(
        label=_("Preparation time paid (hours)"),
        initial=Decimal("0"),
        min_value=Decimal("0"),
        max_value=Decimal("40"),
        max_digits=4,
        decimal_places=1,
        error_messages={
            "required": _("Enter the preparation time paid, or 0"),
            "invalid": _("Enter the hours as a number, like 1.5"),
            "min_value": _("Preparation time cannot be less than zero"),
            "max_value": _("Preparation time can be at most 40 hours"),
            "max_decimal_places": _("Enter hours to one decimal place, like 1.5"),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    FIELDS = (
        "title",
        "starts_at",
        "duration_minutes",
        "place",
        "link",
        "agenda",
        "interpreter",
        "interpreter_languages",
        "travel_paid",
        "childcare_paid",
        "breaks",
        "access_notes",
        "preparation_hours",
    )

    def __init__(
        self,
        *args: Any,
        members: Sequence[tuple[PartnershipMember, str]] | None = None,
        submit: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        layout: list[Any] = [
            Field.text("title"),
            Field("starts_at"),
            Field.text("duration_minutes", field_width=5),
            Field.text("place"),
            Field.text("link"),
            Field.textarea("agenda"),
            Fieldset(
                Field.checkbox("interpreter"),
                Field.text("interpreter_languages"),
                Field.checkbox("travel_paid"),
                Field.checkbox("childcare_paid"),
                Field.checkbox("breaks"),
                Field.textarea("access_notes"),
                Field.text("preparation_hours", field_width=5),
                legend=_("Access arrangements"),
                legend_size=Size.MEDIUM,
            ),
        ]
        if members is not None:
            self.fields["invited"] = forms.TypedMultipleChoiceField(
                label=_("Who to invite"),
                help_text=_("Every current member is chosen to start with."),
                choices=[(member.pk, name) for member, name in members],
                coerce=int,
                initial=[member.pk for member, _name in members],
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": _("Choose at least one member to invite")},
            )
            layout.append(Field.checkboxes("invited", legend_size=Size.MEDIUM))
        layout.append(Button("save", submit or _("Save the meeting"), type="submit"))
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*layout)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if not cleaned.get("place") and not cleaned.get("link") and "link" not in self.errors:
            self.add_error("place", _("Enter where the meeting is, or a link to join it online."))
        if cleaned.get("interpreter") and not cleaned.get("interpreter_languages"):
            self.add_error(
                "interpreter_languages", _("Enter the languages the interpreter speaks.")
            )
        return cleaned

    @property
    def fields_for_service(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class InviteForm(forms.Form):
    """More members to invite: the current members not invited yet."""

    def __init__(
        self, *args: Any, members: Sequence[tuple[PartnershipMember, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["invited"] = forms.TypedMultipleChoiceField(
            label=_("Who else to invite"),
            choices=[(member.pk, name) for member, name in members],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one member to invite")},
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.checkboxes("invited", legend_size=Size.MEDIUM),
            Button("invite", _("Send the invitations"), type="submit"),
        )


ATTENDED = "yes"
MISSED = "no"


class AttendanceForm(forms.Form):
    """For each invitation: attended or not (left unanswered: not recorded), and the costs paid
    for travel, childcare and an interpreter."""

    def __init__(
        self,
        *args: Any,
        invitations: Sequence[tuple[MeetingInvitation, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.invitation_ids = [invitation.pk for invitation, _name in invitations]
        layout = []
        for invitation, name in invitations:
            pk = invitation.pk
            self.fields[f"invitation_{pk}"] = forms.ChoiceField(
                label=name,
                choices=[(ATTENDED, _("Attended")), (MISSED, _("Did not attend"))],
                widget=forms.RadioSelect,
                required=False,
                initial={True: ATTENDED, False: MISSED}.get(invitation.attended),
            )
            for cost, label in (
                ("travel", _("Travel paid for %(name)s (£)")),
                ("childcare", _("Childcare paid for %(name)s (£)")),
                ("interpreter", _("Interpreter paid for %(name)s (£)")),
            ):
                field = _money(label % {"name": name})
                field.initial = getattr(invitation, f"{cost}_cost") or None
                self.fields[f"{cost}_{pk}"] = field
            layout += [
                Field.radios(f"invitation_{pk}", legend_size=Size.MEDIUM, inline=True),
                Field.text(f"travel_{pk}", field_width=5),
                Field.text(f"childcare_{pk}", field_width=5),
                Field.text(f"interpreter_{pk}", field_width=5),
            ]
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            *layout, Button("record", _("Record attendance"), type="submit")
        )

    @property
    def rows(self) -> dict[int, Attended]:
        zero = Decimal("0")
        found = {}
        for pk in self.invitation_ids:
            answer = self.cleaned_data.get(f"invitation_{pk}")
            if not answer:
                continue
            found[pk] = Attended(
                attended=answer == ATTENDED,
                travel=self.cleaned_data.get(f"travel_{pk}") or zero,
                childcare=self.cleaned_data.get(f"childcare_{pk}") or zero,
                interpreter=self.cleaned_data.get(f"interpreter_{pk}") or zero,
            )
        return found
