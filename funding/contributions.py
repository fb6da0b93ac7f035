"""What funding brings through the core's doors (coprod.doors)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from coprod.doors import (
    AppDoors,
    PersonalData,
    PortalLink,
    StaffLink,
    ThingToDo,
    UrlInclude,
    current_roles,
)
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
from funding.selectors.results import chaired_calls_in_review_count
from funding.services import erase_funding_records

FUNDING = _("Funding")

# Results and decisions (funding.views.results) --------------------------------------------------
RESULTS_URLS = [
    UrlInclude("staff/funding/results/", "funding.urls_results"),
    UrlInclude("portal/funding/results/", "funding.urls_chair_results"),
]
RESULTS_THINGS_TO_DO = [
    ThingToDo(
        key="funding_chair_results",
        count=chaired_calls_in_review_count,
        text=lambda count: (
            ngettext(
                "See the results of the panel you chair",
                "See the results of the %(count)s panels you chair",
                count,
            )
            % {"count": count}
        ),
        url_name="funding_chair_results:calls",
        order=60,
    ),
]
RESULTS_STAFF_LINKS = [
    StaffLink(
        _("Results and decisions"),
        "funding_results:calls",
        ("funding.view_score",),
        FUNDING,
        40,
    ),
]


def _applies(request: HttpRequest) -> bool:
    """Researchers apply for funding. No query (the roles are kept in the session)."""
    if getattr(request.user, "person", None) is None:
        return False
    return bool(APPLYING_ROLES & current_roles(request))


DOORS = AppDoors(
    urls=[UrlInclude("portal/funding/", "funding.portal_urls"), *RESULTS_URLS],
    things_to_do=[*RESULTS_THINGS_TO_DO],
    portal_links=[PortalLink(_("Funding calls"), "funding:calls", order=50, visible=_applies)],
    staff_links=[
        *RESULTS_STAFF_LINKS,
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
