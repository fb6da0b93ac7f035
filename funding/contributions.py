"""What funding brings through the core's doors (coprod.doors)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from coprod.doors import AppDoors, PersonalData, PortalLink, StaffLink, UrlInclude, current_roles
from funding.models import (
    Call,
    ConflictDeclaration,
    Decision,
    MeetingAttendance,
    MeetingPoll,
    Panel,
    PanelMember,
    Proposal,
    Review,
)
from funding.selectors import APPLYING_ROLES, funding_personal_data
from funding.services import erase_funding_records

FUNDING = _("Funding")


def _applies(request: HttpRequest) -> bool:
    """Researchers apply for funding. No query (the roles are kept in the session)."""
    if getattr(request.user, "person", None) is None:
        return False
    return bool(APPLYING_ROLES & current_roles(request))


DOORS = AppDoors(
    urls=[UrlInclude("portal/funding/", "funding.portal_urls")],
    portal_links=[PortalLink(_("Funding calls"), "funding:calls", order=50, visible=_applies)],
    staff_links=[
        StaffLink(
            _("Funding calls and criteria"),
            "admin:funding_call_changelist",
            ("funding.change_call",),
            FUNDING,
            10,
        ),
        StaffLink(
            _("Proposals and eligibility"),
            "admin:funding_proposal_changelist",
            ("funding.view_proposal",),
            FUNDING,
            20,
        ),
    ],
    personal_data=PersonalData(
        models=(
            Call,
            Proposal,
            Panel,
            PanelMember,
            ConflictDeclaration,
            Review,
            Decision,
            MeetingPoll,
            MeetingAttendance,
        ),
        retained={
            PanelMember: "A reviewer's scores are kept for the panel's results, without their "
            "name: the seat loses its link to the person.",
            Review: "Kept with its scores, without the reviewer's words or name.",
        },
        export=funding_personal_data,
        erase=erase_funding_records,
    ),
)

# Panels, conflicts and assignment (helper "panels") ----------------------------------------------
from dataclasses import replace  # noqa: E402

from coprod.doors import ThingToDo  # noqa: E402
from coprod.enums import Role  # noqa: E402
from funding.selectors import seat_waiting_for_member  # noqa: E402

# People who may hold a seat (LEE, researcher, policymaker). No query: roles are in the session.
PANEL_ROLES = frozenset({Role.LEE, Role.RESEARCHER, Role.POLICYMAKER})


def _may_sit_on_panels(request: HttpRequest) -> bool:
    if getattr(request.user, "person", None) is None:
        return False
    return bool(PANEL_ROLES & current_roles(request))


DOORS = replace(
    DOORS,
    portal_links=[
        *DOORS.portal_links,
        PortalLink(
            _("Funding panels"), "funding_panel:seats", order=55, visible=_may_sit_on_panels
        ),
    ],
    urls=[
        *DOORS.urls,
        UrlInclude("staff/funding/panels/", "funding.urls_panels"),
        UrlInclude("portal/funding/panel/", "funding.urls_panel_portal"),
    ],
    things_to_do=[
        *DOORS.things_to_do,
        ThingToDo(
            key="funding_panel_seat",
            count=seat_waiting_for_member,
            text=lambda waiting: _(
                "A funding panel: accept its confidentiality terms and declare any conflicts"
            ),
            url_name="funding_panel:seats",
            order=60,
        ),
    ],
    staff_links=[
        *DOORS.staff_links,
        StaffLink(
            _("Panels, conflicts and assigning reviewers"),
            "funding_panels:list",
            ("funding.manage_panel",),
            FUNDING,
            30,
        ),
    ],
)
