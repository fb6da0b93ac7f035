"""Who may see and do what with partnership records: the one access rule of this app.

- The partnerships team (staff holding `partnerships.view_partnership`) sees every partnership
  on the staff pages, and manages it with the change permissions the team's group holds.
- A partnership's lead (a member of staff, in whichever team) sees and manages the partnerships
  they lead on the staff pages, and no others.
- A member (a person with a current membership: joined, not yet left) sees their partnership in
  the portal: its page, meetings, decisions, "you said, we did", self-assessment rounds. Nobody
  else sees it in the portal, staff included (they use the staff pages).
- Published library resources are seen by every signed-in person; a proposed one by the person
  who proposed it and the partnerships team.

Views fetch through the selectors here (404 for what the visitor may not see) and check the
action with the predicates (403)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from coprod.models import User
from coprod.permissions import is_staff_with
from partnerships.enums import ResourceStatus
from partnerships.models import Partnership, PartnershipMember, Resource

VIEW_ALL = "partnerships.view_partnership"
CHANGE_ALL = "partnerships.change_partnership"


def is_partnerships_staff(user: User) -> bool:
    """The partnerships team: sees every partnership on the staff pages."""
    return is_staff_with(user, VIEW_ALL)


def current_memberships(on=None) -> QuerySet[PartnershipMember]:
    """Memberships current on `on` (today): joined, and not left on or before that day (someone
    whose membership ends today loses access at once: an ending may be for their safety or
    others')."""
    on = on or timezone.localdate()
    return PartnershipMember.objects.filter(joined_on__lte=on).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on)
    )


def managed_partnerships_for_user(user: User) -> QuerySet[Partnership]:
    """The partnerships `user` sees on the staff pages: all for the partnerships team, the ones
    they lead for other staff, none for anyone else."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return Partnership.objects.none()
    if is_partnerships_staff(user):
        return Partnership.objects.all()
    return Partnership.objects.filter(lead=user)


def may_manage_partnership(user: User, partnership: Partnership) -> bool:
    """Change a partnership and its records (members, agreements, meetings, decisions, ...):
    the partnerships team with the change permission, or its lead."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.has_perm(CHANGE_ALL) or partnership.lead_id == user.pk


def may_change_level(user: User, partnership: Partnership) -> bool:
    """Move a partnership on the ladder: the team with `partnerships.change_level`, or its lead."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return False
    return user.has_perm("partnerships.change_level") or partnership.lead_id == user.pk


def member_partnerships_for_user(user: User) -> QuerySet[Partnership]:
    """The partnerships `user` is a current member of (the portal's partnerships)."""
    if not (user.is_authenticated and user.is_active):
        return Partnership.objects.none()
    return Partnership.objects.filter(
        Exists(current_memberships().filter(partnership=OuterRef("pk"), person_id=user.person_id))
    )


def membership_of(user: User, partnership: Partnership) -> PartnershipMember | None:
    """`user`'s current membership of `partnership`, or None."""
    if not (user.is_authenticated and user.is_active):
        return None
    return current_memberships().filter(partnership=partnership, person_id=user.person_id).first()


def resources_for_user(user: User) -> QuerySet[Resource]:
    """Library resources `user` may open: published ones for every signed-in person; their own
    proposals; everything for the partnerships team."""
    if not (user.is_authenticated and user.is_active):
        return Resource.objects.none()
    if is_staff_with(user, "partnerships.view_resource"):
        return Resource.objects.all()
    return Resource.objects.filter(
        Q(status=ResourceStatus.PUBLISHED) | Q(proposed_by_id=user.person_id)
    )


def may_publish_resource(user: User, resource: Resource) -> bool:
    return is_staff_with(user, "partnerships.change_resource")
