"""Reads for organisations, partnerships, the ladder and members: the staff overview, the
organisation list, a partnership's page (staff and portal) and the portal's list. Each page's
rows come in a fixed number of queries, however many rows there are. Who sees what is
partnerships.permissions'."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from coprod.models import Person, User
from coprod.permissions import is_staff_with
from partnerships.enums import (
    LEVEL_MEANINGS,
    BarrierKind,
    BarrierStatus,
    ParticipationLevel,
    PartnershipRole,
)
from partnerships.models import (
    Barrier,
    LevelChange,
    Organisation,
    OrganisationPractitioner,
    Partnership,
    PartnershipMember,
)
from partnerships.permissions import (
    current_memberships,
    managed_partnerships_for_user,
    member_partnerships_for_user,
)

VIEW_ORGANISATIONS = "partnerships.view_organisation"
MEMBER_ROLES = tuple(PartnershipRole.values)


# The ladder --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    level: int
    label: str
    meaning: str
    current: bool
    reached: bool


def ladder(level: int) -> list[Step]:
    """The five steps, lowest first, with where `level` stands."""
    return [
        Step(
            level=step.value,
            label=str(step.label),
            meaning=str(LEVEL_MEANINGS[step]),
            current=step.value == level,
            reached=step.value <= level,
        )
        for step in ParticipationLevel
    ]


def level_in_words(level: int) -> str:
    """E.g. "Collaborate — step 4 of 5"."""
    return _("%(label)s — step %(step)s of %(steps)s") % {
        "label": ParticipationLevel(level).label,
        "step": level,
        "steps": len(ParticipationLevel),
    }


# Staff: organisations ----------------------------------------------------------------------------


def may_manage_organisations(user: User) -> bool:
    """Organisations are the partnerships team's (a partnership's lead alone does not manage
    them)."""
    return is_staff_with(user, VIEW_ORGANISATIONS)


def organisations_for_user(user: User) -> QuerySet[Organisation]:
    """Every organisation for the partnerships team; none for anyone else."""
    if not (user.is_active and may_manage_organisations(user)):
        return Organisation.objects.none()
    return Organisation.objects.all()


def organisation_list(user: User, *, kind: str = "") -> QuerySet[Organisation]:
    """The organisation list, with how many practitioners and partnerships each has."""
    practitioners = (
        OrganisationPractitioner.objects.filter(organisation=OuterRef("pk"))
        .order_by()
        .values("organisation")
        .annotate(n=Count("pk"))
        .values("n")
    )
    partnerships = (
        Partnership.organisations.through.objects.filter(organisation_id=OuterRef("pk"))
        .order_by()
        .values("organisation_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    organisations = organisations_for_user(user).annotate(
        practitioner_count=Coalesce(Subquery(practitioners, output_field=IntegerField()), 0),
        partnership_count=Coalesce(Subquery(partnerships, output_field=IntegerField()), 0),
    )
    if kind:
        organisations = organisations.filter(kind=kind)
    return organisations.order_by("name", "pk")


def practitioners_of(organisation: Organisation) -> list[OrganisationPractitioner]:
    return list(
        OrganisationPractitioner.objects.filter(organisation=organisation)
        .select_related("person")
        .order_by("added_at", "pk")
    )


def practitioner_choices(organisation: Organisation) -> QuerySet[Person]:
    """People who may be added as practitioners: holding the role today, active, not there yet."""
    return (
        Person.objects.support_workers()
        .exclude(organisation_links__organisation=organisation)
        .with_display_name()
        .order_by("shown_name", "pk")
    )


# Staff: partnerships -----------------------------------------------------------------------------


def _member_count() -> Subquery:
    return Subquery(
        current_memberships()
        .filter(partnership=OuterRef("pk"))
        .order_by()
        .values("partnership")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def _last_change_on() -> Subquery:
    return Subquery(
        LevelChange.objects.filter(partnership=OuterRef("pk"))
        .order_by("-changed_on", "-pk")
        .values("changed_on")[:1]
    )


def overview(user: User, *, level: int | None = None, status: str = "") -> QuerySet[Partnership]:
    """The partnerships `user` manages, for the staff overview: each with its lead (and their
    person), how many current members and the date of its last ladder change; filtered by
    level and status. One query."""
    partnerships = (
        managed_partnerships_for_user(user)
        .select_related("lead__person")
        .annotate(member_count=Coalesce(_member_count(), 0), last_change_on=_last_change_on())
    )
    if level:
        partnerships = partnerships.filter(level=level)
    if status:
        partnerships = partnerships.filter(status=status)
    return partnerships.order_by("title", "pk")


@dataclass(frozen=True)
class BarrierCount:
    kind: str
    label: str
    count: int


def open_barriers_by_kind(user: User) -> list[BarrierCount]:
    """How many open barriers of each kind there are across the partnerships `user` manages
    (every kind listed, 0 included). One query."""
    counts = dict(
        Barrier.objects.filter(
            status=BarrierStatus.OPEN, partnership__in=managed_partnerships_for_user(user)
        )
        .order_by()
        .values_list("kind")
        .annotate(n=Count("pk"))
    )
    return [
        BarrierCount(kind=kind.value, label=str(kind.label), count=counts.get(kind.value, 0))
        for kind in BarrierKind
    ]


def partnership_page(partnership: Partnership, *, current_only: bool = False) -> dict[str, Any]:
    """What a partnership's page shows beside its own fields: organisations, members (with
    their persons), the ladder and its timeline (oldest first). Three queries."""
    members = (current_memberships() if current_only else PartnershipMember.objects.all()).filter(
        partnership=partnership
    )
    return {
        "organisations": list(partnership.organisations.order_by("name")),
        "members": list(members.select_related("person").order_by("left_on", "joined_on", "pk")),
        "changes": list(partnership.level_changes.order_by("changed_on", "pk")),
        "ladder": ladder(partnership.level),
        "level_in_words": level_in_words(partnership.level),
    }


def members_of(user: User) -> QuerySet[PartnershipMember]:
    """Memberships of the partnerships `user` manages (a membership comes through its
    partnership's selector, so ids of another partnership are not found)."""
    return PartnershipMember.objects.filter(partnership__in=managed_partnerships_for_user(user))


def member_choices(partnership: Partnership) -> QuerySet[Person]:
    """People who may join: active, holding a role a member can have, not members yet."""
    from coprod.models import RoleGrant

    holding = RoleGrant.objects.current().filter(role__in=MEMBER_ROLES).values("person")
    return (
        Person.objects.available_for_selection()
        .filter(pk__in=holding)
        .exclude(partnership_memberships__partnership=partnership)
        .with_display_name()
        .order_by("shown_name", "pk")
    )


def lead_choices() -> QuerySet[User]:
    """Who may lead a partnership: active staff, shown by their display name."""
    return (
        User.objects.filter(is_staff=True, is_active=True)
        .select_related("person")
        .order_by("person__chosen_name", "person__generated_name", "pk")
    )


# Portal ------------------------------------------------------------------------------------------


def portal_partnerships(user: User) -> QuerySet[Partnership]:
    """The visitor's current partnerships, each with their role in it (`my_role`). One query."""
    role = (
        current_memberships()
        .filter(partnership=OuterRef("pk"), person_id=user.person_id)
        .values("role")[:1]
    )
    return member_partnerships_for_user(user).annotate(my_role=Subquery(role)).order_by("title")


def portal_member_kinds() -> frozenset[str]:
    """Core roles whose holders can be members, so see the portal's Partnerships link."""
    return frozenset(MEMBER_ROLES)


def role_label(role: str) -> str:
    return str(PartnershipRole(role).label) if role in MEMBER_ROLES else ""
