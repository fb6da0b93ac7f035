"""Permission-matrix entries for decisions, barriers and "you said, we did": the staff pages of a
partnership are for the partnerships team and the partnership's lead (other staff: not found;
participants: refused at the door); the portal pages are for its current members only. A refused
write changes nothing."""
# Joined with the rest in permission_matrix.py.

from __future__ import annotations

from typing import Any

from django.utils import timezone

from partnerships.enums import TensionStatus, YouSaidStatus
from partnerships.models import Barrier, Decision, YouSaidItem
from tests.factories.partnerships import BarrierFactory, DecisionFactory, YouSaidItemFactory
from tests.matrix import Entry, Visit
from tests.partnerships.scene import scene

from tests.partnerships.permission_matrix import (  # isort: skip
    MEMBERS_ONLY,
    STAFF_OBJECT,
    expect,
)

# A write the team or the lead makes (then redirected back to the list).
STAFF_WRITE = expect(participants=403, staff=302, lead=302, other_staff=404)
# Staff pages across partnerships: every member of staff (each sees what they may).
ANY_STAFF = expect(participants=403, staff=200, lead=200, other_staff=200)


def partnership(visit: Visit) -> dict[str, Any]:
    return {"partnership_id": scene(visit).partnership.pk}


def decision(**fields: Any):  # type: ignore[no-untyped-def]
    def build(visit: Visit) -> dict[str, Any]:
        made = DecisionFactory(partnership=scene(visit).partnership, **fields)
        return {"partnership_id": made.partnership_id, "decision_id": made.pk}

    return build


OPEN_TENSION = {
    "tension_status": TensionStatus.OPEN,
    "tension": "Whether to meet in the evening.",
}


def listed_decision(**fields: Any):  # type: ignore[no-untyped-def]
    def build(visit: Visit) -> dict[str, Any]:
        kwargs = decision(**fields)(visit)
        return {"partnership_id": kwargs["partnership_id"], "_decision_id": kwargs["decision_id"]}

    return build


def barrier(visit: Visit) -> dict[str, Any]:
    made = BarrierFactory(partnership=scene(visit).partnership)
    return {"partnership_id": made.partnership_id, "barrier_id": made.pk}


def item(visit: Visit) -> dict[str, Any]:
    built = scene(visit)
    made = YouSaidItemFactory(partnership=built.partnership, given_by=built.other_member.person)
    return {"partnership_id": made.partnership_id, "item_id": made.pk}


def listed(build):  # type: ignore[no-untyped-def]
    """The list page of the partnership of what `build` makes."""

    def build_list(visit: Visit) -> dict[str, Any]:
        kwargs = build(visit)
        return {
            key if key == "partnership_id" else f"_{key}": value for key, value in kwargs.items()
        }

    return build_list


def listed_item(visit: Visit) -> dict[str, Any]:
    item(visit)
    return {}


def decisions(kwargs: dict[str, Any]) -> Any:
    return sorted(
        Decision.objects.values_list(
            "pk", "summary", "decided_by", "tension_status", "tension", "resolution"
        )
    )


def barriers(kwargs: dict[str, Any]) -> Any:
    return sorted(
        Barrier.objects.values_list("pk", "kind", "description", "status", "addressed_on")
    )


def items(kwargs: dict[str, Any]) -> Any:
    return sorted(
        YouSaidItem.objects.values_list("pk", "said", "status", "response", "reason", "closed_at")
    )


TODAY = timezone.localdate()
DECISION_DATA = {
    "summary": "Meet monthly.",
    "decided_on": TODAY.isoformat(),
    "decided_by": "The steering group",
    "tension_status": TensionStatus.NONE,
}
BARRIER_DATA = {
    "kind": "time",
    "description": "Meetings clash with work.",
    "raised_on": TODAY.isoformat(),
}


ENTRIES: dict[str, Entry | list[Entry]] = {
    # Decisions, staff ---------------------------------------------------------------------------
    "partnerships_decisions_staff:list": [
        Entry(STAFF_OBJECT, build=listed_decision()),
        Entry(STAFF_OBJECT, build=listed_decision(**OPEN_TENSION), case="with an open tension"),
    ],
    "partnerships_decisions_staff:create": [
        Entry(STAFF_OBJECT, build=partnership),
        Entry(
            STAFF_OBJECT,
            build=partnership,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=decisions,
            never_changes=True,
        ),
        Entry(
            STAFF_WRITE,
            build=partnership,
            case="filled in",
            method="post",
            data=DECISION_DATA,
            snapshot=decisions,
        ),
    ],
    "partnerships_decisions_staff:edit": [
        Entry(STAFF_OBJECT, build=decision()),
        Entry(
            STAFF_WRITE,
            build=decision(),
            case="changed",
            method="post",
            data={**DECISION_DATA, "summary": "Meet every two months."},
            snapshot=decisions,
        ),
    ],
    "partnerships_decisions_staff:resolve": [
        Entry(STAFF_OBJECT, build=decision(**OPEN_TENSION)),
        Entry(STAFF_WRITE, build=decision(), case="no tension to resolve"),
        Entry(
            STAFF_WRITE,
            build=decision(**OPEN_TENSION),
            case="resolved",
            method="post",
            data={"resolution": "We agreed to alternate."},
            snapshot=decisions,
        ),
    ],
    # Decisions, portal --------------------------------------------------------------------------
    "partnerships_decisions:list": Entry(MEMBERS_ONLY, build=listed_decision(**OPEN_TENSION)),
    # Barriers, staff ----------------------------------------------------------------------------
    "partnerships_barriers_staff:list": Entry(STAFF_OBJECT, build=listed(barrier)),
    "partnerships_barriers_staff:create": [
        Entry(STAFF_OBJECT, build=partnership),
        Entry(
            STAFF_WRITE,
            build=partnership,
            case="filled in",
            method="post",
            data=BARRIER_DATA,
            snapshot=barriers,
        ),
    ],
    "partnerships_barriers_staff:edit": [
        Entry(STAFF_OBJECT, build=barrier),
        Entry(
            STAFF_WRITE,
            build=barrier,
            case="changed",
            method="post",
            data={**BARRIER_DATA, "description": "Meetings clash with school runs."},
            snapshot=barriers,
        ),
    ],
    "partnerships_barriers_staff:dealt_with": [
        Entry(STAFF_OBJECT, build=barrier),
        Entry(
            STAFF_WRITE,
            build=barrier,
            case="dealt with",
            method="post",
            data={"addressed_on": TODAY.isoformat()},
            snapshot=barriers,
        ),
    ],
    # "You said, we did", staff ------------------------------------------------------------------
    "partnerships_you_said_staff:all": Entry(ANY_STAFF, build=listed_item),
    "partnerships_you_said_staff:list": Entry(STAFF_OBJECT, build=listed(item)),
    "partnerships_you_said_staff:create": [
        Entry(STAFF_OBJECT, build=partnership),
        Entry(
            STAFF_OBJECT,
            build=partnership,
            case="nothing filled in",
            method="post",
            data={},
            snapshot=items,
            never_changes=True,
        ),
    ],
    "partnerships_you_said_staff:edit": [
        Entry(STAFF_OBJECT, build=item),
        Entry(
            STAFF_OBJECT,
            build=item,
            case="words emptied",
            method="post",
            data={"said": ""},
            snapshot=items,
            never_changes=True,
        ),
    ],
    "partnerships_you_said_staff:close": [
        Entry(STAFF_OBJECT, build=item),
        Entry(
            STAFF_WRITE,
            build=item,
            case="acted on",
            method="post",
            data={
                "status": YouSaidStatus.ACTED_ON,
                "response": "Thank you.",
                "what_changed": "Papers go out a week ahead.",
            },
            snapshot=items,
        ),
    ],
    # "You said, we did", portal -----------------------------------------------------------------
    "partnerships_you_said:list": Entry(MEMBERS_ONLY, build=listed(item)),
}
