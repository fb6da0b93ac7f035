"""Workflows that change funding calls and proposals. Each state change has one function here;
nothing else changes a call's or a proposal's status."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.enums import Role
from coprod.models import Person, User
from coprod.services.notifications import queue_notification
from funding.enums import CALL_STEPS, CallStatus, Eligibility, ProposalStatus, ScoredBy
from funding.models import LIVED_EXPERIENCE_KEY, Call, Criterion, Proposal

CHECK_ELIGIBILITY = "funding.check_eligibility"
MANAGE_CALLS = "funding.change_call"
PROPOSAL_FIELDS = (
    "title",
    "summary",
    "description",
    "requested_amount",
    "team",
    "lived_experience_involvement",
    "content_warning",
)
# Needed to submit (a draft may leave them empty).
REQUIRED_TO_SUBMIT = (
    "title",
    "summary",
    "description",
    "requested_amount",
    "lived_experience_involvement",
)


def _refuse_without(by: Actor, permission: str) -> None:
    if isinstance(by, User) and not by.has_perm(permission):
        raise ValidationError(_("You do not have permission to do this."), code="not_allowed")


# Calls -----------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def create_call(
    *,
    by: Actor,
    title: str,
    description: str,
    budget: Decimal,
    opens_at: datetime,
    closes_at: datetime,
    eligibility: str,
) -> Call:
    """A new call, in draft, with its criterion about how proposals involve people with lived
    experience (every call keeps one).

    Side effects: saves the Call and that Criterion."""
    _refuse_without(by, "funding.add_call")
    call = Call(
        title=title,
        description=description,
        budget=budget,
        opens_at=opens_at,
        closes_at=closes_at,
        eligibility=eligibility,
        created_by=by if isinstance(by, User) else None,
    )
    call.full_clean()
    call.save()
    add_lived_experience_criterion(call)
    return call


def add_lived_experience_criterion(call: Call) -> Criterion:
    """The call's lived experience criterion, created if missing (also used by the admin when a
    call is added there). Part of the caller's transaction."""
    criterion, _created = Criterion.objects.get_or_create(
        call=call,
        key=LIVED_EXPERIENCE_KEY,
        defaults={
            "name": _("Involving people with lived experience"),
            "guidance": _(
                "How well does the proposal involve people with lived experience: from the "
                "start, with real influence over decisions, and paid fairly for their time?"
            ),
            "weight": 1,
            "scored_by": ScoredBy.EVERYONE,
            "order": 0,
        },
    )
    return criterion


@records_actor
@transaction.atomic
def move_call(call: Call, to: CallStatus | str, *, by: Actor) -> Call:
    """Move `call` one step: draft → open → closed → in review → decided. Opening needs a closing
    time in the future, the lived experience criterion, and every criterion weighted above zero.

    Side effects: saves the Call's status."""
    _refuse_without(by, MANAGE_CALLS)
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if to not in CALL_STEPS[locked.status]:
        raise ValidationError(
            _("A call that is “%(now)s” cannot become “%(to)s”.")
            % {"now": locked.get_status_display(), "to": CallStatus(to).label},
            code="no_such_step",
        )
    if to == CallStatus.OPEN:
        _refuse_opening(locked)
    locked.status = to
    locked.status_changed_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "status_changed_at", "updated_at"])
    call.__dict__.update(locked.__dict__)
    return call


def _refuse_opening(call: Call) -> None:
    if call.closes_at <= timezone.now():
        raise ValidationError(
            _("The closing time has passed: set a closing time in the future first."),
            code="closes_in_past",
        )
    criteria = list(call.criteria.all())
    if not any(criterion.is_lived_experience for criterion in criteria):
        raise ValidationError(
            _("A call needs its criterion about involving people with lived experience."),
            code="no_lived_experience_criterion",
        )
    if any(criterion.weight <= 0 for criterion in criteria):
        raise ValidationError(_("Every criterion needs a weight above zero."), code="zero_weight")


# Proposals -------------------------------------------------------------------------------------


def _refuse_unless_accepting(call: Call) -> None:
    """Called with the call's row locked, so a proposal cannot slip in as the call closes."""
    now = timezone.now()
    if call.status != CallStatus.OPEN or now < call.opens_at:
        raise ValidationError(_("This call is not open for proposals."), code="not_open")
    if now >= call.closes_at:
        raise ValidationError(
            _(
                "This call closed on %(closed)s. Proposals can no longer be sent to it. "
                "Your draft is still saved."
            )
            % {"closed": timezone.localtime(call.closes_at).strftime("%-d %B %Y at %H:%M")},
            code="closed",
        )


def _applicant(by: Actor) -> Person:
    person = getattr(by, "person", None) if isinstance(by, User) else None
    if person is None:
        raise ValidationError(_("Only a signed-in person can make a proposal."), code="no_person")
    return person


def _refuse_unless_researcher(person: Person) -> None:
    """Checked at every change: a person whose researcher role has ended keeps their draft but
    can no longer change or send it. Read afresh (a role cached on the login may have ended)."""
    if not Person.objects.holding(Role.RESEARCHER).filter(pk=person.pk).exists():
        raise ValidationError(
            _("Proposals are made by researchers: ask the funding team if this is you."),
            code="not_researcher",
        )


def _already_proposed() -> ValidationError:
    # The words of the constraint's own message (Proposal.Meta), so every way of finding the
    # second proposal (this check, the model's validation, the database) says the same.
    return ValidationError(_("You already have a proposal for this call."), code="already_proposed")


def _lock_own_draft(proposal: Proposal, by: Actor) -> tuple[Call, Proposal]:
    """The call's and the draft's rows, locked, once `by` is known to be its applicant and
    still a researcher."""
    call = Call.objects.select_for_update().get(pk=proposal.call_id)
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.applicant_id != getattr(by, "person_id", None):
        raise ValidationError(_("This is not your proposal."), code="not_yours")
    if locked.status != ProposalStatus.DRAFT:
        raise ValidationError(_("This proposal has been sent: it cannot be changed."), code="sent")
    _refuse_unless_researcher(_applicant(by))
    return call, locked


@records_actor
@transaction.atomic
def start_proposal(call: Call, *, by: Actor, **fields: Any) -> Proposal:
    """`by`'s new draft proposal to `call`, with any of the proposal's fields given. Refuses a
    call that is not open, anyone not a researcher now, and a second live proposal to the same
    call (one per person per call: also when two requests race, which the database's
    constraint `funding_one_live_proposal_per_call` settles).

    Side effects: saves a Proposal (draft)."""
    person = _applicant(by)
    _refuse_unless_researcher(person)
    locked_call = Call.objects.select_for_update().get(pk=call.pk)
    _refuse_unless_accepting(locked_call)
    live = Proposal.objects.filter(call=locked_call, applicant=person).exclude(
        status=ProposalStatus.WITHDRAWN
    )
    if live.exists():
        raise _already_proposed()
    proposal = Proposal(call=locked_call, applicant=person)
    _set_fields(proposal, fields)
    proposal.full_clean(exclude=_blank_allowed_in_draft(proposal))
    try:
        # A savepoint: a request racing this one past the check above ends at the database's
        # constraint (funding_one_live_proposal_per_call), told in the same words.
        with transaction.atomic():
            proposal.save()
    except IntegrityError as error:
        if not live.exists():
            raise
        raise _already_proposed() from error
    return proposal


@records_actor
@transaction.atomic
def save_proposal(proposal: Proposal, *, by: Actor, **fields: Any) -> Proposal:
    """Keep the fields of `by`'s own draft (any left out are not changed), while the call is
    open and `by` is still a researcher.

    Side effects: saves the Proposal."""
    call, locked = _lock_own_draft(proposal, by)
    _refuse_unless_accepting(call)
    _set_fields(locked, fields)
    locked.full_clean(exclude=_blank_allowed_in_draft(locked))
    locked.save()
    proposal.__dict__.update(locked.__dict__)
    return proposal


@records_actor
@transaction.atomic
def submit_proposal(proposal: Proposal, *, by: Actor, **fields: Any) -> Proposal:
    """Send `by`'s own draft (with any last changes in `fields`). Refused after the closing time
    (checked with the call's row locked), while a required field is empty, and once `by` is no
    longer a researcher; from then on it is read-only to the applicant.

    Side effects: saves the Proposal (submitted, with the time)."""
    call, locked = _lock_own_draft(proposal, by)
    _refuse_unless_accepting(call)
    _set_fields(locked, fields)
    missing = {
        name: _("Fill this in before sending.")
        for name in REQUIRED_TO_SUBMIT
        if getattr(locked, name) in (None, "")
    }
    if missing:
        raise ValidationError(missing, code="incomplete")
    locked.full_clean()
    locked.status = ProposalStatus.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.save()
    proposal.__dict__.update(locked.__dict__)
    return proposal


@records_actor
@transaction.atomic
def withdraw_proposal(proposal: Proposal, *, by: Actor) -> Proposal:
    """The applicant takes back their submitted proposal. Only the applicant may.

    Side effects: saves the Proposal (withdrawn, with the time)."""
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.applicant_id != getattr(by, "person_id", None):
        raise ValidationError(_("Only the applicant can withdraw a proposal."), code="not_yours")
    if locked.status != ProposalStatus.SUBMITTED:
        raise ValidationError(_("Only a sent proposal can be withdrawn."), code="not_submitted")
    locked.status = ProposalStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
    proposal.__dict__.update(locked.__dict__)
    return proposal


@records_actor
@transaction.atomic
def record_eligibility(
    proposal: Proposal, *, by: Actor, eligible: bool, reason: str = ""
) -> Proposal:
    """Funding staff record whether a submitted proposal is eligible (a reason is needed when it
    is not), and the applicant is told. Nobody checks their own proposal.

    Side effects: saves the Proposal's eligibility; queues a message to the applicant
    (`funding_eligibility`) when the outcome or the reason changes (so the same outcome recorded
    twice is told once, and an outcome changed back is told again)."""
    _refuse_without(by, CHECK_ELIGIBILITY)
    locked = (
        Proposal.objects.select_for_update().select_related("call", "applicant").get(pk=proposal.pk)
    )
    if locked.status != ProposalStatus.SUBMITTED:
        raise ValidationError(
            _("Only a sent proposal's eligibility can be checked."), code="not_submitted"
        )
    if locked.applicant_id == getattr(by, "person_id", None):
        raise ValidationError(
            _("You cannot check the eligibility of your own proposal."), code="own_proposal"
        )
    reason = reason.strip()
    if not eligible and not reason:
        raise ValidationError(
            {
                "ineligible_reason": _(
                    "Say why the proposal is not eligible: the applicant is told."
                )
            },
            code="reason_needed",
        )
    told_before = (locked.eligibility, locked.ineligible_reason)
    locked.eligibility = Eligibility.ELIGIBLE if eligible else Eligibility.INELIGIBLE
    locked.ineligible_reason = "" if eligible else reason
    locked.eligibility_checked_at = timezone.now()
    locked.eligibility_checked_by = by if isinstance(by, User) else None
    locked.full_clean()
    locked.save()
    if (locked.eligibility, locked.ineligible_reason) == told_before:
        proposal.__dict__.update(locked.__dict__)
        return proposal
    queue_notification(
        locked.applicant,
        kind="funding_eligibility",
        key=f"funding-eligibility:{locked.pk}:{locked.eligibility_checked_at.isoformat()}",
        context={
            "proposal": locked.title,
            "call": locked.call.title,
            "eligible": eligible,
            "reason": locked.ineligible_reason,
        },
    )
    proposal.__dict__.update(locked.__dict__)
    return proposal


def _set_fields(proposal: Proposal, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(PROPOSAL_FIELDS)
    if unknown:
        raise TypeError(f"Not a proposal field: {sorted(unknown)}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(proposal, name, value)


def _blank_allowed_in_draft(proposal: Proposal) -> list[str]:
    """A draft may leave the summary and the title empty (full_clean would refuse them)."""
    return [name for name in ("title", "summary") if not getattr(proposal, name)]
