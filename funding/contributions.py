"""What funding brings through the core's doors (coprod.doors)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from django.db.models import Exists, OuterRef
from django.db.models.functions import Now
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

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
from funding import demo
from funding.enums import PollStatus
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
    SlotAnswer,
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


# Scoring online (reviews) ------------------------------------------------------------------------

# The seats of a panel come from these roles: the link shows to them without a query (a member's
# seats are not in the session); the page lists their reviews, or says there are none.
PANEL_ROLES = frozenset({Role.LEE, Role.RESEARCHER, Role.POLICYMAKER})


def _may_sit_on_panels(request: HttpRequest) -> bool:
    if getattr(request.user, "person", None) is None:
        return False
    return bool(PANEL_ROLES & current_roles(request))


REVIEW_URLS = [
    UrlInclude("portal/funding/reviews/", "funding.urls_reviews"),
    UrlInclude("staff/funding/reviews/", "funding.urls_review_staff"),
]
REVIEW_PORTAL_LINKS = [
    PortalLink(_("Your reviews"), "funding_reviews:list", order=55, visible=_may_sit_on_panels)
]
REVIEW_STAFF_LINKS = [
    StaffLink(
        _("Panel reviews: reassign, reopen, assisted reviews"),
        "funding_review_staff:calls",
        ("funding.change_review",),
        FUNDING,
        40,
    )
]
REVIEW_PERIODIC = [
    Periodic(
        "Remind panel members of reviews due",
        "coprod.funding.remind_scoring_due",
        crontab=Crontab(minute="15", hour="9-18"),
    )
]

DOORS = AppDoors(
    urls=[
        UrlInclude("portal/funding/", "funding.portal_urls"),
        *REVIEW_URLS,
        *RESULTS_URLS,
    ],
    things_to_do=[*RESULTS_THINGS_TO_DO],
    portal_links=[
        PortalLink(_("Funding calls"), "funding:calls", order=50, visible=_applies),
        *REVIEW_PORTAL_LINKS,
    ],
    periodic_tasks=[*REVIEW_PERIODIC],
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
        *REVIEW_STAFF_LINKS,
    ],
    demo_data=DemoData(seed=demo.seed, after=("coprod", "recruitment")),
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

# Staff pages of calls (the "files" slice) ------------------------------------------------------
DOORS = dataclasses.replace(
    DOORS,
    urls=[*DOORS.urls, UrlInclude("staff/funding/calls/", "funding.urls_calls")],
    staff_links=[
        *DOORS.staff_links,
        StaffLink(_("Funding calls"), "funding_calls:list", ("funding.view_call",), FUNDING, 5),
    ],
)

# Panel meetings (funding.services.meetings) ------------------------------------------------------
# Added to the declaration above, so that each area's block stays its own.

# (The links show to people who may sit on panels: `_may_sit_on_panels` above.)


def _meeting_polls_to_answer() -> Exists:
    """The person sits on a panel with an open poll they have not answered yet."""
    answered = SlotAnswer.objects.filter(
        slot__poll=OuterRef("pk"), member__person=OuterRef(OuterRef("pk"))
    )
    return Exists(
        MeetingPoll.objects.filter(
            status=PollStatus.OPEN,
            closes_at__gt=Now(),
            panel__members__person=OuterRef("pk"),
        ).exclude(Exists(answered))
    )


DOORS = dataclasses.replace(
    DOORS,
    urls=[
        *DOORS.urls,
        UrlInclude("portal/funding/meetings/", "funding.urls_meetings"),
        UrlInclude("staff/funding/meetings/", "funding.urls_meetings_staff"),
    ],
    portal_links=[
        *DOORS.portal_links,
        PortalLink(
            _("Panel meetings"), "funding_meetings:list", order=57, visible=_may_sit_on_panels
        ),
    ],
    things_to_do=[
        *DOORS.things_to_do,
        ThingToDo(
            key="funding.meeting_poll",
            count=_meeting_polls_to_answer,
            text=lambda value: _("Tell us when you can come to a panel meeting"),
            url_name="funding_meetings:list",
            order=40,
        ),
    ],
    staff_links=[
        *DOORS.staff_links,
        StaffLink(
            _("Panel meetings: polls and attendance"),
            "funding_meetings_staff:list",
            ("funding.change_meetingpoll",),
            FUNDING,
            40,
        ),
    ],
    periodic_tasks=[
        *DOORS.periodic_tasks,
        Periodic(
            "Close panel meeting polls past their closing time",
            "coprod.funding.close_due_meeting_polls",
            every=timedelta(minutes=5),
        ),
        Periodic(
            "Remind panel members of their meeting",
            "coprod.funding.remind_meetings",
            crontab=Crontab(minute="15", hour="8-18"),
        ),
    ],
)


# Panels, conflicts and assignment (helper "panels") ----------------------------------------------
from dataclasses import replace  # noqa: E402

from funding.selectors import seat_waiting_for_member  # noqa: E402

DOORS = replace(
    DOORS,
    portal_links=[
        *DOORS.portal_links,
        PortalLink(
            _("Funding panels"), "funding_panel:seats", order=54, visible=_may_sit_on_panels
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


# Closing the scoring window early (helper "walk") -------------------------------------------------
DOORS = replace(
    DOORS,
    urls=[*DOORS.urls, UrlInclude("staff/funding/scoring/", "funding.urls_scoring_window")],
)
