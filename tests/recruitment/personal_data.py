"""The canary for recruitment (tests/coprod/test_data_rights.py): `word` in every personal field
this app holds about the person, put there through the services as in real use — eligibility
with notes and bank details, a paid claim (kept after erasure, its free text blanked) with
expenses, a query, a receipt (deleted on erasure) and a payment reference, a draft claim and a
planned engagement; an application decided with a reason and feedback, and a draft."""

from __future__ import annotations

from coprod.enums import StaffGroup
from coprod.models import User, london_today
from recruitment.enums import ApplicationStatus, EngagementKind, PaymentMethod
from recruitment.services import (
    approve_claim,
    complete_engagement,
    mark_claim_paid,
    query_claim,
    record_engagement,
    record_payment_eligibility,
    send_claim_with_receipts,
    set_payment_preference,
    submit_claim,
)
from recruitment.services.applications import (
    move_application,
    save_application,
    start_application,
    submit_application,
)
from tests.factories.core import make_staff
from tests.factories.recruitment import OpportunityFactory, standard_rates
from tests.recruitment.receipts import pdf_upload


def fill(user: User, word: str) -> None:
    person = user.person
    engagement_team = make_staff(StaffGroup.ENGAGEMENT)
    finance = make_staff(StaffGroup.FINANCE)
    standard_rates()
    record_payment_eligibility(
        person,
        by=engagement_team,
        status="full",
        advice_source=f"{word} adviser",
        advice_date=london_today(),
        staff_notes=f"{word} notes",
    )
    set_payment_preference(
        person,
        by=user,
        preference=PaymentMethod.BANK_TRANSFER,
        bank_details={
            "account_name": f"{word} account",
            "sort_code": "309457",
            "account_number": "12345678",
        },
        partner_organisation=f"{word} partner",
    )
    today = london_today()
    engagements = [
        record_engagement(
            person,
            by=engagement_team,
            kind=EngagementKind.PANEL,
            on=today,
            hours="3",
            source_key=f"canary:{word}:{n}",
            title=f"{word} engagement {n}",
            belongs_to=finance,  # any row: the link is removed on erasure
        )
        for n in range(3)
    ]
    paid = complete_engagement(engagements[0], by=engagement_team).claim
    submit_claim(paid, by=user, expenses="4.50", expenses_note=f"{word} taxi")
    query_claim(paid, by=engagement_team, question=f"{word} question")
    # Sent again with a receipt, whose file name is the person's own.
    send_claim_with_receipts(
        engagements[0],
        by=user,
        method=PaymentMethod.BANK_TRANSFER,
        expenses="4.50",
        expenses_note=f"{word} taxi",
        receipts=[pdf_upload(f"{word} taxi receipt.pdf")],
    )
    approve_claim(paid, by=engagement_team)
    mark_claim_paid(paid, by=finance, paid_on=today, reference=f"{word} reference")
    draft = complete_engagement(engagements[1], by=engagement_team).claim
    submit_claim(draft, by=user, expenses="1", expenses_note=f"{word} bus")
    # Applications: a sent one, decided with a reason and feedback (and a note in its history),
    # and a draft.
    application = start_application(OpportunityFactory(), by=user)
    save_application(
        application,
        by=user,
        why_interested=f"{word} why",
        what_they_bring=f"{word} bring",
        support_needs=f"{word} needs",
        safe_contact=f"{word} safe contact",
    )
    submit_application(application, by=user)
    move_application(
        application, ApplicationStatus.SHORTLISTED, by=engagement_team, note=f"{word} step"
    )
    move_application(
        application,
        ApplicationStatus.UNSUCCESSFUL,
        by=engagement_team,
        reason=f"{word} reason",
        feedback=f"{word} feedback",
    )
    draft = start_application(OpportunityFactory(), by=user)
    save_application(draft, by=user, why_interested=f"{word} draft")
