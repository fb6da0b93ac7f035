"""Writes for recruitment, one module per area. `record_engagement` (and the rest of the
honoraria services) is what other apps call: `recruitment.services.record_engagement`."""

from recruitment.services.honoraria import (
    ACCOUNT_NUMBER,
    EXPORT_COLUMNS,
    EXPORTED_FIELDS,
    SORT_CODE,
    approve_claim,
    cancel_engagement,
    clean_bank_details,
    complete_engagement,
    create_claim,
    erase_recruitment_records,
    export_payments,
    mark_claim_paid,
    method_refusal,
    payment_refusal,
    query_claim,
    record_engagement,
    record_payment_eligibility,
    set_payment_preference,
    set_rate,
    submit_claim,
    withdraw_claim,
)

__all__ = [
    "ACCOUNT_NUMBER",
    "EXPORTED_FIELDS",
    "EXPORT_COLUMNS",
    "SORT_CODE",
    "approve_claim",
    "cancel_engagement",
    "clean_bank_details",
    "complete_engagement",
    "create_claim",
    "erase_recruitment_records",
    "export_payments",
    "mark_claim_paid",
    "method_refusal",
    "payment_refusal",
    "query_claim",
    "record_engagement",
    "record_payment_eligibility",
    "set_payment_preference",
    "set_rate",
    "submit_claim",
    "withdraw_claim",
]

# Selection (staff side), training and onboarding.
from recruitment.services.selection import (
    close_opportunity,
    fix_shortlist,
    invite_to_conversation,
    mark_opportunity_filled,
    mark_unsuccessful,
    move_opportunity,
    offer_place,
    publish_opportunity,
    score_application,
    shortlist_application,
    turn_down_remaining,
)
from recruitment.services.training import (
    confirm_access_needs,
    record_agreement_signed,
    record_training_completion,
    start_onboarding,
)

__all__ += [
    "close_opportunity",
    "confirm_access_needs",
    "fix_shortlist",
    "invite_to_conversation",
    "mark_opportunity_filled",
    "mark_unsuccessful",
    "move_opportunity",
    "offer_place",
    "publish_opportunity",
    "record_agreement_signed",
    "record_training_completion",
    "score_application",
    "shortlist_application",
    "start_onboarding",
    "turn_down_remaining",
]
