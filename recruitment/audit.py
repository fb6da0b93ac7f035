"""What the audit trail keeps of this app's changes (coprod.audit.register): ids, kinds, states,
dates, hours and amounts. Masked: every piece of free text (titles, advice, notes, expenses notes,
payment references, queries) and every restricted field (bank details, partner organisation),
so audit rows, which are never changed or deleted, hold nothing personal after an erasure.
Opportunities, criteria and training modules are public; their text is masked all the same (a
title can name a partner or a place), as are an application's answers, reason and feedback, a
score's comment and a receipt's file name."""

from coprod.audit import register
from recruitment.models import (
    Application,
    ApplicationEvent,
    ApplicationScore,
    ClaimEvent,
    ClaimReceipt,
    Engagement,
    HonorariumClaim,
    Onboarding,
    Opportunity,
    PaymentEligibility,
    Rate,
    SelectionCriterion,
    TrainingCompletion,
    TrainingModule,
)

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
register(
    Opportunity,
    keep=[
        "id",
        "role_sought",
        "engagement_kind",
        "pay_rate",
        "pay_basis",
        "mode",
        "places",
        "closes_at",
        "status",
        "blind_shortlisting",
        "shortlist_fixed_at",
        "published_at",
        "created_by",
        "created_at",
    ],
    exclude=["updated_at"],
    m2m_fields=["required_modules"],
)
register(SelectionCriterion, keep=["id", "opportunity", "max_score", "order"])
register(
    Application,
    keep=[
        "id",
        "opportunity",
        "person",
        "route",
        "referred_by",
        "consent_confirmed_at",
        "status",
        "submitted_at",
        "status_changed_at",
        "number",
        "created_at",
    ],
    exclude=["updated_at"],
)
register(
    ApplicationEvent,
    keep=["id", "application", "from_status", "to_status", "at", "by", "by_process"],
)
register(
    ApplicationScore,
    keep=["id", "application", "criterion", "scorer", "score"],
    exclude=["updated_at"],
)
register(TrainingModule, keep=["id", "hours", "active", "created_at"])
register(
    TrainingCompletion, keep=["id", "person", "module", "completed_on", "recorded_by", "created_at"]
)
register(
    Onboarding,
    keep=["id", "person", "agreement_signed_on", "access_needs_confirmed_on", "started_at"],
    exclude=["updated_at"],
)
register(ClaimReceipt, keep=["id", "claim", "content_type", "size", "added_at"])
