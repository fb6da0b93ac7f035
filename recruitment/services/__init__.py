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
from recruitment.services.receipts import (
    MAX_RECEIPTS_PER_CLAIM,
    check_receipts,
    erase_claim_receipts,
    send_claim_with_receipts,
)

__all__ = [
    "ACCOUNT_NUMBER",
    "EXPORTED_FIELDS",
    "EXPORT_COLUMNS",
    "MAX_RECEIPTS_PER_CLAIM",
    "SORT_CODE",
    "approve_claim",
    "cancel_engagement",
    "check_receipts",
    "clean_bank_details",
    "complete_engagement",
    "create_claim",
    "erase_claim_receipts",
    "erase_recruitment_records",
    "export_payments",
    "mark_claim_paid",
    "method_refusal",
    "payment_refusal",
    "query_claim",
    "record_engagement",
    "record_payment_eligibility",
    "send_claim_with_receipts",
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
