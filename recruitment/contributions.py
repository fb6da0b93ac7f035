"""What recruitment brings through the core's doors (coprod.doors)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coprod.doors import (
    AppDoors,
    DemoData,
    PersonalData,
    PortalLink,
    StaffLink,
    ThingToDo,
    UrlInclude,
    current_roles,
)
from coprod.enums import Role
from recruitment import demo
from recruitment.models import (
    Application,
    ApplicationEvent,
    ApplicationScore,
    ClaimEvent,
    Engagement,
    HonorariumClaim,
    Onboarding,
    Opportunity,
    PaymentEligibility,
    TrainingCompletion,
)
from recruitment.selectors import claimable_count, recruitment_personal_data
from recruitment.selectors.opportunities import offers_to_answer_count, unsent_applications_count
from recruitment.services import erase_recruitment_records

HONORARIA = _("Engagements and honoraria")
PAID_ROLES = frozenset({Role.PWLE, Role.LEE})


def _does_paid_work(request: HttpRequest) -> bool:
    """People with lived experience (PWLE or LEE): the roles that are paid for their work. Their
    roles are kept in the session (coprod.doors.current_roles), so this costs no query."""
    if getattr(request.user, "person", None) is None:
        return False
    return bool(PAID_ROLES & current_roles(request))


OPPORTUNITY_ROLES = frozenset({Role.PWLE, Role.LEE, Role.PRACTITIONER})


def _sees_opportunities(request: HttpRequest) -> bool:
    """People with lived experience apply; practitioners refer someone. No query (the roles are
    kept in the session)."""
    if getattr(request.user, "person", None) is None:
        return False
    return bool(OPPORTUNITY_ROLES & current_roles(request))


DOORS = AppDoors(
    urls=[
        UrlInclude("portal/paid-work/", "recruitment.portal_urls"),
        UrlInclude("staff/recruitment/", "recruitment.urls"),
        UrlInclude("portal/opportunities/", "recruitment.opportunity_urls"),
    ],
    things_to_do=[
        ThingToDo(
            key="claim_paid_work",
            count=claimable_count,
            text=lambda count: (
                ngettext(
                    "You can claim for %(count)s piece of work",
                    "You can claim for %(count)s pieces of work",
                    count,
                )
                % {"count": count}
            ),
            url_name="paid_work:list",
            order=40,
        ),
        ThingToDo(
            key="answer_offer",
            count=offers_to_answer_count,
            text=lambda count: (
                ngettext(
                    "You have an offer to answer",
                    "You have %(count)s offers to answer",
                    count,
                )
                % {"count": count}
            ),
            url_name="opportunities:applications",
            order=30,
        ),
        ThingToDo(
            key="send_application",
            count=unsent_applications_count,
            text=lambda count: (
                ngettext(
                    "You have an application you have not sent yet",
                    "You have %(count)s applications you have not sent yet",
                    count,
                )
                % {"count": count}
            ),
            url_name="opportunities:applications",
            order=35,
        ),
    ],
    portal_links=[
        PortalLink(_("Paid work"), "paid_work:list", order=40, visible=_does_paid_work),
        PortalLink(_("Opportunities"), "opportunities:list", order=30, visible=_sees_opportunities),
    ],
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
    demo_data=DemoData(seed=demo.seed, after=("coprod",)),
    personal_data=PersonalData(
        models=(
            Engagement,
            PaymentEligibility,
            HonorariumClaim,
            ClaimEvent,
            Application,
            ApplicationEvent,
            ApplicationScore,
            Opportunity,
            TrainingCompletion,
            Onboarding,
        ),
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
            Opportunity: "Opportunities are public work, not personal data: the member of "
            "staff who created one is only a login, emptied by the core.",
            ApplicationScore: "Scores belong to the application they score, and go with it; "
            "a scorer's login is emptied by the core.",
        },
    ),
)
