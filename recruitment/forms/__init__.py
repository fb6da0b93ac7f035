"""Forms for recruitment, one module per area."""

from recruitment.forms.claims import (
    BankDetailsForm,
    ClaimForm,
    MarkPaidForm,
    MethodField,
)

__all__ = [
    "BankDetailsForm",
    "ClaimForm",
    "MarkPaidForm",
    "MethodField",
]
