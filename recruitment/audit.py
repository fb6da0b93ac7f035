"""What the audit trail keeps of this app's changes (coprod.audit.register): ids, kinds, states,
dates, hours and amounts. Masked: every piece of free text (titles, advice, notes, expenses notes,
payment references, queries) and every restricted field (bank details, partner organisation),
so audit rows, which are never changed or deleted, hold nothing personal after an erasure."""

from coprod.audit import register
from recruitment.models import ClaimEvent, Engagement, HonorariumClaim, PaymentEligibility, Rate

register(
    Engagement,
    keep=[
        "id",
        "person",
        "kind",
        "content_type",
        "object_id",
        "date",
        "hours",
        "preparation_hours",
        "online",
        "travel",
        "childcare",
        "interpreter",
        "status",
        "status_changed_at",
        "created_at",
    ],
)
register(
    Rate,
    keep=[
        "id",
        "kind",
        "effective_from",
        "hourly",
        "daily",
        "preparation_hourly",
        "data_allowance",
        "created_at",
    ],
)
register(
    PaymentEligibility,
    keep=["id", "person", "status", "advice_date", "review_on", "preference", "recorded_by"],
    exclude=["updated_at"],
)
register(
    HonorariumClaim,
    keep=[
        "id",
        "reference",
        "engagement",
        "status",
        "method",
        "fee",
        "allowances",
        "expenses",
        "pay_by",
        "submitted_at",
        "approved_at",
        "paid_on",
        "days_to_pay",
        "created_at",
    ],
)
register(ClaimEvent, keep=["id", "claim", "from_status", "to_status", "at", "by", "by_process"])
