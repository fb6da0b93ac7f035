"""Validation of what people and staff type about payments. Saving is the services' job."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coprod.models import london_today
from recruitment.enums import PaymentMethod
from recruitment.models import PaymentEligibility
from recruitment.services import check_receipts, clean_bank_details


class MethodField(forms.ChoiceField):
    """Offers only the methods in `choices` but accepts any method, so that a forbidden one gets
    the plain reason from the form's `clean_method`, not "not one of the available choices"."""

    def valid_value(self, value: Any) -> bool:
        return value in PaymentMethod.values


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReceiptsField(forms.FileField):
    """Several files from one file input (Django's documented pattern); each is checked by
    its content, not its name, in the form's `clean_receipts`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget",
            # Full width, never wider: the picker fits a 320 px screen with an error shown.
            MultipleFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png", "class": "govuk-!-width-full"}
            ),
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def method_refusal_for_person(eligibility: PaymentEligibility) -> str:
    """Why the person cannot be paid this way, said to them, with what they can choose."""
    allowed = "; ".join(
        str(label).lower() if value != PaymentMethod.DECLINED else str(_("not being paid"))
        for value, label in PaymentMethod.choices
        if eligibility.allows(value)
    )
    return str(
        _(
            "You cannot be paid this way with the payment advice you have had "
            "(%(eligibility)s). You can choose: %(allowed)s."
        )
        % {"eligibility": eligibility.get_status_display().lower(), "allowed": allowed}
    )


class ClaimForm(forms.Form):
    """Send a claim: only the ways of being paid the person's eligibility allows are offered, and
    any other is refused with the reason, said to the person (the service refuses it too).
    Receipts for the expenses can be attached: each is checked for its size and its kind (read
    from the file's content) before anything is saved."""

    method = MethodField(
        label=_("How do you want to be paid?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Select how you want to be paid")},
    )
    expenses = forms.DecimalField(
        label=_("Expenses (optional)"),
        required=False,
        min_value=0,
        max_digits=8,
        decimal_places=2,
        error_messages={"min_value": _("Expenses cannot be less than zero")},
    )
    expenses_note = forms.CharField(
        label=_("What were the expenses for? (optional)"), required=False, max_length=500
    )
    receipts = ReceiptsField(
        label=_("Receipts (optional)"),
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        eligibility: PaymentEligibility,
        receipts_attached: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.eligibility = eligibility
        self.receipts_attached = receipts_attached
        # The limit is a setting: say the one in force, in whole megabytes.
        self.fields["receipts"].help_text = _(
            "A photo or a PDF of each receipt: PDF, JPEG or PNG files, up to %(size)s MB each. "
            "You can choose more than one file."
        ) % {"size": max(1, settings.COPROD_RECEIPT_MAX_BYTES // (1024 * 1024))}
        # Only the allowed ones are shown (the radios are rendered from the field's choices).
        self.fields["method"].choices = [
            (value, label) for value, label in PaymentMethod.choices if eligibility.allows(value)
        ]
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.radios("method", legend_size=Size.MEDIUM),
            Field.text("expenses", field_width=10),
            Field.textarea("expenses_note", rows=3),
            Field("receipts"),
            Submit("submit", _("Send my claim")),
        )

    def clean_method(self) -> str:
        method = self.cleaned_data["method"]
        if not self.eligibility.allows(method):
            raise ValidationError(method_refusal_for_person(self.eligibility))
        return method

    def clean_receipts(self) -> list[Any]:
        uploads = self.cleaned_data.get("receipts") or []
        check_receipts(uploads, already=self.receipts_attached)
        return uploads


class BankDetailsForm(forms.Form):
    account_name = forms.CharField(label=_("Name on the account"), max_length=140)
    sort_code = forms.CharField(label=_("Sort code"), max_length=8)
    account_number = forms.CharField(label=_("Account number"), max_length=10)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not self.errors:
            data.update(clean_bank_details(data))
        return data


class MarkPaidForm(forms.Form):
    paid_on = forms.DateField(
        label=_("Paid on"),
        initial=london_today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date it was paid"),
            "invalid": _("Enter the date it was paid, like 27/03/2026"),
        },
    )
    reference = forms.CharField(
        label=_("Payment reference"),
        max_length=100,
        help_text=_("The bank's or the voucher's reference. No names."),
        error_messages={"required": _("Enter the payment reference")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "mark-paid"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("paid_on", field_width=10),
            Field.text("reference", field_width=20),
            Submit("submit", _("Mark as paid")),
        )

    def clean_paid_on(self) -> date:
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > london_today():
            raise ValidationError(_("The payment date cannot be in the future."))
        return paid_on


class ApproveClaimForm(forms.Form):
    """Approve a claim for payment: nothing to type, the button is the decision."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "approve"
        self.helper.layout = Layout(Submit("submit", _("Approve for payment")))


class QueryClaimForm(forms.Form):
    """Send a claim back to the person with a question (shown to them in the portal)."""

    question = forms.CharField(
        label=_("Your question for the person"),
        help_text=_(
            "They will see it with their claim. Plain words, for example: “Please add the "
            "receipt for the bus fare.”"
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the question for the person")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "query"
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.textarea("question", rows=3),
            Submit("submit", _("Send the question"), css_class="govuk-button--secondary"),
        )
