"""Recruitment's models: engagements and honoraria, opportunities and applications, training and
onboarding, reminders sent."""

from recruitment.models.honoraria import (
    PENNY,
    ZERO,
    ClaimEvent,
    Engagement,
    HonorariumClaim,
    PaymentEligibility,
    Rate,
    hours_field,
    money_field,
    to_pennies,
)
from recruitment.models.opportunities import (
    Application,
    ApplicationEvent,
    ApplicationScore,
    Opportunity,
    SelectionCriterion,
)
from recruitment.models.receipts import ClaimReceipt, ReceiptType
from recruitment.models.reminders import Reminder
from recruitment.models.training import Onboarding, TrainingCompletion, TrainingModule

__all__ = [
    "PENNY",
    "ZERO",
    "Application",
    "ApplicationEvent",
    "ApplicationScore",
    "ClaimEvent",
    "ClaimReceipt",
    "Engagement",
    "HonorariumClaim",
    "Onboarding",
    "Opportunity",
    "PaymentEligibility",
    "Rate",
    "ReceiptType",
    "Reminder",
    "SelectionCriterion",
    "TrainingCompletion",
    "TrainingModule",
    "hours_field",
    "money_field",
    "to_pennies",
]
