"""The five-values self-assessment: staff open a round for a partnership (`open_round`), each
current member answers it once (`answer_round`), staff close it (`close_round`).

Anonymity by construction (see partnerships.models.assessment). `answer_round` saves, in one
transaction, that the person answered (`AssessmentParticipation`, audited) and, apart from it,
what was answered (`AssessmentResponse` with its `AssessmentAnswer`s, never audited, carrying
only the member's role in the partnership). Nothing here logs, audits, messages or stores
anything that joins the two: no time on the response, no session key, no draft left behind (the
view deletes the form's draft), and random ids on the answers as well as the response, so that
the order rows were saved in (a growing id) does not match responses to participations."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Mapping
from contextlib import nullcontext
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from coprod.audit import Actor, acting, records_actor
from coprod.models import Person, User
from partnerships.enums import CoproductionValue, Rating, RoundStatus
from partnerships.models import (
    AssessmentAnswer,
    AssessmentParticipation,
    AssessmentResponse,
    AssessmentRound,
    Partnership,
)
from partnerships.permissions import current_memberships, may_manage_partnership

ALREADY_ANSWERED = "You have already answered this round"
# Answer ids are drawn at random from this range, far above any id the table's sequence would
# hand out, so that they say nothing about the order answers were saved in.
RANDOM_ID_FLOOR = 2**40
RANDOM_ID_BITS = 62


def random_answer_id() -> int:
    return RANDOM_ID_FLOOR + secrets.randbits(RANDOM_ID_BITS) % (
        2**RANDOM_ID_BITS - RANDOM_ID_FLOOR
    )


def _may_manage(by: Actor, partnership: Partnership) -> None:
    if isinstance(by, User) and not may_manage_partnership(by, partnership):
        raise ValidationError(
            _("Only the partnership's lead or the partnerships team can do this.")
        )


@records_actor
@transaction.atomic
def open_round(
    partnership: Partnership, *, by: Actor, title: str, closes_on: date | None = None
) -> AssessmentRound:
    """Open a self-assessment round for `partnership` (one open round at a time; the database's
    constraint backs the check). Members then see it in their "Things to do".

    Side effects: saves an AssessmentRound (audited)."""
    _may_manage(by, partnership)
    Partnership.objects.select_for_update().filter(pk=partnership.pk).first()
    today = timezone.localdate()
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Enter a name for the round")})
    if closes_on is not None and closes_on < today:
        raise ValidationError({"closes_on": _("The closing date must be today or later")})
    if AssessmentRound.objects.filter(partnership=partnership, status=RoundStatus.OPEN).exists():
        raise ValidationError(
            _("This partnership already has an open round. Close it before opening another.")
        )
    round_ = AssessmentRound(
        partnership=partnership,
        title=title,
        opened_on=today,
        closes_on=closes_on,
        opened_by=by if isinstance(by, User) else None,
    )
    round_.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            round_.save()
    except IntegrityError as error:
        raise ValidationError(
            _("This partnership already has an open round. Close it before opening another.")
        ) from error
    return round_


@records_actor
@transaction.atomic
def close_round(round_: AssessmentRound, *, by: Actor) -> AssessmentRound:
    """Close an open round: no more answers; its results show.

    Side effects: updates the AssessmentRound (audited)."""
    _may_manage(by, round_.partnership)
    locked = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
    if locked.status != RoundStatus.OPEN:
        raise ValidationError(_("This round is already closed."))
    locked.status = RoundStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.closed_by = by if isinstance(by, User) else None
    locked.save(update_fields=["status", "closed_at", "closed_by"])
    return locked


def is_open_for_answers(round_: AssessmentRound, today: date | None = None) -> bool:
    today = today or timezone.localdate()
    return round_.status == RoundStatus.OPEN and (
        round_.closes_on is None or today <= round_.closes_on
    )


def _validated(
    ratings: Mapping[str, object], comments: Mapping[str, str]
) -> list[tuple[str, int, str]]:
    errors: dict[str, list[str]] = {}
    answers = []
    unknown = (set(ratings) | set(comments)) - set(CoproductionValue.values)
    if unknown:
        raise ValidationError(_("Answers were given for questions that are not asked."))
    for value in CoproductionValue:
        rating = ratings.get(value.value)
        if rating is None or rating == "":
            errors[value.value] = [_("Choose an answer for: %(value)s") % {"value": value.label}]
            continue
        try:
            number = int(rating)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            number = 0
        if str(number) != str(rating).strip() or number not in Rating.values:
            errors[value.value] = [
                _("Choose one of the five answers for: %(value)s") % {"value": value.label}
            ]
            continue
        answers.append((value.value, number, (comments.get(value.value) or "").strip()))
    if errors:
        raise ValidationError(errors)
    return answers


@transaction.atomic
def answer_round(
    round_: AssessmentRound,
    *,
    person: Person,
    ratings: Mapping[str, object],
    comments: Mapping[str, str] | None = None,
) -> None:
    """`person`'s anonymous answers to an open round: every one of the five values rated on the
    Rating scale (1 to 5), with an optional comment each. Refused with a ValidationError (and
    nothing saved) when the person is not a current member of the partnership, the round is
    closed or past its closing date, a value is missing or off the scale, or they have already
    answered (race-safe: the participation is inserted first, and its unique constraint refuses
    a second one, also one sent at the same moment).

    The person acts for themself: what is audited is the participation, with them as the actor.
    The response and answers are not audited and carry no person, no time and random ids.

    Side effects: saves an AssessmentParticipation (audited), an AssessmentResponse with the
    member's role, and five AssessmentAnswers. Returns nothing, so that no caller holds the
    response beside the person."""
    answers = _validated(ratings, comments or {})
    locked = AssessmentRound.objects.select_for_update().filter(pk=round_.pk).first()
    if locked is None or not is_open_for_answers(locked):
        raise ValidationError(_("This round has closed, so answers can no longer be sent."))
    membership = (
        current_memberships().filter(partnership_id=locked.partnership_id, person=person).first()
    )
    if membership is None:
        raise ValidationError(_("Only the partnership's current members can answer this round."))
    user = getattr(person, "user", None)
    try:
        with transaction.atomic(), acting(user) if user is not None else nullcontext():
            AssessmentParticipation.objects.create(round=locked, person=person)
    except IntegrityError as error:
        raise ValidationError(_(ALREADY_ANSWERED)) from error
    response = AssessmentResponse.objects.create(
        id=uuid.uuid4(), round=locked, role=membership.role
    )
    AssessmentAnswer.objects.bulk_create(
        AssessmentAnswer(
            id=random_answer_id(), response=response, value=value, rating=rating, comment=comment
        )
        for value, rating, comment in answers
    )
