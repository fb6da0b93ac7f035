"""Validation of what people and staff type about payments. Saving is the services' job."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from coprod.models import london_today
from recruitment.enums import PaymentMethod
from recruitment.models import PaymentEligibility
from recruitment.services import clean_bank_details, method_refusal


class MethodField(forms.ChoiceField):
    """Offers only the methods in `choices` but accepts any method, so that a forbidden one gets
    the plain reason from the form's `clean_method`, not "not one of the available choices"."""

    def valid_value(self, value: Any) -> bool:
        return value in PaymentMethod.values


class ClaimForm(forms.Form):
    """Send a claim: only the ways of being paid the person's eligibility allows are offered, and
    any other is refused with the reason (the service refuses it too)."""

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

    def __init__(self, *args: Any, eligibility: PaymentEligibility, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.eligibility = eligibility
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
            Submit("submit", _("Send my claim")),
        )

    def clean_method(self) -> str:
        method = self.cleaned_data["method"]
        if not self.eligibility.allows(method):
            raise ValidationError(method_refusal(self.eligibility))
        return method


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
    paid_on = forms.DateField(label=_("Paid on"), initial=london_today)
    reference = forms.CharField(label=_("Payment reference"), max_length=100)

    def clean_paid_on(self) -> date:
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > london_today():
            raise ValidationError(_("The payment date cannot be in the future."))
        return paid_on
