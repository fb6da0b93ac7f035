"""Writes for the staff side of selection: an opportunity's status (publish, close, mark filled),
fixing the shortlist, scoring, and the staff's decisions on an application.

Every change of an application's status goes through `recruitment.services.applications.
move_application` (which records the step and queues the outcome message); the services here add
who may do it and the selection's own rules. A member of staff acts with
`recruitment.manage_selection` (the engagement team); a process (`SystemActor`: demo data, a task)
acts as the system."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.models import User
from coprod.permissions import is_staff_with
from recruitment.enums import (
    BLIND_DECISIONS,
    IN_SELECTION_STATES,
    OPPORTUNITY_TRANSITIONS,
    SCORABLE_STATES,
    SHORTLISTED_OR_FURTHER,
    ApplicationStatus,
    OpportunityStatus,
)
from recruitment.models import Application, ApplicationScore, Opportunity
from recruitment.services.applications import move_application

MANAGE_SELECTION = "recruitment.manage_selection"
CHANGE_OPPORTUNITY = "recruitment.change_opportunity"


# Who may act (predicates for views, checked again by the services) ----------------------------


def may_manage_selection(user: Any) -> bool:
    """Shortlist, score and decide: staff with `recruitment.manage_selection`."""
    return is_staff_with(user, MANAGE_SELECTION)


def may_change_opportunity_status(user: Any) -> bool:
    return is_staff_with(user, CHANGE_OPPORTUNITY)


def _allowed(by: Actor, check: Any) -> bool:
    """A process acts as the system; a person must pass `check`."""
    return not isinstance(by, User) or check(by)


def _not_own(application: Application, by: Actor) -> None:
    """Nobody selects, scores or turns down their own application, or one they referred."""
    if not isinstance(by, User):
        return
    if by.person_id in (application.person_id, application.referred_by_id):
        raise ValidationError(
            _("You cannot make decisions about your own application or one you referred.")
        )


# Opportunities -------------------------------------------------------------------------------


def _check_publishable(opportunity: Opportunity) -> None:
    if opportunity.closes_at <= timezone.now():
        raise ValidationError(_("Set a closing date in the future before publishing."))
    if not opportunity.criteria.exists():
        raise ValidationError(
            _("Add at least one selection criterion (what you look for) before publishing.")
        )


@records_actor
@transaction.atomic
def move_opportunity(
    opportunity: Opportunity, to: OpportunityStatus | str, *, by: Actor
) -> Opportunity:
    """The one transition service for an opportunity's status (enums.OPPORTUNITY_TRANSITIONS);
    `publish_opportunity`, `close_opportunity` and `mark_opportunity_filled` call it. Opening
    needs a closing date in the future and at least one selection criterion.

    Side effects: saves the opportunity's status (and `published_at` when it opens) on the row
    locked against a second change at once; audited."""
    if not _allowed(by, may_change_opportunity_status):
        raise ValidationError(_("Only the engagement team can change an opportunity."))
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if to not in OPPORTUNITY_TRANSITIONS[locked.status]:
        raise ValidationError(
            _("This is not possible: the opportunity is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    if to == OpportunityStatus.OPEN:
        _check_publishable(locked)
        locked.published_at = timezone.now()
    locked.status = to
    locked.full_clean()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    opportunity.__dict__.update(locked.__dict__)
    return opportunity


@records_actor
def publish_opportunity(opportunity: Opportunity, *, by: Actor) -> Opportunity:
    """Draft → open: listed in the portal for people whose roles match. It needs a closing date
    in the future and at least one selection criterion (what applications are scored against).

    Side effects: those of `move_opportunity`."""
    return move_opportunity(opportunity, OpportunityStatus.OPEN, by=by)


@records_actor
def close_opportunity(opportunity: Opportunity, *, by: Actor) -> Opportunity:
    """Open → closed: no more applications. Side effects: those of `move_opportunity`."""
    return move_opportunity(opportunity, OpportunityStatus.CLOSED, by=by)


@records_actor
def mark_opportunity_filled(opportunity: Opportunity, *, by: Actor) -> Opportunity:
    """Open or closed → filled: every place is taken. Side effects: those of
    `move_opportunity`. Applications still in selection are not touched (see
    `turn_down_remaining`)."""
    return move_opportunity(opportunity, OpportunityStatus.FILLED, by=by)


# The shortlist -------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def fix_shortlist(opportunity: Opportunity, *, by: Actor) -> Opportunity:
    """End blind shortlisting: staff see applicants' names and who referred them from now on.
    Only once at least one application is shortlisted, and only once.

    Side effects: saves `shortlist_fixed_at` (audited)."""
    if not _allowed(by, may_manage_selection):
        raise ValidationError(_("Only the engagement team can fix the shortlist."))
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.shortlist_fixed_at is not None:
        raise ValidationError(_("The shortlist is already fixed."))
    if not locked.applications.filter(status__in=SHORTLISTED_OR_FURTHER).exists():
        raise ValidationError(_("Shortlist at least one application before fixing the shortlist."))
    locked.shortlist_fixed_at = timezone.now()
    locked.save(update_fields=["shortlist_fixed_at", "updated_at"])
    opportunity.__dict__.update(locked.__dict__)
    return opportunity


# Decisions -----------------------------------------------------------------------------------


def _decide(
    application: Application,
    to: ApplicationStatus,
    *,
    by: Actor,
    reason: str,
    feedback: str | None = None,
) -> Application:
    if not _allowed(by, may_manage_selection):
        raise ValidationError(_("Only the engagement team can make selection decisions."))
    _not_own(application, by)
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give a reason for the decision (only staff see it)."))
    if to == ApplicationStatus.UNSUCCESSFUL and not (feedback or "").strip():
        raise ValidationError(
            _("Write feedback to the person: everyone who is not selected is told why.")
        )
    opportunity = application.opportunity
    if opportunity.status == OpportunityStatus.DRAFT:
        raise ValidationError(_("This opportunity is not published."))
    if opportunity.names_hidden and to not in BLIND_DECISIONS:
        raise ValidationError(
            _("Fix the shortlist first: inviting someone or offering a place needs their name.")
        )
    return move_application(
        application,
        to,
        by=by,
        note=reason,
        reason=reason,
        feedback=feedback.strip() if feedback is not None else None,
    )


@records_actor
def shortlist_application(application: Application, *, by: Actor, reason: str) -> Application:
    """Sent → shortlisted. Side effects: those of `move_application` (the step, with the reason
    as its note)."""
    return _decide(application, ApplicationStatus.SHORTLISTED, by=by, reason=reason)


@records_actor
def invite_to_conversation(application: Application, *, by: Actor, reason: str) -> Application:
    """Shortlisted → invited to a conversation (never called an interview). Needs the shortlist
    fixed when it is blind. Side effects: those of `move_application`."""
    return _decide(application, ApplicationStatus.CONVERSATION, by=by, reason=reason)


@records_actor
@transaction.atomic
def offer_place(
    application: Application, *, by: Actor, reason: str, feedback: str = ""
) -> Application:
    """Shortlisted or after a conversation → offered a place (the person accepts or declines in
    the portal), while places are left (offers waiting for an answer count as taken). `feedback`,
    if given, is sent with the outcome message. Needs the shortlist fixed when it is blind.
    Side effects: those of `move_application`."""
    # Two offers made at once must not both take the last place: lock the opportunity first.
    Opportunity.objects.select_for_update().only("pk").get(pk=application.opportunity_id)
    taken = application.opportunity.applications.filter(
        status__in=[ApplicationStatus.OFFERED, ApplicationStatus.ACCEPTED]
    ).count()
    if taken >= application.opportunity.places:
        raise ValidationError(
            _("Every place (%(places)s) is already offered or taken.")
            % {"places": application.opportunity.places}
        )
    return _decide(
        application, ApplicationStatus.OFFERED, by=by, reason=reason, feedback=feedback or None
    )


@records_actor
def mark_unsuccessful(
    application: Application, *, by: Actor, reason: str, feedback: str
) -> Application:
    """Not selected this time. Feedback is required: everyone is told why.

    Side effects: those of `move_application`, which queues the person's message with the
    feedback."""
    return _decide(
        application, ApplicationStatus.UNSUCCESSFUL, by=by, reason=reason, feedback=feedback
    )


DECISIONS = {
    ApplicationStatus.SHORTLISTED: shortlist_application,
    ApplicationStatus.CONVERSATION: invite_to_conversation,
    ApplicationStatus.OFFERED: offer_place,
    ApplicationStatus.UNSUCCESSFUL: mark_unsuccessful,
}


@records_actor
@transaction.atomic
def turn_down_remaining(opportunity: Opportunity, *, by: Actor, reason: str, feedback: str) -> int:
    """When the places are taken: every application still waiting (sent, shortlisted or invited
    to a conversation; not offers, which the person answers) is marked not selected, each with
    the same feedback. All or none.

    Side effects: those of `mark_unsuccessful` for each; returns how many."""
    waiting = list(
        opportunity.applications.select_related("opportunity")
        .filter(status__in=IN_SELECTION_STATES - {ApplicationStatus.OFFERED})
        .order_by("number")
    )
    for application in waiting:
        mark_unsuccessful(application, by=by, reason=reason, feedback=feedback)
    return len(waiting)


# Scores --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Score:
    score: int
    comment: str = ""


@records_actor
@transaction.atomic
def score_application(
    application: Application, *, by: User, scores: Mapping[int, Score]
) -> list[ApplicationScore]:
    """The scorer's scores of `application`, one per criterion (by criterion id): each from 0 to
    the criterion's highest score, with an optional comment. A scorer's earlier score for a
    criterion is replaced; scores can be changed until the decision (an offer or an end). Nobody
    scores their own application or one they referred.

    Side effects: saves one ApplicationScore per criterion given (all or none)."""
    if not isinstance(by, User) or not may_manage_selection(by):
        raise ValidationError(_("Only the engagement team can score applications."))
    _not_own(application, by)
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in SCORABLE_STATES:
        raise ValidationError(
            _("Scores cannot be changed now: the application is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    criteria = {criterion.pk: criterion for criterion in locked.opportunity.criteria.all()}
    saved = []
    for criterion_id, given in scores.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError(_("That is not one of this opportunity's criteria."))
        if not 0 <= given.score <= criterion.max_score:
            raise ValidationError(
                _("The score for “%(name)s” must be from 0 to %(max)s.")
                % {"name": criterion.name, "max": criterion.max_score}
            )
        score, _created = ApplicationScore.objects.get_or_create(
            application=locked,
            criterion=criterion,
            scorer=by,
            defaults={"score": given.score, "comment": given.comment.strip()},
        )
        score.score, score.comment = given.score, given.comment.strip()
        score.full_clean()
        score.save()
        saved.append(score)
    return saved
