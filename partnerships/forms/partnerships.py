"""Forms for organisations, partnerships, the ladder and members (staff pages). They validate the
input; partnerships.services.partnerships saves it and checks the rules that need the database."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.enums import (
    LEVEL_MEANINGS,
    OrganisationKind,
    ParticipationLevel,
    PartnershipRole,
    PartnershipStatus,
)
from partnerships.models import Organisation

DATE_FORMAT = "%Y-%m-%d"


def _date(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT),
        input_formats=[DATE_FORMAT, "%d/%m/%Y"],
        error_messages={
            "required": _("Enter the date"),
            "invalid": _("Enter a real date, like 2026-03-27"),
        },
        **kwargs,
    )


def _helper(submit_label: Any, *fields: str) -> FormHelper:
    helper = FormHelper()
    helper.label_size = Size.SMALL
    helper.legend_size = Size.SMALL
    helper.layout = Layout(*fields, Submit("submit", submit_label))
    return helper


def _by_display_name(person: Any) -> str:
    return person.display_name


def _lead_name(user: Any) -> str:
    return user.person.display_name


# Organisations -----------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the name")}
    )
    kind = forms.ChoiceField(
        label=_("Kind of organisation"),
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of organisation")},
    )
    region = forms.CharField(label=_("Region (optional)"), max_length=100, required=False)
    website = forms.URLField(
        label=_("Website (optional)"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Enter a web address, like https://example.org")},
    )
    safeguarding_contact_name = forms.CharField(
        label=_("Safeguarding contact"),
        help_text=_("The named person to tell about a safeguarding concern."),
        max_length=120,
        error_messages={"required": _("Enter the name of the safeguarding contact")},
    )
    safeguarding_contact_email = forms.EmailField(
        label=_("Safeguarding contact's email (optional)"),
        required=False,
        error_messages={"invalid": _("Enter an email address, like name@example.org")},
    )
    safeguarding_contact_phone = forms.CharField(
        label=_("Safeguarding contact's phone (optional)"), max_length=40, required=False
    )

    def __init__(self, *args: Any, submit_label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper(submit_label or _("Save"), *self.fields)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        others = Organisation.objects.filter(name__iexact=name)
        if self.initial.get("pk"):
            others = others.exclude(pk=self.initial["pk"])
        if others.exists():
            raise forms.ValidationError(_("There is already an organisation with this name"))
        return name


class PractitionerForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Practitioner"),
        help_text=_("People who hold the practitioner role, by display name."),
        queryset=None,
        error_messages={"required": _("Choose a practitioner")},
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _by_display_name
        self.helper = _helper(_("Add the practitioner"), "person")


# Partnerships ------------------------------------------------------------------------------------


class PartnershipForm(forms.Form):
    """A partnership's facts. A new one also says where it starts on the ladder and why."""

    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter a title")}
    )
    aims = forms.CharField(
        label=_("Aims, in plain language"),
        help_text=_("Short sentences. Members read this in the portal."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter the aims")},
    )
    lead = forms.ModelChoiceField(
        label=_("Lead member of staff"),
        queryset=None,
        error_messages={"required": _("Choose who leads the partnership")},
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Partner organisations (optional)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    starts_on = _date(_("Start date"))
    ends_on = _date(_("End date (optional)"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=PartnershipStatus.choices,
        initial=PartnershipStatus.FORMING,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the status")},
    )
    level = forms.TypedChoiceField(
        label=_("Where it starts on the ladder"),
        choices=ParticipationLevel.choices,
        coerce=int,
        initial=ParticipationLevel.INFORM,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the partnership starts on the ladder")},
    )
    agreed_by = forms.CharField(
        label=_("Who agreed where it starts"),
        max_length=300,
        error_messages={"required": _("Say who agreed where the partnership starts")},
    )
    reason = forms.CharField(
        label=_("Why it starts at this step"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the partnership starts at this step")},
    )

    def __init__(
        self, *args: Any, leads: Any, organisations: Any, new: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = leads
        self.fields["lead"].label_from_instance = _lead_name
        self.fields["organisations"].queryset = organisations
        if not new:
            for name in ("level", "agreed_by", "reason"):
                del self.fields[name]
        label = _("Create the partnership") if new else _("Save")
        self.helper = _helper(label, *self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end date cannot be before the start date"))
        return data


class LevelChangeForm(forms.Form):
    """Move on the ladder: the step, when, who agreed and why (and why more than one step up)."""

    to_level = forms.TypedChoiceField(
        label=_("Move to"),
        choices=[],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the step the partnership moves to")},
    )
    changed_on = _date(_("Date of the change"))
    agreed_by = forms.CharField(
        label=_("Who agreed it"),
        help_text=_("For example: the steering group, with the lived experience members."),
        max_length=300,
        error_messages={"required": _("Say who agreed this change")},
    )
    reason = forms.CharField(
        label=_("Why"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the partnership moves to this step")},
    )
    justification = forms.CharField(
        label=_("Why more than one step at once (needed when moving up more than one step)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args: Any, current: int, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("changed_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.current = current
        self.fields["to_level"].choices = [
            (step.value, f"{step.label}: {LEVEL_MEANINGS[step]}")
            for step in ParticipationLevel
            if step.value != current
        ]
        self.helper = _helper(_("Move on the ladder"), *self.fields)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        to_level = data.get("to_level")
        if to_level and to_level - self.current > 1 and not data.get("justification", "").strip():
            self.add_error(
                "justification",
                _("Explain why the partnership moves up more than one step at once"),
            )
        return data


# Members -----------------------------------------------------------------------------------------


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"),
        help_text=_("People who hold a role a member can have, by display name."),
        queryset=None,
        error_messages={"required": _("Choose the person")},
    )
    role = forms.ChoiceField(
        label=_("Their role in the partnership"),
        help_text=_("It must be a role they hold."),
        choices=PartnershipRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose their role in the partnership")},
    )
    joined_on = _date(_("Date they joined"))

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("joined_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = _by_display_name
        self.helper = _helper(_("Add the member"), *self.fields)


class EndMembershipForm(forms.Form):
    left_on = _date(_("Date they left"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("left_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.helper = _helper(_("End the membership"), "left_on")


class ConfirmForm(forms.Form):
    """A button that confirms (removing a practitioner)."""

    def __init__(self, *args: Any, submit_label: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))
