"""Validation of what researchers type in a proposal. Saving is the services' job."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Div, Field, Layout, Size
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from funding.models import SUMMARY_MAX_LENGTH
from funding.services import (
    MAX_ATTACHMENTS_PER_PROPOSAL,
    PROPOSAL_FIELDS,
    REQUIRED_TO_SUBMIT,
    check_attachments,
)

SAVE = "save"
SEND = "send"

REQUIRED_MESSAGES = {
    "title": _("Enter a title"),
    "summary": _("Enter a plain-language summary"),
    "description": _("Enter the full description"),
    "requested_amount": _("Enter the amount you are asking for"),
    "lived_experience_involvement": _(
        "Say how people with lived experience will be involved and paid"
    ),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files from one file input (Django's documented pattern); each is checked by its
    content, not its name, in the form's `clean_attachments`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            # Full width, never wider: the picker fits a 320 px screen with an error shown.
            MultipleFileInput(attrs={"accept": ".pdf,.docx", "class": "govuk-!-width-full"}),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProposalForm(forms.Form):
    """A proposal's fields and which button was pressed: "Save and finish later" keeps whatever
    is there; "Send my proposal" needs the required fields (the service checks them too). Without
    a button in the post (a draft kept when the session timed out), it is a save."""

    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    summary = forms.CharField(
        label=_("Plain-language summary"),
        help_text=_(
            "Up to 1,200 characters, in words anyone on the panel can follow: short sentences "
            "and everyday words. After you save, we show a reading-age hint — it is only a hint, "
            "worked out from sentence length and long words."
        ),
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea,
    )
    description = forms.CharField(
        label=_("Full description"), required=False, widget=forms.Textarea
    )
    requested_amount = forms.DecimalField(
        label=_("Amount you are asking for, in pounds"),
        required=False,
        max_digits=12,
        decimal_places=2,
        min_value=0.01,
        error_messages={
            "invalid": _("Enter an amount in pounds, like 12500 or 12500.50"),
            "min_value": _("The amount must be more than zero"),
        },
    )
    team = forms.CharField(
        label=_("Team members"),
        help_text=_("Names and roles of the people who will do the work."),
        required=False,
        widget=forms.Textarea,
    )
    lived_experience_involvement = forms.CharField(
        label=_("How will people with lived experience be involved and paid?"),
        required=False,
        widget=forms.Textarea,
    )
    content_warning = forms.CharField(
        label=_("Content warning (optional)"),
        help_text=_("Topics in your proposal a reader may find distressing."),
        max_length=300,
        required=False,
    )
    attachments = FilesField(label=_("Add files (optional)"), required=False)

    def __init__(self, *args: Any, attachments_attached: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.attachments_attached = attachments_attached
        # The limits are settings: say the ones in force, in whole megabytes.
        self.fields["attachments"].help_text = _(
            "PDF or Word (.docx) files only, up to %(size)s MB each, %(count)s files at most. "
            "Everyone who reads your proposal can open them. You can choose more than one file."
        ) % {
            "size": max(1, settings.COPROD_PROPOSAL_FILE_MAX_BYTES // (1024 * 1024)),
            "count": MAX_ATTACHMENTS_PER_PROPOSAL,
        }
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("title"),
            Field.textarea("summary", rows=6, max_characters=SUMMARY_MAX_LENGTH),
            Field.textarea("description", rows=10),
            Field.text("requested_amount", field_width=10),
            Field.textarea("team", rows=3),
            Field.textarea("lived_experience_involvement", rows=5),
            Field.text("content_warning"),
            Field("attachments"),
            Div(
                Button(SEND, _("Send my proposal"), type="submit"),
                Button.secondary(SAVE, _("Save and finish later")),
                css_class="govuk-button-group",
            ),
        )

    @property
    def sending(self) -> bool:
        return SEND in self.data

    def fields_to_save(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROPOSAL_FIELDS}

    def clean_attachments(self) -> list[Any]:
        uploads = self.cleaned_data.get("attachments") or []
        check_attachments(uploads, already=self.attachments_attached)
        return uploads

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.sending:
            for name in REQUIRED_TO_SUBMIT:
                if name not in self.errors and data.get(name) in (None, ""):
                    self.add_error(name, REQUIRED_MESSAGES[name])
        return data


class WithdrawForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Button.warning("withdraw", _("Withdraw my proposal"), type="submit")
        )
