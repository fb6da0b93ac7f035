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
