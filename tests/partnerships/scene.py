"""A partnership set up around one visitor, for the permission matrix and page tests.

The matrix's partnerships visitors (see VISITORS) are told apart by `visit.kind`: a member in
each role ("member_lee", ...), and the partnership's lead (a member of staff who is not in the
partnerships team). The base visitors (tests.matrix.BASE_VISITORS) are everyone else: a person
of each role who is not a member, the partnerships team, other staff. `scene(visit)` puts the
visitor where their kind says, beside another member (an LEE) who is not the visitor."""

from __future__ import annotations

from dataclasses import dataclass

from coprod.enums import StaffGroup
from partnerships.enums import PartnershipRole
from partnerships.models import Partnership, PartnershipMember
from tests.factories.core import make_staff, make_user
from tests.factories.partnerships import CORE_ROLES, PartnershipFactory, add_member
from tests.matrix import Visit

MEMBER_KINDS = {
    "member_lee": PartnershipRole.LEE,
    "member_pwle": PartnershipRole.PWLE,
    "member_practitioner": PartnershipRole.PRACTITIONER,
    "member_researcher": PartnershipRole.RESEARCHER,
    "member_policymaker": PartnershipRole.POLICYMAKER,
}

# The partnerships matrix's own kinds of visitor (beside tests.matrix.BASE_VISITORS).
VISITORS = {
    **{
        kind: (lambda role=role: make_user(roles=CORE_ROLES[role]))
        for kind, role in MEMBER_KINDS.items()
    },
    # A member of staff from another team who leads the partnership.
    "lead": lambda: make_staff(StaffGroup.ENGAGEMENT),
}


@dataclass
class Scene:
    partnership: Partnership
    # The visitor's own membership, if their kind has one.
    member: PartnershipMember | None
    # A member who is not the visitor (an LEE).
    other_member: PartnershipMember


def scene(visit: Visit, **fields: object) -> Scene:
    """An active partnership (its lead the visitor if they are "lead", else someone in the
    partnerships team) with an LEE member, and the visitor as a member in their role if their
    kind is one of MEMBER_KINDS."""
    if visit.kind == "lead":
        fields["lead"] = visit.user
    partnership = PartnershipFactory(**fields)
    other = add_member(partnership, role=PartnershipRole.LEE)
    member = None
    if visit.kind in MEMBER_KINDS and visit.person is not None:
        member = add_member(partnership, visit.person, MEMBER_KINDS[visit.kind])
    return Scene(partnership=partnership, member=member, other_member=other)
