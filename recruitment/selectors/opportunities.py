"""Reads for opportunities and applications: who may see which."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Now
from django.utils import timezone

from coprod.enums import Role
from coprod.models import Person, User
from coprod.selectors import count_subquery, visible_to
from recruitment.enums import ApplicationRoute, ApplicationStatus, OpportunityStatus, RoleSought
from recruitment.models import Application, ApplicationEvent, Opportunity

# Which opportunities each role is offered: people with lived experience, PWLE or LEE, see both
# kinds. An LEE opportunity (an expert role: a funding panel, an advisory board) is how a PWLE
# becomes an LEE: accepting its place records the step (services.applications.accept_offer), and
# the training it needs (induction, say) is checked in selection. Researchers, policymakers and
# staff are offered none; practitioners see every open one, to refer someone.
ROLES_OFFERED = {
    Role.PWLE: (RoleSought.PWLE, RoleSought.LEE),
    Role.LEE: (RoleSought.PWLE, RoleSought.LEE),
}


def open_opportunities() -> QuerySet[Opportunity]:
    """Open and not past their closing time, soonest closing first."""
    return Opportunity.objects.filter(status=OpportunityStatus.OPEN, closes_at__gt=timezone.now())


def opportunities_for_user(user: User, *, roles: frozenset[str]) -> QuerySet[Opportunity]:
    """What `user` may see: every opportunity, drafts included, for staff with the permission;
    open ones whose role matches a participant's current `roles` (PWLE: PWLE ones; LEE: both);
    every open one for a practitioner (to refer someone). `roles` is passed in (from
    coprod.doors.current_roles in a view) so that this adds no query."""
    if not user.is_authenticated or not user.is_active:
        return Opportunity.objects.none()
    if user.is_staff and user.has_perm("recruitment.view_opportunity"):
        return Opportunity.objects.all()
    if Role.PRACTITIONER in roles:
        return open_opportunities()
    sought = {kind for role in roles for kind in ROLES_OFFERED.get(role, ())}
    if not sought:
        return Opportunity.objects.none()
    return open_opportunities().filter(role_sought__in=sought)


def applications_for_user(user: User) -> QuerySet[Application]:
    """Applications `user` may see: all of them for staff with the permission; a person their
    own; a practitioner the referrals they made (and nobody else's)."""
    if user.is_authenticated and user.is_active and not user.is_staff:
        mine = Q(person_id=user.person_id) | Q(referred_by_id=user.person_id)
        return Application.objects.filter(mine).select_related("opportunity")
    return visible_to(
        user,
        Application.objects.select_related("opportunity"),
        staff_permission="recruitment.view_application",
        owner="person",
    )


# The portal: a person's own applications, a practitioner's referrals ----------------------------


def portal_opportunities(user: User, *, roles: frozenset[str]) -> QuerySet[Opportunity]:
    """The opportunities a portal page may show `user`: those `opportunities_for_user` offers
    them, and also any they have applied to or referred someone to (so a person can still read
    what they applied for after it has closed). One query, with subqueries."""
    if not user.is_authenticated or not user.is_active:
        return Opportunity.objects.none()
    involved = Application.objects.filter(
        Q(person_id=user.person_id) | Q(referred_by_id=user.person_id)
    ).values("opportunity_id")
    offered = opportunities_for_user(user, roles=roles).values("pk")
    return Opportunity.objects.filter(Q(pk__in=offered) | Q(pk__in=involved))


def listed_opportunities(user: User, *, roles: frozenset[str]) -> QuerySet[Opportunity]:
    """The portal's list: the open opportunities `user` may see, soonest closing first, each
    with `my_status` (the status of the visitor's own application to it, or None) read in the
    same query."""
    own = Application.objects.filter(opportunity=OuterRef("pk"), person_id=user.person_id)
    return (
        opportunities_for_user(user, roles=roles)
        .filter(status=OpportunityStatus.OPEN, closes_at__gt=timezone.now())
        .annotate(my_status=Subquery(own.values("status")[:1]))
        .order_by("closes_at", "pk")
    )


def offered_to(opportunity: Opportunity, roles: frozenset[str]) -> bool:
    """Whether a person holding `roles` may apply to `opportunity` themself (its role sought
    matches one of theirs: both kinds for PWLE and LEE)."""
    return any(opportunity.role_sought in ROLES_OFFERED.get(role, ()) for role in roles)


def applications_of_person(person: Person) -> QuerySet[Application]:
    """`person`'s own applications (made by them or for them), newest first, with the
    opportunity."""
    return (
        Application.objects.filter(person=person)
        .select_related("opportunity")
        .order_by("-created_at", "-pk")
    )


def own_applications(user: User) -> QuerySet[Application]:
    """Selector for the portal's pages about one's own application (withdraw): the visitor's
    own, nobody else's (staff included: the portal is about the visitor)."""
    if not user.is_authenticated or not user.is_active:
        return Application.objects.none()
    return applications_of_person(user.person)


def answerable_offers(user: User) -> QuerySet[Application]:
    """Applications whose offer `user` may answer: their own; and a referral they made for a
    person who has no login (who cannot sign in to answer: the practitioner answers with them)
    and whom they still support."""
    if not user.is_authenticated or not user.is_active:
        return Application.objects.none()
    return Application.objects.filter(
        Q(person_id=user.person_id)
        | Q(
            referred_by_id=user.person_id,
            route=ApplicationRoute.REFERRAL,
            person__user__isnull=True,
            person__in=people_supported_by(user.person).values("pk"),
        )
    ).select_related("opportunity", "person")


def referrals_by(user: User) -> QuerySet[Application]:
    """The referrals `user` made as a practitioner, newest first, with the opportunity and the
    person (display names only are shown). Another practitioner's never appear."""
    if not user.is_authenticated or not user.is_active:
        return Application.objects.none()
    return (
        Application.objects.filter(referred_by_id=user.person_id, route=ApplicationRoute.REFERRAL)
        .select_related("opportunity", "person")
        .order_by("-created_at", "-pk")
    )


def people_supported_by(practitioner: Person) -> QuerySet[Person]:
    """The people whose support worker is `practitioner` (their safe-contact preferences say
    so) and who may be offered work (active), by display name."""
    return (
        Person.objects.available_for_selection()
        .filter(safe_contact__support_worker=practitioner)
        .order_by("chosen_name", "generated_name")
    )


# "Things to do" (expressions on the person's row, compiled once: the database's clock only) ----


def offers_to_answer_count() -> count_subquery:
    """How many offers the person has to accept or decline."""
    return count_subquery(
        Application.objects.filter(person=OuterRef("pk"), status=ApplicationStatus.OFFERED)
    )


def unsent_applications_count() -> count_subquery:
    """How many of the person's draft applications can still be sent (the opportunity is open
    and has not closed)."""
    return count_subquery(
        Application.objects.filter(
            person=OuterRef("pk"),
            status=ApplicationStatus.DRAFT,
            opportunity__status=OpportunityStatus.OPEN,
            opportunity__closes_at__gt=Now(),
        )
    )


# Data rights ---------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def applications_personal_data(person: Person) -> dict[str, Any]:
    """For the person's download: their applications with their answers, the feedback and the
    history of each; and the referrals they made as a practitioner (what and when, not the other
    person's answers or name). Three queries."""
    events: dict[int, list[dict[str, Any]]] = {}
    for event in ApplicationEvent.objects.filter(application__person=person).order_by("at", "pk"):
        events.setdefault(event.application_id, []).append(
            {
                "from": event.get_from_status_display() if event.from_status else None,
                "to": event.get_to_status_display(),
                "at": event.at.isoformat(),
                "note": event.note,
            }
        )
    applications = [
        {
            "opportunity": application.opportunity.title,
            "route": application.get_route_display(),
            "status": application.get_status_display(),
            "why_interested": application.why_interested,
            "what_you_would_bring": application.what_they_bring,
            "support_and_access_needs": application.support_needs,
            "safe_contact": application.safe_contact,
            "agreed_to_referral_on": _iso(application.consent_confirmed_at),
            "sent_on": _iso(application.submitted_at),
            "decision_reason": application.decision_reason,
            "feedback": application.feedback,
            "history": events.get(application.pk, []),
        }
        for application in applications_of_person(person).order_by("created_at", "pk")
    ]
    referrals = [
        {
            "opportunity": referral.opportunity.title,
            "agreed_on": _iso(referral.consent_confirmed_at),
            "sent_on": _iso(referral.submitted_at),
        }
        for referral in Application.objects.filter(
            referred_by=person, route=ApplicationRoute.REFERRAL
        )
        .select_related("opportunity")
        .order_by("created_at", "pk")
    ]
    return {"applications": applications, "referrals_made": referrals}
