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


# Agreements and meetings (helper "meetings") -----------------------------------------------------
from dataclasses import replace  # noqa: E402

from coprod.doors import Crontab, Periodic, PortalLink, UrlInclude, current_roles  # noqa: E402
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
