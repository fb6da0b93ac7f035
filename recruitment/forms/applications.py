"""Validation of what people and practitioners type when they apply, refer someone or answer an
offer. Saving is the services' job (recruitment.services.applications)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Fieldset, Layout, Size
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from coprod.models import Person
from recruitment.services.applications import missing_answer_messages

SAVE = "save"
SEND = "send"
NEW_PERSON = "new"


def _answer(label: Any, hint: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        required=False,
        max_length=3000,
        widget=forms.Textarea,
    )


class AnswersForm(forms.Form):
    """The four questions, and which button was pressed: "Save and finish later" keeps whatever
    is there; "Send my application" needs the required answers (the service checks them too).
    Without a button in the post (a draft kept when the session timed out), it is a save."""

    why_interested = _answer(
        _("Why are you interested?"),
        _("A few sentences are enough. You do not have to say what happened to you."),
    )
    what_they_bring = _answer(
        _("What would you bring?"),
        _("For example what you know, what you care about, or skills from any part of life."),
    )
    support_needs = _answer(
        _("Support and access needs (optional)"),
        _("For example an interpreter, breaks, travel paid in advance, or help with reading."),
    )
    safe_contact = _answer(
        _("How and when is it safe to contact you?"),
        _("For example “text only, on weekday mornings” or “through my support worker”."),
    )

    send_label: Any = _("Send my application")
    save_label: Any = _("Save and finish later")
    required_messages: dict[str, Any] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(*self.layout_fields(), self.buttons())

    def layout_fields(self) -> list[Any]:
        return [
            Field.textarea("why_interested", rows=4),
            Field.textarea("what_they_bring", rows=4),
            Field.textarea("support_needs", rows=3),
            Field.textarea("safe_contact", rows=3),
        ]

    def buttons(self) -> Div:
        # Two buttons: the one pressed is the name in the post ("send" or "save"). "Send" comes
        # first, so it is the form's default button (and the one marked as the submit button).
        return Div(
            Button(SEND, self.send_label, type="submit"),
            Button.secondary(SAVE, self.save_label),
            css_class="govuk-button-group",
        )

    @property
    def sending(self) -> bool:
        return SEND in self.data

    def answers(self) -> dict[str, str]:
        return {
            field: self.cleaned_data[field]
            for field in ("why_interested", "what_they_bring", "support_needs", "safe_contact")
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.sending:
            messages = self.required_messages or missing_answer_messages()
            for field, message in messages.items():
                if field not in self.errors and not (data.get(field) or "").strip():
                    self.add_error(field, message)
        return data


class ApplicationForm(AnswersForm):
    """A person's own application."""


class ReferralAnswersForm(AnswersForm):
    """The answers of a referral, filled in with or for the person: the same questions, about
    "them"; how and when it is safe to reach them is always required."""

    send_label = _("Send the referral")
    save_label = _("Save and finish later")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["why_interested"].label = _("Why are they interested?")
        self.fields["what_they_bring"].label = _("What would they bring?")
        self.fields["support_needs"].help_text = _(
            "For example an interpreter, breaks, travel paid in advance, or help with reading."
        )
        self.fields["safe_contact"].label = _("How and when is it safe to reach them?")
        self.fields["safe_contact"].help_text = _(
            "For example “only through me, on weekdays”. Never write an address."
        )
        self.fields["safe_contact"].required = True
        self.fields["safe_contact"].error_messages["required"] = _(
            "Say how and when it is safe to reach them"
        )

    @property
    def required_messages(self) -> dict[str, Any]:  # type: ignore[override]
        return {
            "why_interested": _("Say why they are interested"),
            "what_they_bring": _("Say what they would bring"),
        }


class ReferralForm(ReferralAnswersForm):
    """A practitioner refers someone: a person they support, or someone new known only by a
    display name; that the person agreed; and the answers, filled in with them."""

    person = forms.ChoiceField(
        label=_("Who are you referring?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select who you are referring")},
    )
    display_name = forms.CharField(
        label=_("If someone new: their first name or a made-up name"),
        help_text=_("Never their full or legal name. They can change it later."),
        required=False,
        max_length=80,
    )
    consent = forms.BooleanField(
        label=_("They agreed to be referred for this opportunity"),
        help_text=_("Only refer someone who has said yes. They can change their mind at any time."),
        error_messages={"required": _("Confirm that the person agreed to be referred")},
    )

    # The order the page shows them in, which the error summary follows.
    field_order = ("person", "display_name", "consent")

    def __init__(self, *args: Any, supported: QuerySet[Person], **kwargs: Any) -> None:
        self.supported = {str(person.pk): person for person in supported}
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [
            *((pk, person.display_name) for pk, person in self.supported.items()),
            (NEW_PERSON, _("Someone new (they do not have an account)")),
        ]
        if not self.supported:
            self.fields["person"].initial = NEW_PERSON

    def layout_fields(self) -> list[Any]:
        return [
            Field.radios("person", legend_size=Size.MEDIUM),
            Field.text("display_name", field_width=20),
            Field.checkbox("consent"),
            Fieldset(*super().layout_fields(), legend=_("Their answers"), legend_size=Size.MEDIUM),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("person") == NEW_PERSON and not (data.get("display_name") or "").strip():
            self.add_error("display_name", _("Enter a name for the person"))
        return data

    def chosen_person(self) -> Person | None:
        """The supported person chosen, or None for someone new."""
        return self.supported.get(self.cleaned_data["person"])


class WithdrawForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Button.warning("withdraw", _("Withdraw my application"), type="submit")
        )


ACCEPT = "accept"
DECLINE = "decline"


class OfferAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Do you want to take this place?"),
        choices=[(ACCEPT, _("Yes, I accept")), (DECLINE, _("No, thank you"))],
        widget=forms.RadioSelect,
        error_messages={"required": _("Select yes or no")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Field.radios("answer", legend_size=Size.MEDIUM),
            Button("submit", _("Send my answer"), type="submit"),
        )
