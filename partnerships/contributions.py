"""What partnerships brings through the core's doors (coprod.doors).

Each area adds its pages, links, things to do and periodic tasks below in its own block
(`DOORS = replace(DOORS, urls=[*DOORS.urls, ...])`), so areas do not edit each other's lines."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from coprod.doors import AppDoors, DemoData, PersonalData
from partnerships import demo
from partnerships.models import (
    Agreement,
    AssessmentParticipation,
    AssessmentRound,
    Barrier,
    Decision,
    LevelChange,
    Meeting,
    MeetingInvitation,
    OrganisationPractitioner,
    Partnership,
    PartnershipMember,
    Resource,
    ResourceContributor,
    YouSaidItem,
)
from partnerships.selectors.personal_data import partnerships_personal_data
from partnerships.services.personal_data import erase_partnership_records

PARTNERSHIPS = _("Partnerships")

DOORS = AppDoors(
    demo_data=DemoData(demo.seed, after=("coprod", "recruitment")),
    personal_data=PersonalData(
        models=(
            OrganisationPractitioner,
            Partnership,
            PartnershipMember,
            LevelChange,
            Agreement,
            Meeting,
            MeetingInvitation,
            Decision,
            Barrier,
            YouSaidItem,
            Resource,
            ResourceContributor,
            AssessmentRound,
            AssessmentParticipation,
        ),
        export=partnerships_personal_data,
        erase=erase_partnership_records,
        retained={
            YouSaidItem: _(
                "What was said stays, without a name, only where the person agreed; the "
                "centre's response and what changed stay."
            ),
            Resource: _("Published resources stay, without the link to who proposed them."),
        },
    ),
)


# Organisations, partnerships, the ladder and members (helper "core") ----------------------------
from dataclasses import replace  # noqa: E402

from django.http import HttpRequest  # noqa: E402

from coprod.doors import PortalLink, StaffLink, UrlInclude, current_roles  # noqa: E402
from partnerships.enums import PartnershipRole  # noqa: E402

# People holding any of these roles can be members: the portal link shows to them (no query).
MEMBER_ROLES = frozenset(PartnershipRole.values)


def _may_be_member(request: HttpRequest) -> bool:
    if request.user.is_staff or getattr(request.user, "person", None) is None:
        return False
    return bool(MEMBER_ROLES & current_roles(request))


DOORS = replace(
    DOORS,
    urls=[
        *DOORS.urls,
        UrlInclude("staff/partnerships/", "partnerships.urls_staff"),
        UrlInclude("portal/partnerships/", "partnerships.urls_portal"),
    ],
    portal_links=[
        *DOORS.portal_links,
        PortalLink(_("Partnerships"), "partnerships_portal:list", order=60, visible=_may_be_member),
    ],
    staff_links=[
        *DOORS.staff_links,
        StaffLink(
            _("Partnerships: where each stands on the ladder"),
            "partnerships_staff:overview",
            ("partnerships.view_partnership",),
            PARTNERSHIPS,
            10,
        ),
        StaffLink(
            _("Partner organisations and their practitioners"),
            "partnerships_staff:organisations",
            ("partnerships.view_organisation",),
            PARTNERSHIPS,
            20,
        ),
    ],
)


# Decisions, tensions and influence (helper "influence") -----------------------------------------
from dataclasses import replace  # noqa: E402

from coprod.doors import Crontab, Periodic, StaffLink, UrlInclude  # noqa: E402
from partnerships.selectors.you_said import overdue_you_said_count  # noqa: E402

DOORS = replace(
    DOORS,
    urls=[
        *DOORS.urls,
        UrlInclude("staff/partnerships/decisions/", "partnerships.urls_decisions_staff"),
        UrlInclude("portal/partnerships/decisions/", "partnerships.urls_decisions"),
        UrlInclude("staff/partnerships/barriers/", "partnerships.urls_barriers_staff"),
        UrlInclude("staff/partnerships/you-said/", "partnerships.urls_you_said_staff"),
        UrlInclude("portal/partnerships/you-said/", "partnerships.urls_you_said"),
    ],
    staff_links=[
        *DOORS.staff_links,
        StaffLink(
            _("\u201cYou said, we did\u201d: items open too long"),
            "partnerships_you_said_staff:all",
            ("partnerships.view_yousaiditem",),
            PARTNERSHIPS,
            60,
            count=overdue_you_said_count,
        ),
    ],
    periodic_tasks=[
        *DOORS.periodic_tasks,
        Periodic(
            "Flag old \u201cyou said, we did\u201d items to the partnership's lead",
            "coprod.partnerships.flag_old_you_said",
            crontab=Crontab(minute="30", hour="8"),
        ),
    ],
)


# The five-values self-assessment (helper "assessment") -----------------------------------------
from dataclasses import replace  # noqa: E402

from django.utils.translation import ngettext  # noqa: E402

from coprod.doors import StaffLink, ThingToDo, UrlInclude  # noqa: E402
from partnerships.selectors.assessment import rounds_to_answer_count  # noqa: E402

DOORS = replace(
    DOORS,
    urls=[
        *DOORS.urls,
        UrlInclude("portal/partnerships/assessment/", "partnerships.urls_assessment"),
        UrlInclude("staff/partnerships/assessment/", "partnerships.urls_assessment_staff"),
    ],
    things_to_do=[
        *DOORS.things_to_do,
        ThingToDo(
            key="partnerships_assessment_round",
            count=rounds_to_answer_count,
            text=lambda count: (
                ngettext(
                    "Tell us how your partnership is doing (a short, anonymous questionnaire)",
                    "Tell us how your partnerships are doing (%(count)s short, anonymous "
                    "questionnaires)",
                    count,
                )
                % {"count": count}
            ),
            url_name="partnerships_assessment:to_answer",
            order=70,
        ),
    ],
    staff_links=[
        *DOORS.staff_links,
        StaffLink(
            _("Five-values self-assessment: rounds and results"),
            "partnerships_assessment_staff:list",
            ("partnerships.view_partnership",),
            PARTNERSHIPS,
            60,
        ),
    ],
)


# Agreements and meetings (helper "meetings") -----------------------------------------------------
from dataclasses import replace  # noqa: E402

from coprod.doors import Crontab, Periodic, PortalLink, UrlInclude  # noqa: E402
from partnerships.enums import PartnershipRole  # noqa: E402


def _may_be_member(request) -> bool:  # type: ignore[no-untyped-def]
    """Partnership members hold one of the partnership roles; no query (roles are in the
    session). The page lists their meetings, or says there are none."""
    if getattr(request.user, "person", None) is None:
        return False
    return bool(set(PartnershipRole.values) & {str(role) for role in current_roles(request)})


DOORS = replace(
    DOORS,
    urls=[
        *DOORS.urls,
        UrlInclude("staff/partnerships/agreements/", "partnerships.urls_agreements"),
        UrlInclude("staff/partnerships/meetings/", "partnerships.urls_meetings_staff"),
        UrlInclude("portal/partnerships/meetings/", "partnerships.urls_meetings"),
    ],
    portal_links=[
        *DOORS.portal_links,
        PortalLink(
            _("Partnership meetings"),
            "partnerships_meetings:list",
            order=62,
            visible=_may_be_member,
        ),
    ],
    periodic_tasks=[
        *DOORS.periodic_tasks,
        Periodic(
            "Remind partnership leads of agreement reviews due",
            "coprod.partnerships.remind_agreement_reviews",
            crontab=Crontab(minute="5", hour="8"),
        ),
    ],
)


# The good-practice library (helper "library") ---------------------------------------------------
from dataclasses import replace  # noqa: E402

from coprod.doors import PortalLink, StaffLink, ThingToDo, UrlInclude  # noqa: E402
from partnerships.selectors.library import (  # noqa: E402
    credit_unanswered,
    waiting_proposals_count,
)

DOORS = replace(
    DOORS,
    urls=[
        *DOORS.urls,
        UrlInclude("portal/library/", "partnerships.urls_library"),
        UrlInclude("staff/library/", "partnerships.urls_library_staff"),
    ],
    portal_links=[
        *DOORS.portal_links,
        PortalLink(_("Good practice library"), "partnerships_library:library", order=70),
    ],
    things_to_do=[
        *DOORS.things_to_do,
        ThingToDo(
            key="partnerships_library_credit",
            count=credit_unanswered,
            text=lambda value: _("Say whether we can show your name on a resource you helped with"),
            url_name="partnerships_library:proposals",
            order=80,
        ),
    ],
    staff_links=[
        *DOORS.staff_links,
        StaffLink(
            _("Library: proposals waiting"),
            "partnerships_library_staff:queue",
            ("partnerships.view_resource",),
            PARTNERSHIPS,
            60,
            count=waiting_proposals_count,
        ),
        StaffLink(
            _("Library: published resources"),
            "partnerships_library_staff:published",
            ("partnerships.view_resource",),
            PARTNERSHIPS,
            61,
        ),
    ],
)
