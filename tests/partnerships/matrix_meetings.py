"""Permission-matrix entries for agreements and meetings.

Staff pages (agreements, meetings, attendance): the partnerships team and the partnership's lead;
other staff do not see the partnership (404); people who are not staff are refused at the door
(403). Portal: the meetings list is every signed-in person's own (empty for a non-member); a
meeting's calendar file is for the members invited to it. A refused write changes nothing."""
# Joined with the rest in permission_matrix.py.

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from partnerships.enums import AgreementKind, MeetingStatus
from partnerships.models import Agreement, Meeting, MeetingInvitation
from tests.factories.partnerships import AgreementFactory, MeetingFactory, invite
from tests.funding.files import PDF, upload
from tests.matrix import Entry, Visit
from tests.partnerships.permission_matrix import STAFF_OBJECT, expect
from tests.partnerships.scene import scene

STAFF_REDIRECTED = expect(participants=403, staff=302, lead=302, other_staff=404)
SIGNED_IN = expect(participants=200, members=200, staff=200, lead=200)
INVITED_MEMBERS = expect(members=200)
NOBODY = expect()


def partnership(visit: Visit) -> dict[str, Any]:
    return {"partnership_id": scene(visit).partnership.pk}


def agreement(visit: Visit) -> dict[str, Any]:
    found = AgreementFactory(partnership=scene(visit).partnership)
    found.document.save("terms.pdf", upload("terms.pdf", PDF), save=False)
    found.document_name = "terms.pdf"
    found.save()
    return {"agreement_id": found.pk}


def meeting(*, past: bool = False, invited: bool = True, status: str = MeetingStatus.PLANNED):
    """A meeting of the visitor's partnership (tests/partnerships/scene.py), to come or past, with
    the other member invited, and the visitor too if they are a member and `invited`."""

    def build(visit: Visit) -> dict[str, Any]:
        place = scene(visit)
        starts = timezone.now() + (timedelta(days=-1) if past else timedelta(days=10))
        found = MeetingFactory(partnership=place.partnership, starts_at=starts, status=status)
        invite(found, place.other_member)
        if invited and place.member is not None:
            invite(found, place.member)
        return {"meeting_id": found.pk}

    return build


def listed(visit: Visit) -> dict[str, Any]:
    meeting()(visit)
    return {}


def agreements_of(kwargs: dict[str, Any]) -> Any:
    return sorted(
        Agreement.objects.filter(partnership_id=kwargs["partnership_id"]).values_list("title")
    )


def agreement_state(kwargs: dict[str, Any]) -> Any:
    return list(
        Agreement.objects.filter(pk=kwargs["agreement_id"]).values_list(
            "title", "review_on", "document"
        )
    )


def meetings_of(kwargs: dict[str, Any]) -> Any:
    return sorted(
        Meeting.objects.filter(partnership_id=kwargs["partnership_id"]).values_list("title")
    )


def meeting_state(kwargs: dict[str, Any]) -> Any:
    return list(
        Meeting.objects.filter(pk=kwargs["meeting_id"]).values_list("title", "status", "starts_at")
    )


def invitations(kwargs: dict[str, Any]) -> Any:
    return sorted(
        MeetingInvitation.objects.filter(meeting_id=kwargs["meeting_id"]).values_list(
            "member_id", "attended", "travel_cost"
        )
    )


AGREEMENT = {
    "kind": AgreementKind.MOU,
    "title": "Memorandum 2027",
    "signed_on": "2026-01-10",
    "review_on": "2027-01-10",
}


def _meeting_data() -> dict[str, Any]:
    starts = timezone.localtime(timezone.now() + timedelta(days=20)).replace(
        second=0, microsecond=0
    )
    return {
        "title": "Changed meeting",
        "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": "90",
        "place": "Library, room 1",
        "preparation_hours": "1",
    }


ENTRIES: dict[str, Entry | list[Entry]] = {
    # Agreements (staff) --------------------------------------------------------------------------
    "partnerships_agreements:list": Entry(STAFF_OBJECT, build=partnership),
    "partnerships_agreements:create": [
        Entry(STAFF_OBJECT, build=partnership),
        Entry(
            STAFF_REDIRECTED,
            build=partnership,
            case="a new agreement",
            method="post",
            data=AGREEMENT,
            snapshot=agreements_of,
        ),
        Entry(
            STAFF_OBJECT,
            build=partnership,
            case="review before signing",
            method="post",
            data={**AGREEMENT, "review_on": "2025-12-31"},
            snapshot=agreements_of,
            never_changes=True,
        ),
    ],
    "partnerships_agreements:edit": [
        Entry(STAFF_OBJECT, build=agreement),
        Entry(
            STAFF_REDIRECTED,
            build=agreement,
            case="changed",
            method="post",
            data=AGREEMENT,
            snapshot=agreement_state,
        ),
    ],
    "partnerships_agreements:document": Entry(STAFF_OBJECT, build=agreement),
    "partnerships_agreements:delete": [
        Entry(STAFF_OBJECT, build=agreement),
        Entry(
            STAFF_REDIRECTED,
            build=agreement,
            case="confirmed",
            method="post",
            snapshot=agreement_state,
        ),
    ],
    # Meetings (staff) ----------------------------------------------------------------------------
    "partnerships_meetings_staff:list": Entry(STAFF_OBJECT, build=partnership),
    "partnerships_meetings_staff:create": [
        Entry(STAFF_OBJECT, build=partnership),
        Entry(
            STAFF_OBJECT,
            build=partnership,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=meetings_of,
            never_changes=True,
        ),
    ],
    "partnerships_meetings_staff:edit": [
        Entry(STAFF_OBJECT, build=meeting()),
        Entry(
            STAFF_REDIRECTED,
            build=meeting(),
            case="changed",
            method="post",
            data=_meeting_data(),
            snapshot=meeting_state,
        ),
    ],
    "partnerships_meetings_staff:invite": [
        Entry(STAFF_OBJECT, build=meeting(invited=False)),
        Entry(
            STAFF_OBJECT,
            build=meeting(invited=False),
            case="nobody chosen",
            method="post",
            data={},
            snapshot=invitations,
            never_changes=True,
        ),
    ],
    "partnerships_meetings_staff:cancel": [
        Entry(STAFF_OBJECT, build=meeting()),
        Entry(
            STAFF_REDIRECTED,
            build=meeting(),
            case="confirmed",
            method="post",
            snapshot=meeting_state,
        ),
    ],
    "partnerships_meetings_staff:attendance": [
        Entry(STAFF_OBJECT, build=meeting(past=True)),
        Entry(
            STAFF_OBJECT,
            build=meeting(past=True),
            case="nothing marked",
            method="post",
            data={},
            snapshot=invitations,
            never_changes=True,
        ),
    ],
    # Portal --------------------------------------------------------------------------------------
    "partnerships_meetings:list": Entry(SIGNED_IN, build=listed),
    "partnerships_meetings:calendar": [
        Entry(INVITED_MEMBERS, build=meeting(), case="invited"),
        Entry(NOBODY, build=meeting(invited=False), case="not invited"),
        Entry(NOBODY, build=meeting(status=MeetingStatus.CANCELLED), case="cancelled"),
    ],
}
