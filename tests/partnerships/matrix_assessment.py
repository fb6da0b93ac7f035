"""Permission-matrix entries for the self-assessment: the portal's pages are for the
partnership's current members (404 for everyone else, staff included); the staff pages for the
partnerships team and the partnership's lead (404 for other staff, 403 for participants at the
door of the staff pages). A refused write changes nothing."""
# Joined with the rest in permission_matrix.py.

from __future__ import annotations

from typing import Any

from partnerships.models import AssessmentParticipation, AssessmentResponse, AssessmentRound
from tests.factories.partnerships import AssessmentRoundFactory
from tests.matrix import Entry, Visit
from tests.partnerships.assessment import form_data
from tests.partnerships.permission_matrix import MEMBERS_ONLY, STAFF_OBJECT, expect
from tests.partnerships.scene import scene

# The list of rounds waiting for the visitor: every signed-in person (it lists their own).
OWN_LIST = expect(participants=200, members=200, staff=200, lead=200)
MEMBERS_SEND = expect(members=302)
NOBODY = expect()
STAFF_WRITE = expect(participants=403, staff=302, lead=302, other_staff=404)


def partnership_of_the_visitor(visit: Visit) -> dict[str, Any]:
    return {"partnership_id": scene(visit).partnership.pk}


def round_of_the_visitors_partnership(visit: Visit) -> dict[str, Any]:
    """An open round of a partnership set up around the visitor (tests/partnerships/scene.py)."""
    return {"round_id": AssessmentRoundFactory(partnership=scene(visit).partnership).pk}


def round_of_another_partnership(visit: Visit) -> dict[str, Any]:
    scene(visit)
    return {"round_id": AssessmentRoundFactory().pk}


def listed(visit: Visit) -> dict[str, Any]:
    round_of_the_visitors_partnership(visit)
    return {}


def answers(kwargs: dict[str, Any]) -> Any:
    return (
        AssessmentParticipation.objects.filter(round_id=kwargs["round_id"]).count(),
        AssessmentResponse.objects.filter(round_id=kwargs["round_id"]).count(),
    )


def rounds(kwargs: dict[str, Any]) -> Any:
    return sorted(AssessmentRound.objects.values_list("pk", "status"))


def round_state(kwargs: dict[str, Any]) -> Any:
    return AssessmentRound.objects.filter(pk=kwargs["round_id"]).values_list(
        "status", "closed_at", "closed_by"
    )[0]


ENTRIES: dict[str, Entry | list[Entry]] = {
    # Portal ------------------------------------------------------------------------------------
    "partnerships_assessment:to_answer": Entry(OWN_LIST, build=listed),
    "partnerships_assessment:answer": [
        Entry(MEMBERS_ONLY, build=round_of_the_visitors_partnership, case="open"),
        Entry(NOBODY, build=round_of_another_partnership, case="another partnership's"),
        Entry(
            MEMBERS_SEND,
            build=round_of_the_visitors_partnership,
            case="open, sent",
            method="post",
            data=form_data(4),
            snapshot=answers,
        ),
        Entry(
            NOBODY,
            build=round_of_another_partnership,
            case="another partnership's, sent",
            method="post",
            data=form_data(4),
            snapshot=answers,
            never_changes=True,
        ),
    ],
    "partnerships_assessment:thanks": Entry(MEMBERS_ONLY, build=round_of_the_visitors_partnership),
    "partnerships_assessment:results": Entry(MEMBERS_ONLY, build=partnership_of_the_visitor),
    # Staff ---------------------------------------------------------------------------------------
    # The list: every member of staff (it lists the partnerships they manage, perhaps none).
    "partnerships_assessment_staff:list": Entry(
        expect(participants=403, staff=200), build=lambda visit: (scene(visit), {})[1]
    ),
    "partnerships_assessment_staff:rounds": Entry(STAFF_OBJECT, build=partnership_of_the_visitor),
    "partnerships_assessment_staff:open": [
        Entry(STAFF_OBJECT, build=partnership_of_the_visitor),
        Entry(
            STAFF_WRITE,
            build=partnership_of_the_visitor,
            case="sent",
            method="post",
            data={"title": "Matrix round", "closes_on": ""},
            snapshot=rounds,
        ),
    ],
    "partnerships_assessment_staff:round": [
        Entry(STAFF_OBJECT, build=round_of_the_visitors_partnership, case="of the partnership"),
        Entry(
            # The team sees every partnership; the visitor's lead does not lead this one.
            expect(participants=403, staff=200, other_staff=404),
            build=round_of_another_partnership,
            case="another partnership's",
        ),
    ],
    "partnerships_assessment_staff:close": Entry(
        STAFF_WRITE,
        build=round_of_the_visitors_partnership,
        method="post",
        snapshot=round_state,
    ),
}
