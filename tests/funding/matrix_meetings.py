"""Permission-matrix entries for panel meetings: the portal's poll pages are for members of the
poll's panel (the chair too) and do not exist for anyone else; the staff pages are for funding
staff (403 for everyone else). A refused write changes nothing."""
# Joined with the rest in permission_matrix.py.

from __future__ import annotations

from typing import Any

from funding.enums import PollStatus
from funding.models import MeetingAttendance, MeetingPoll, SlotAnswer
from tests.factories.funding import open_poll
from tests.funding.scene import MEMBER_KINDS, VISITORS, scene
from tests.matrix import Entry, Visit, signed_in

from tests.funding.permission_matrix import expect  # isort: skip

MEMBERS = dict.fromkeys(MEMBER_KINDS, 200)
OWN_LIST = {**signed_in(200), **dict.fromkeys(VISITORS, 200)}
MEMBERS_ONLY = expect(**MEMBERS)
MEMBERS_REDIRECTED = expect(**dict.fromkeys(MEMBER_KINDS, 302))
NOBODY = expect()
FUNDING_STAFF = expect(participants=403, staff=403, staff_funding=200)
FUNDING_STAFF_REDIRECTED = expect(participants=403, staff=403, staff_funding=302)
FUNDING_STAFF_NOT_FOUND = expect(participants=403, staff=403, staff_funding=404)


def poll_of_the_visitors_panel(status: str = PollStatus.OPEN, *, closed: bool = False):
    """A poll of a panel set up around the visitor (tests/funding/scene.py): members of it are
    the member kinds and the chair; everyone else is not on it."""

    def build(visit: Visit) -> dict[str, Any]:
        poll = open_poll(scene(visit).panel)
        if status != PollStatus.OPEN or closed:
            MeetingPoll.objects.filter(pk=poll.pk).update(
                status=status,
                chosen_slot=poll.slots.first() if status == PollStatus.SCHEDULED else None,
            )
        return {"poll_id": poll.pk}

    return build


def listed(visit: Visit) -> dict[str, Any]:
    poll_of_the_visitors_panel()(visit)
    return {}


def answers(kwargs: dict[str, Any]) -> Any:
    return sorted(
        SlotAnswer.objects.filter(slot__poll_id=kwargs["poll_id"]).values_list(
            "member_id", "answer"
        )
    )


def poll_state(kwargs: dict[str, Any]) -> Any:
    return MeetingPoll.objects.filter(pk=kwargs["poll_id"]).values_list(
        "status", "chosen_slot", "closed_at"
    )[0]


def polls(kwargs: dict[str, Any]) -> Any:
    return MeetingPoll.objects.count()


def attendance(kwargs: dict[str, Any]) -> Any:
    return sorted(
        MeetingAttendance.objects.filter(poll_id=kwargs["poll_id"]).values_list(
            "member_id", "attended"
        )
    )


ENTRIES: dict[str, Entry | list[Entry]] = {
    # Portal ------------------------------------------------------------------------------------
    "funding_meetings:list": Entry(OWN_LIST, build=listed),
    "funding_meetings:poll": [
        Entry(MEMBERS_ONLY, build=poll_of_the_visitors_panel(), case="open"),
        Entry(
            MEMBERS_ONLY,
            build=poll_of_the_visitors_panel(PollStatus.SCHEDULED),
            case="scheduled",
        ),
        Entry(
            MEMBERS_ONLY,
            build=poll_of_the_visitors_panel(),
            case="open, answered with nothing",
            method="post",
            data={},
            snapshot=answers,
            never_changes=True,
        ),
        Entry(
            MEMBERS_REDIRECTED,
            build=poll_of_the_visitors_panel(PollStatus.NO_SLOT),
            case="closed, answered",
            method="post",
            data={},
            snapshot=answers,
            never_changes=True,
        ),
    ],
    "funding_meetings:calendar": [
        Entry(MEMBERS_ONLY, build=poll_of_the_visitors_panel(PollStatus.SCHEDULED), case="set"),
        Entry(NOBODY, build=poll_of_the_visitors_panel(), case="still open"),
    ],
    # Staff --------------------------------------------------------------------------------------
    "funding_meetings_staff:list": Entry(FUNDING_STAFF, build=listed),
    "funding_meetings_staff:create": [
        Entry(FUNDING_STAFF, build=listed),
        Entry(
            FUNDING_STAFF,
            build=listed,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=polls,
            never_changes=True,
        ),
    ],
    "funding_meetings_staff:poll": [
        Entry(FUNDING_STAFF, build=poll_of_the_visitors_panel(), case="open"),
        Entry(
            FUNDING_STAFF,
            build=poll_of_the_visitors_panel(PollStatus.NO_SLOT),
            case="no time suits",
        ),
    ],
    "funding_meetings_staff:close": Entry(
        FUNDING_STAFF_REDIRECTED,
        build=poll_of_the_visitors_panel(),
        method="post",
        snapshot=poll_state,
    ),
    "funding_meetings_staff:attendance": [
        Entry(FUNDING_STAFF, build=poll_of_the_visitors_panel(PollStatus.SCHEDULED), case="set"),
        Entry(FUNDING_STAFF_NOT_FOUND, build=poll_of_the_visitors_panel(), case="still open"),
        Entry(
            FUNDING_STAFF,
            build=poll_of_the_visitors_panel(PollStatus.SCHEDULED),
            case="set, before the meeting",
            method="post",
            data={},
            snapshot=attendance,
            never_changes=True,
        ),
    ],
}
