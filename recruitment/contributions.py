"""What recruitment brings through the core's doors (coprod.doors)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coprod.doors import AppDoors, PersonalData, StaffLink
from recruitment.models import ClaimEvent, Engagement, HonorariumClaim, PaymentEligibility
from recruitment.selectors import recruitment_personal_data
from recruitment.services import erase_recruitment_records

HONORARIA = _("Engagements and honoraria")

DOORS = AppDoors(
    staff_links=[
        StaffLink(
            _("Honorarium claims"),
            "admin:recruitment_honorariumclaim_changelist",
            ("recruitment.view_honorariumclaim",),
            HONORARIA,
            10,
        ),
        StaffLink(
            _("Engagements"),
            "admin:recruitment_engagement_changelist",
            ("recruitment.view_engagement",),
            HONORARIA,
            20,
        ),
        StaffLink(
            _("Download the payments to make (CSV)"),
            "recruitment:payments_csv",
            ("recruitment.export_payments", "recruitment.view_bank_details"),
            HONORARIA,
            30,
        ),
    ],
    personal_data=PersonalData(
        models=(Engagement, PaymentEligibility, HonorariumClaim, ClaimEvent),
        export=recruitment_personal_data,
        erase=erase_recruitment_records,
        retained={
            HonorariumClaim: "Paid claims are kept for finance's records (payments made must be "
            "accounted for): the pseudonymous reference, method, amounts and dates; every note "
            "and the payment reference are blanked.",
            Engagement: "The engagement a paid claim paid for: kind, date, hours and amounts; "
            "its title, source key and link to what it belonged to are removed.",
            ClaimEvent: "The history of a paid claim: states, dates and who acted (logins are "
            "emptied by the core); every note blanked.",
        },
    ),
)
