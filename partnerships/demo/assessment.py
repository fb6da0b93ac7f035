"""Self-assessment demo data.

At scale 1: two closed rounds for "Survivor voices in local policing", about six months apart,
answered by all seven members (four lived experience experts, so the results show a line for
them; the second round is better on most values, so the trend shows it), with a few comments;
and an open round for "Safe work pathways" that three members have answered and the demo LEE
(Ayo) has not, so it is in Ayo's "Things to do".

Answers are saved through `answer_round` (so they are anonymous as in real use); the rounds'
dates are then set back in time.

At a scale N > 1, in bulk: `ROUNDS_PER_SCALE_PARTNERSHIP` closed rounds for each scale
partnership, answered by all its members."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.db import connection, transaction
from django.utils import timezone

from coprod.demo import STAFF_EMAIL, demo_user
from coprod.doors import DemoRun
from partnerships.demo.base import FIRST, LEE_EMAIL, SECOND, scale_partnership_ids
from partnerships.enums import CoproductionValue, RoundStatus
from partnerships.models import (
    AssessmentAnswer,
    AssessmentParticipation,
    AssessmentResponse,
    AssessmentRound,
    Partnership,
    PartnershipMember,
)
from partnerships.services.assessment import answer_round, random_answer_id

VALUES = list(CoproductionValue.values)

# FIRST's rounds: (title, days ago opened, days ago closed, each member's ratings in turn).
FIRST_ROUNDS = [
    (
        "Spring check-in",
        200,
        180,
        [(3, 2, 3, 2, 2), (4, 3, 3, 2, 3), (3, 2, 4, 2, 2), (2, 3, 3, 1, 2), (4, 3, 4, 3, 3)],
    ),
    (
        "Autumn check-in",
        20,
        5,
        [(4, 3, 4, 4, 3), (5, 3, 4, 4, 4), (4, 2, 5, 4, 3), (4, 3, 4, 3, 4), (5, 4, 4, 4, 4)],
    ),
]
FIRST_COMMENTS = {
    "Spring check-in": {
        CoproductionValue.TRUST_POWER: "Decisions still feel made before the meeting.",
        CoproductionValue.VALUE_PEOPLE: "Being paid on the day made a real difference.",
    },
    "Autumn check-in": {
        CoproductionValue.TRUST_POWER: "Sharing the chair has changed how meetings feel.",
        CoproductionValue.NETWORKS: "We could bring in housing and health partners.",
    },
}
SECOND_ROUND = "First check-in"
SECOND_ANSWERS = [(4, 3, 4, 3, 3), (3, 3, 4, 2, 3), (4, 4, 3, 3, 3)]

SCALE_ROUND = "Scale round {}"
ROUNDS_PER_SCALE_PARTNERSHIP = 3


def seed(run: DemoRun) -> None:
    staff = demo_user(STAFF_EMAIL)
    first = Partnership.objects.filter(title=FIRST).first()
    second = Partnership.objects.filter(title=SECOND).first()
    if first is not None:
        for title, opened, closed, patterns in FIRST_ROUNDS:
            _closed_round(first, staff, title, opened, closed, patterns)
    if second is not None:
        _open_round(second, staff)
    if run.scale > 1:
        added = scale(run.scale, staff)
        if added:
            run.report(f"Self-assessment at scale {run.scale}: {added} rounds added.")


def _members(partnership: Partnership) -> list[PartnershipMember]:
    return list(partnership.members.select_related("person__user").order_by("pk"))


def _closed_round(partnership, staff, title, opened, closed, patterns) -> None:
    if AssessmentRound.objects.filter(partnership=partnership, title=title).exists():
        return
    today = timezone.localdate()
    comments = FIRST_COMMENTS.get(title, {})
    with transaction.atomic():
        round_ = AssessmentRound.objects.create(
            partnership=partnership,
            title=title,
            opened_on=today - timedelta(days=opened),
            opened_by=staff,
        )
        for n, member in enumerate(_members(partnership)):
            numbers = patterns[n % len(patterns)]
            answer_round(
                round_,
                person=member.person,
                ratings=dict(zip(VALUES, numbers, strict=True)),
                comments=dict(comments) if n < 2 else {},
            )
        AssessmentRound.objects.filter(pk=round_.pk).update(
            status=RoundStatus.CLOSED,
            closed_at=timezone.now() - timedelta(days=closed),
            closed_by=staff,
        )


def _open_round(partnership, staff) -> None:
    if AssessmentRound.objects.filter(partnership=partnership, title=SECOND_ROUND).exists():
        return
    with transaction.atomic():
        round_ = AssessmentRound.objects.create(
            partnership=partnership,
            title=SECOND_ROUND,
            opened_on=timezone.localdate() - timedelta(days=3),
            closes_on=timezone.localdate() + timedelta(days=25),
            opened_by=staff,
        )
        others = [
            member
            for member in _members(partnership)
            if getattr(member.person, "user", None) is None or member.person.user.email != LEE_EMAIL
        ]
        for member, numbers in zip(others, SECOND_ANSWERS, strict=False):
            answer_round(
                round_, person=member.person, ratings=dict(zip(VALUES, numbers, strict=True))
            )


# Scale ------------------------------------------------------------------------------------------


def scale(scale: int, staff) -> int:
    """Closed rounds for the scale partnerships that have none, answered by every member: rows
    made in bulk (answers with random ids, as `answer_round` makes them)."""
    ids = scale_partnership_ids(scale)
    done = set(
        AssessmentRound.objects.filter(
            partnership_id__in=ids, title=SCALE_ROUND.format(1)
        ).values_list("partnership_id", flat=True)
    )
    missing = [pk for pk in ids if pk not in done]
    if not missing:
        return 0
    members: dict[int, list[tuple[int, str]]] = {}
    for partnership_id, person_id, role in (
        PartnershipMember.objects.filter(partnership_id__in=missing)
        .order_by("partnership_id", "pk")
        .values_list("partnership_id", "person_id", "role")
    ):
        members.setdefault(partnership_id, []).append((person_id, role))
    today = timezone.localdate()
    with transaction.atomic():
        rounds = AssessmentRound.objects.bulk_create(
            AssessmentRound(
                partnership_id=pk,
                title=SCALE_ROUND.format(number),
                opened_on=today - timedelta(days=60 * (ROUNDS_PER_SCALE_PARTNERSHIP - number + 1)),
                status=RoundStatus.CLOSED,
                closed_at=timezone.now()
                - timedelta(days=60 * (ROUNDS_PER_SCALE_PARTNERSHIP - number + 1) - 14),
                opened_by=staff,
                closed_by=staff,
            )
            for pk in missing
            for number in range(1, ROUNDS_PER_SCALE_PARTNERSHIP + 1)
        )
        if rounds and rounds[0].pk is None:  # a database that does not return ids
            rounds = list(
                AssessmentRound.objects.filter(
                    partnership_id__in=missing, title__startswith="Scale round "
                )
            )
        participations, responses, answers = [], [], []
        for round_ in rounds:
            number = int(round_.title.rsplit(" ", 1)[1])
            for n, (person_id, role) in enumerate(members.get(round_.partnership_id, [])):
                participations.append(AssessmentParticipation(round=round_, person_id=person_id))
                response = AssessmentResponse(id=uuid.uuid4(), round=round_, role=role)
                responses.append(response)
                for index, value in enumerate(VALUES):
                    answers.append(
                        AssessmentAnswer(
                            id=random_answer_id(),
                            response=response,
                            value=value,
                            rating=1 + (n + index + number) % 5,
                        )
                    )
        # Saved in no particular order, as answers come in real use.
        random.shuffle(responses)
        random.shuffle(answers)
        AssessmentParticipation.objects.bulk_create(participations, batch_size=2000)
        AssessmentResponse.objects.bulk_create(responses, batch_size=2000)
        AssessmentAnswer.objects.bulk_create(answers, batch_size=2000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (
                AssessmentRound,
                AssessmentParticipation,
                AssessmentResponse,
                AssessmentAnswer,
            ):
                cursor.execute(f"ANALYZE {model._meta.db_table}")
    return len(rounds)
