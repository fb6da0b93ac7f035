"""What recruitment brings through the core's doors (coprod.doors)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coprod.audit import Actor
from coprod.doors import (
    AppDoors,
    Crontab,
    DemoData,
    Periodic,
    PersonalData,
    PortalLink,
    StaffLink,
    ThingToDo,
    UrlInclude,
    current_roles,
)
from coprod.enums import Role
from coprod.models import Person
from recruitment import demo
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
    TrainingCompletion,
)
from recruitment.selectors import claimable_count, recruitment_personal_data
from recruitment.selectors.opportunities import offers_to_answer_count, unsent_applications_count
from recruitment.selectors.receipts import receipts_personal_data
from recruitment.selectors.selection import onboarding_open, training_personal_data
from recruitment.services import erase_claim_receipts, erase_recruitment_records
from recruitment.services.training import erase_training_records

HONORARIA = _("Engagements and honoraria")
SELECTION = _("Opportunities, selection and training")
PAID_ROLES = frozenset({Role.PWLE, Role.LEE})


def _does_paid_work(request: HttpRequest) -> bool:
    """People with lived experience (PWLE or LEE): the roles that are paid for their work. Their
    roles are kept in the session (coprod.doors.current_roles), so this costs no query."""
    if getattr(request.user, "person", None) is None:
        return False
    return bool(PAID_ROLES & current_roles(request))


def _personal_data(person: Person) -> dict[str, Any]:
    """Engagements, claims and eligibility, applications (recruitment_personal_data), receipts,
    training and onboarding."""
    return {
        **recruitment_personal_data(person),
        "receipts": receipts_personal_data(person),
        **training_personal_data(person),
    }


def _erase(person: Person, *, by: Actor) -> None:
    """Receipts first (their files go when the erasure commits), then the rest."""
    erase_claim_receipts(person, by=by)
    erase_recruitment_records(person, by=by)
    erase_training_records(person, by=by)


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
        UrlInclude("staff/recruitment/opportunities/", "recruitment.selection_urls"),
        UrlInclude("portal/getting-started/", "recruitment.onboarding_urls"),
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
            key="finish_onboarding",
            count=onboarding_open,
            text=lambda open_steps: _("Finish getting started: see what is left to do"),
            url_name="onboarding:checklist",
            order=30,
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
            "recruitment:claims",
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
        StaffLink(
            _("Opportunities and selection"),
            "selection:list",
            ("recruitment.manage_selection",),
            SELECTION,
            10,
        ),
        StaffLink(
            _("Write or edit opportunities"),
            "admin:recruitment_opportunity_changelist",
            ("recruitment.change_opportunity",),
            SELECTION,
            20,
        ),
        StaffLink(
            _("Training modules"),
            "admin:recruitment_trainingmodule_changelist",
            ("recruitment.change_trainingmodule",),
            SELECTION,
            30,
        ),
        StaffLink(
            _("Training records"),
            "admin:recruitment_trainingcompletion_changelist",
            ("recruitment.add_trainingcompletion",),
            SELECTION,
            40,
        ),
        StaffLink(
            _("How quickly we pay (late claims)"),
            "recruitment:claims_timeliness",
            ("recruitment.view_honorariumclaim",),
            HONORARIA,
            15,
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
            ClaimReceipt,
        ),
        export=_personal_data,
        erase=_erase,
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
    # Reminders (recruitment.services.reminders), London time. Each sweep sends a reminder once
    # however often it runs, so hourly runs only make a missed run harmless. People's reminders
    # during the day (the outbox also keeps to each person's safe times); staff digests on
    # working days, the first run that finds something sending the day's digest.
    periodic_tasks=[
        Periodic(
            "Remind people to claim for work done",
            "coprod.recruitment.remind_unclaimed_work",
            crontab=Crontab(minute="10", hour="9-18"),
        ),
        Periodic(
            "Remind applicants of applications not sent",
            "coprod.recruitment.remind_unsent_applications",
            crontab=Crontab(minute="20", hour="9-18"),
        ),
        Periodic(
            "Tell the engagement team about claims waiting for approval",
            "coprod.recruitment.remind_claims_waiting_for_approval",
            crontab=Crontab(minute="40", hour="8-16", day_of_week="1-5"),
        ),
        Periodic(
            "Tell finance about claims due to be paid",
            "coprod.recruitment.remind_payments_due_soon",
            crontab=Crontab(minute="45", hour="8-16", day_of_week="1-5"),
        ),
        Periodic(
            "Tell finance about claims paid late",
            "coprod.recruitment.remind_late_payments",
            crontab=Crontab(minute="50", hour="8-16", day_of_week="1-5"),
        ),
        Periodic(
            "Tell the engagement team about eligibility reviews due",
            "coprod.recruitment.remind_eligibility_reviews",
            crontab=Crontab(minute="55", hour="8-16", day_of_week="1-5"),
        ),
    ],
)
