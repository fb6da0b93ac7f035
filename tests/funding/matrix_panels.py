"""The panel pages in the permission matrix (joined into tests/funding/permission_matrix.py).

Staff pages (funding_panels): funding staff only; participants and other staff 403. Portal pages
(funding_panel): a seat is its holder's own — anyone else, whatever their kind, gets 404 — and
the chair's pages refuse other members (403). Each build puts the visitor in a panel as their
kind says (tests/funding/scene.py); refused writes change nothing."""

from __future__ import annotations

from typing import Any

from coprod.enums import Role
from funding.enums import CallStatus, ConflictCategory, ConflictDecision, PanelRole
from funding.models import ConflictDeclaration, Panel, PanelMember
from funding.models import Review as ReviewModel
from funding.models.panels import DEFAULT_CONFIDENTIALITY_TERMS
from tests.factories.core import make_person
from tests.factories.funding import CallFactory, seat
from tests.funding.scene import MEMBER_KINDS, scene
from tests.matrix import Entry, Visit, signed_in

# Avoid an import cycle: permission_matrix imports this module for its ENTRIES.


def _expect(**kinds: Any):
    from tests.funding.permission_matrix import expect

    return expect(**kinds)


STAFF_ONLY = {"participants": 403, "staff": 403}
STAFF_READ = _expect(**STAFF_ONLY, staff_funding=200)
STAFF_WRITE = _expect(**STAFF_ONLY, staff_funding=302)
# A seat: its holder only (the member kinds); everyone else is shown someone else's → 404.
OWN_SEAT = _expect(**dict.fromkeys(MEMBER_KINDS, 200))
OWN_SEAT_WRITE = _expect(**dict.fromkeys(MEMBER_KINDS, 302))
# The chair's pages: other members 403 on their own seat.
CHAIR_READ = _expect(member_assigned=403, member_unassigned=403, member_conflicted=403, chair=200)
CHAIR_WRITE = _expect(member_assigned=403, member_unassigned=403, member_conflicted=403, chair=302)
SEATS = {**signed_in(200), **dict.fromkeys(["applicant", *MEMBER_KINDS], 200)}

SETTINGS = {
    "confidentiality_terms": str(DEFAULT_CONFIDENTIALITY_TERMS),
    "lee_one_in": "3",
    "needs_every_role": "on",
    "reviewers_per_proposal": "2",
    "scoring_deadline": "2099-01-31T17:00",
    "lee_flag_threshold": "15",
    "disagreement_threshold": "30",
    "quorum": "",
}
# Filled in by the builds below (the ids exist only once a case is built): the matrix posts
# `Entry.data` after calling `build`.
ADD_MEMBER: dict[str, Any] = {"role": PanelRole.LEE}
ASSIGN: dict[str, Any] = {}


# Builds ------------------------------------------------------------------------------------------


def panel(scoring: str = "open"):
    def build(visit: Visit) -> dict[str, Any]:
        return {"panel_id": scene(visit, scoring=scoring).panel.pk}

    return build


def a_panel_somewhere(visit: Visit) -> dict[str, Any]:
    scene(visit)
    return {}


def chair_seat(visit: Visit) -> dict[str, Any]:
    """The visitor's seat (the chair's if they are not on the panel), with a conflict to decide."""
    return {"member_id": chair_conflict(visit)["member_id"]}


def call_without_panel(visit: Visit) -> dict[str, Any]:
    scene(visit)
    return {"call_id": CallFactory(status=CallStatus.CLOSED).pk}


def lee_to_add(visit: Visit) -> dict[str, Any]:
    built = scene(visit)
    ADD_MEMBER["person"] = make_person(roles=[Role.LEE]).pk
    return {"panel_id": built.panel.pk}


def other_lee(visit: Visit) -> dict[str, Any]:
    built = scene(visit)
    return {"panel_id": built.panel.pk, "member_id": built.other_review.member_id}


def _conflict_on_other(built) -> ConflictDeclaration:
    declaration = ConflictDeclaration.objects.get(
        member_id=built.other_review.member_id, proposal=built.proposal
    )
    ConflictDeclaration.objects.filter(pk=declaration.pk).update(
        conflicted=True,
        category=ConflictCategory.USED_SERVICES,
        description="I used their advice line.",
        decision=ConflictDecision.PENDING,
    )
    return declaration


def staff_conflict(visit: Visit) -> dict[str, Any]:
    built = scene(visit)
    declaration = _conflict_on_other(built)
    return {"panel_id": built.panel.pk, "declaration_id": declaration.pk}


def researcher_to_assign(visit: Visit) -> dict[str, Any]:
    built = scene(visit)
    ASSIGN["proposal"] = built.proposal.pk
    ASSIGN["member"] = (
        PanelMember.objects.filter(panel=built.panel, role=PanelRole.RESEARCHER).first().pk
    )
    return {"panel_id": built.panel.pk}


def other_review(visit: Visit) -> dict[str, Any]:
    built = scene(visit)
    return {"panel_id": built.panel.pk, "review_id": built.other_review.pk}


def own_seat(visit: Visit) -> dict[str, Any]:
    """The visitor's seat if their kind has one, else a new member's (not theirs)."""
    built = scene(visit)
    target = built.member or seat(built.panel, PanelRole.LEE, ready=False)
    return {"member_id": target.pk}


def chair_conflict(visit: Visit) -> dict[str, Any]:
    built = scene(visit)
    declaration = _conflict_on_other(built)
    target = built.member or PanelMember.objects.get(panel=built.panel, is_chair=True)
    return {"member_id": target.pk, "declaration_id": declaration.pk}


# Snapshots ---------------------------------------------------------------------------------------


def panel_state(kwargs: dict[str, Any]) -> Any:
    return Panel.objects.filter(pk=kwargs["panel_id"]).values_list(
        "reviewers_per_proposal", "scoring_deadline", "scoring_started_at", "override_reason"
    )[0]


def panels_of_call(kwargs: dict[str, Any]) -> Any:
    return list(Panel.objects.filter(call_id=kwargs["call_id"]).values_list("pk", flat=True))


def members(kwargs: dict[str, Any]) -> Any:
    return sorted(
        PanelMember.objects.filter(panel_id=kwargs["panel_id"]).values_list("pk", "is_chair")
    )


def reviews(kwargs: dict[str, Any]) -> Any:
    return sorted(
        ReviewModel.objects.filter(member__panel_id=kwargs["panel_id"]).values_list(
            "member_id", "proposal_id"
        )
    )


def decision(kwargs: dict[str, Any]) -> Any:
    return ConflictDeclaration.objects.filter(pk=kwargs["declaration_id"]).values_list(
        "decision", "decision_reason", "decided_by"
    )[0]


def seat_state(kwargs: dict[str, Any]) -> Any:
    member = PanelMember.objects.get(pk=kwargs["member_id"])
    return (
        member.confidentiality_accepted_at,
        member.declarations_done_at,
        sorted(member.declarations.values_list("proposal_id", "conflicted")),
    )


ENTRIES: dict[str, Entry | list[Entry]] = {
    "funding_panels:list": Entry(STAFF_READ, build=a_panel_somewhere),
    "funding_panels:create": [
        Entry(STAFF_READ, build=call_without_panel, case="form"),
        Entry(
            STAFF_WRITE,
            build=call_without_panel,
            case="create",
            method="post",
            data=SETTINGS,
            snapshot=panels_of_call,
        ),
    ],
    "funding_panels:panel": Entry(STAFF_READ, build=panel()),
    "funding_panels:settings": Entry(
        STAFF_WRITE, build=panel(), method="post", data=SETTINGS, snapshot=panel_state
    ),
    "funding_panels:start": Entry(
        STAFF_WRITE,
        build=panel("not_started"),
        method="post",
        data={"override_reason": ""},
        snapshot=panel_state,
    ),
    "funding_panels:add_member": [
        Entry(STAFF_READ, build=panel(), case="search"),
        Entry(
            STAFF_WRITE,
            build=lee_to_add,
            case="add",
            method="post",
            data=ADD_MEMBER,
            snapshot=members,
        ),
    ],
    "funding_panels:chair": Entry(STAFF_WRITE, build=other_lee, method="post", snapshot=members),
    "funding_panels:remove": Entry(STAFF_WRITE, build=other_lee, method="post", snapshot=members),
    "funding_panels:declare_for": [
        Entry(STAFF_READ, build=other_lee, case="a member's"),
        Entry(
            STAFF_WRITE,
            build=other_lee,
            case="sent for a member who has declared everything",
            method="post",
            snapshot=seat_state,
        ),
    ],
    "funding_panels:conflicts": Entry(STAFF_READ, build=panel()),
    "funding_panels:decide": [
        Entry(STAFF_READ, build=staff_conflict, case="form"),
        Entry(
            STAFF_WRITE,
            build=staff_conflict,
            case="waive",
            method="post",
            data={"decision": "waived", "decision_reason": "Long ago."},
            snapshot=decision,
        ),
    ],
    "funding_panels:assignments": Entry(STAFF_READ, build=panel()),
    "funding_panels:assign": Entry(
        STAFF_WRITE, build=researcher_to_assign, method="post", data=ASSIGN, snapshot=reviews
    ),
    "funding_panels:assign_auto": Entry(STAFF_READ, build=panel(), method="post", snapshot=reviews),
    "funding_panels:unassign": Entry(
        STAFF_WRITE, build=other_review, method="post", snapshot=reviews
    ),
    "funding_panel:seats": Entry(SEATS, build=a_panel_somewhere),
    "funding_panel:seat": [
        Entry(OWN_SEAT, build=own_seat, case="terms"),
        Entry(
            OWN_SEAT_WRITE,
            build=own_seat,
            case="accept",
            method="post",
            data={"confirm": ""},
            snapshot=seat_state,
        ),
    ],
    "funding_panel:declare": [
        Entry(OWN_SEAT, build=own_seat, case="form"),
        Entry(
            OWN_SEAT_WRITE,
            build=own_seat,
            case="declare",
            method="post",
            snapshot=seat_state,
        ),
    ],
    "funding_panel:conflicts": Entry(CHAIR_READ, build=chair_seat),
    "funding_panel:decide": [
        Entry(CHAIR_READ, build=chair_conflict, case="form"),
        Entry(
            CHAIR_WRITE,
            build=chair_conflict,
            case="continue",
            method="post",
            data={"decision": "continue", "decision_reason": "Not close."},
            snapshot=decision,
        ),
    ],
}
