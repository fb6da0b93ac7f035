"""Partnerships' pages in the permission matrix (tests/matrix.py).

Each area keeps its entries in its own module (`tests/partnerships/matrix_<area>.py`, with an
`ENTRIES` dict) and they are joined here. Kinds of visitor: anonymous, a person of each role
who is not a member, a member in each role, the partnership's lead (staff from another team),
the partnerships team, other staff, staff without MFA."""

from __future__ import annotations

import importlib

from tests.matrix import LOGIN, MFA, PARTICIPANT_ROLES, STAFF_GROUPS, Expect, Expected, Matrix
from tests.partnerships.scene import MEMBER_KINDS, VISITORS

# The areas' matrix modules (tests.partnerships.matrix_<name>), joined into one matrix.
AREAS: tuple[str, ...] = ("core", "meetings", "influence", "library", "assessment")


def expect(
    *,
    anonymous: Expected = LOGIN,
    staff_no_mfa: Expected = MFA,
    participants: Expected = 404,
    members: Expected | None = None,
    lead: Expected | None = None,
    staff: Expected = 404,
    other_staff: Expected | None = None,
    **kinds: Expected,
) -> Expect:
    """The expected answers. `participants`: people who are not members; `members`: every
    member kind (default: as participants); `lead`: the partnership's lead (default: as
    `other_staff`); `staff`: the partnerships team; `other_staff`: the other teams (default: as
    `staff`). Any kind may be given by name to override."""
    other_staff = staff if other_staff is None else other_staff
    answers = {
        "anonymous": anonymous,
        **dict.fromkeys(PARTICIPANT_ROLES, participants),
        **dict.fromkeys(MEMBER_KINDS, participants if members is None else members),
        "staff_no_mfa": staff_no_mfa,
        **{kind: staff if kind == "staff_partnerships" else other_staff for kind in STAFF_GROUPS},
        "lead": other_staff if lead is None else lead,
    }
    unknown = set(kinds) - set(answers)
    assert not unknown, unknown
    return {**answers, **kinds}


# A staff page of one partnership: the team and its lead; other staff do not see it (404);
# participants are refused at the door of the staff pages (403).
STAFF_OBJECT = expect(participants=403, staff=200, lead=200, other_staff=404)
# A portal page of one partnership: its members only.
MEMBERS_ONLY = expect(members=200)


def _entries() -> dict:
    entries = {}
    for name in AREAS:
        module = importlib.import_module(f"tests.partnerships.matrix_{name}")
        overlap = set(entries) & set(module.ENTRIES)
        assert not overlap, overlap
        entries.update(module.ENTRIES)
    return entries


MATRIX = Matrix(entries=_entries(), visitors=VISITORS)
