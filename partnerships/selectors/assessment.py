"""Reads for the five-values self-assessment: the rounds a visitor may see, what is left for a
member to answer, and the results.

The results keep answers anonymous:
- A round's results show once it has closed (while it is open, watching the averages move as
  each member answers would show what they answered), and only when at least
  MIN_RESPONDENTS_PER_ROLE people answered it.
- Results by role show a role only when at least MIN_RESPONDENTS_PER_ROLE people of that role
  answered. If the people left out that way number 1 or 2 in all, their answers could be worked
  out from the overall average and the roles shown (by subtraction), so then no role is shown
  for the round: only the overall averages.
- Comments (for the lead and the partnerships team only) are grouped by value, without a role,
  in an order that has nothing to do with when they were sent, and a different one under each
  value (each answer's own random id): listed in the response's order under every value, the
  comments at the same place would be one person's, to be read together and recognised."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from coprod.compiled import database_today
from coprod.models import User
from coprod.selectors import count_subquery
from partnerships.enums import (
    MIN_RESPONDENTS_PER_ROLE,
    CoproductionValue,
    PartnershipRole,
    RoundStatus,
)
from partnerships.models import (
    AssessmentAnswer,
    AssessmentParticipation,
    AssessmentRound,
    Partnership,
    PartnershipMember,
)
from partnerships.permissions import managed_partnerships_for_user, member_partnerships_for_user

VALUES = list(CoproductionValue)


def member_rounds_for_user(user: User) -> QuerySet[AssessmentRound]:
    """The rounds of the partnerships `user` is a current member of (portal)."""
    return AssessmentRound.objects.filter(partnership__in=member_partnerships_for_user(user))


def managed_rounds_for_user(user: User) -> QuerySet[AssessmentRound]:
    """The rounds of the partnerships `user` sees on the staff pages."""
    return AssessmentRound.objects.filter(partnership__in=managed_partnerships_for_user(user))


def open_rounds_to_answer(user: User) -> QuerySet[AssessmentRound]:
    """Open rounds (not past their closing date) of `user`'s partnerships that they have not
    answered yet, with their partnership."""
    today = timezone.localdate()
    return (
        member_rounds_for_user(user)
        .filter(status=RoundStatus.OPEN)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .exclude(
            Exists(
                AssessmentParticipation.objects.filter(
                    round=OuterRef("pk"), person_id=user.person_id
                )
            )
        )
        .select_related("partnership")
        .order_by("opened_on", "pk")
    )


def partnerships_with_rounds(user: User) -> QuerySet[Partnership]:
    """The partnerships `user` sees on the staff pages, each with its number of rounds and the
    title of its open round (empty if none), in one query."""
    open_title = AssessmentRound.objects.filter(
        partnership=OuterRef("pk"), status=RoundStatus.OPEN
    ).values("title")[:1]
    return (
        managed_partnerships_for_user(user)
        .annotate(
            round_count=count_subquery(AssessmentRound.objects.filter(partnership=OuterRef("pk"))),
            open_round=Subquery(open_title),
        )
        .order_by("title", "pk")
    )


def has_answered(user: User, round_: AssessmentRound) -> bool:
    return AssessmentParticipation.objects.filter(round=round_, person_id=user.person_id).exists()


def rounds_to_answer_count() -> count_subquery:
    """For the portal's "Things to do": open rounds of the person's (`OuterRef("pk")`) current
    partnerships that they have not answered. By the database's clock (compiled once)."""
    today = database_today()
    current = PartnershipMember.objects.filter(
        partnership=OuterRef("partnership"),
        person_id=OuterRef(OuterRef("pk")),
        joined_on__lte=today,
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))
    answered = AssessmentParticipation.objects.filter(
        round=OuterRef("pk"), person_id=OuterRef(OuterRef("pk"))
    )
    return count_subquery(
        AssessmentRound.objects.filter(status=RoundStatus.OPEN)
        .filter(Q(closes_on__isnull=True) | Q(closes_on__gte=today))
        .filter(Exists(current))
        .exclude(Exists(answered))
    )


# Results -----------------------------------------------------------------------------------------


def _average(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class RoleLine:
    role: str
    label: str
    respondents: int
    averages: list[Decimal | None]


@dataclass
class RoundResults:
    round: AssessmentRound
    respondents: int = 0
    # Results show: the round is closed and enough people answered.
    shown: bool = False
    averages: list[Decimal | None] = field(default_factory=lambda: [None] * len(VALUES))
    # The roles shown (each with enough respondents), or empty.
    by_role: list[RoleLine] = field(default_factory=list)
    # Some people's role is left out (too few of it); `by_role_withheld` when no role is shown
    # at all because the left-out people could be worked out by subtraction.
    roles_left_out: bool = False
    by_role_withheld: bool = False

    @property
    def rows(self) -> list[tuple[str, Decimal | None, list[Decimal | None]]]:
        """Per value: its label, everyone's average, and each shown role's average."""
        return [
            (value.label, self.averages[index], [line.averages[index] for line in self.by_role])
            for index, value in enumerate(VALUES)
        ]


def results_for(rounds: list[AssessmentRound]) -> list[RoundResults]:
    """The results of `rounds` (of one partnership), in the order given, from ONE query that sums
    the ratings by round, role and value."""
    by_round = {round_.pk: RoundResults(round=round_) for round_ in rounds}
    if not rounds:
        return []
    # (round, role, value) → (sum, count); count per (round, role) is the respondents (every
    # response rates every value).
    totals: dict[int, dict[str, dict[str, tuple[int, int]]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    rows = (
        AssessmentAnswer.objects.filter(response__round__in=list(by_round))
        .values("response__round", "response__role", "value")
        .annotate(total=Sum("rating"), answers=Count("pk"))
        .order_by()
    )
    for row in rows:
        totals[row["response__round"]][row["response__role"]][row["value"]] = (
            row["total"],
            row["answers"],
        )
    for pk, results in by_round.items():
        roles = totals.get(pk, {})
        respondents = {
            role: max(count for _total, count in values.values()) for role, values in roles.items()
        }
        results.respondents = sum(respondents.values())
        results.shown = (
            results.round.status == RoundStatus.CLOSED
            and results.respondents >= MIN_RESPONDENTS_PER_ROLE
        )
        if not results.shown:
            continue
        results.averages = [
            _average(
                sum(roles[role].get(value.value, (0, 0))[0] for role in roles),
                sum(roles[role].get(value.value, (0, 0))[1] for role in roles),
            )
            for value in VALUES
        ]
        enough = [
            role for role in PartnershipRole if respondents.get(role, 0) >= MIN_RESPONDENTS_PER_ROLE
        ]
        left_out = sum(count for role, count in respondents.items() if role not in enough)
        results.roles_left_out = left_out > 0
        if 0 < left_out < MIN_RESPONDENTS_PER_ROLE:
            results.by_role_withheld = True
            continue
        results.by_role = [
            RoleLine(
                role=role.value,
                label=role.label,
                respondents=respondents[role],
                averages=[_average(*roles[role].get(value.value, (0, 0))) for value in VALUES],
            )
            for role in enough
        ]
    return list(by_round.values())


def partnership_results(partnership: Partnership) -> list[RoundResults]:
    """Every round of `partnership`, oldest first, with its results: two queries, whatever the
    number of rounds and answers."""
    rounds = list(partnership.assessment_rounds.order_by("opened_on", "pk"))
    return results_for(rounds)


@dataclass
class TrendPoint:
    x: float
    y: float
    average: Decimal


# Each value's line: a colour (at least 3:1 on white) and a dash pattern, so that lines differ
# without colour too.
LINE_STYLES = [
    ("#1d70b8", ""),
    ("#d4351c", "10 5"),
    ("#00703c", "3 4"),
    ("#4c2c92", "14 4 3 4"),
    ("#505a5f", "6 6"),
]


@dataclass
class TrendLine:
    label: str
    index: int
    points: list[TrendPoint]

    @property
    def colour(self) -> str:
        return LINE_STYLES[self.index][0]

    @property
    def dash(self) -> str:
        return LINE_STYLES[self.index][1]

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if n == 0 else 'L'}{point.x:.1f},{point.y:.1f}"
            for n, point in enumerate(self.points)
        )


@dataclass
class Trend:
    """The trend across rounds whose results show: one line per value, for an inline SVG, and
    the same numbers as a table (`table`: rounds × values)."""

    rounds: list[RoundResults]
    lines: list[TrendLine]
    width: int
    height: int
    left: int
    top: int
    plot_height: int
    x_positions: list[float]

    @property
    def columns(self) -> list[tuple[str, float, str]]:
        """Each round's title, where it sits on the x axis and how its label is anchored there
        (the first and last labels inwards, so that they are not cut off at the edges)."""
        last = len(self.rounds) - 1
        return [
            (
                result.round.title,
                x,
                "middle" if last == 0 or 0 < n < last else ("start" if n == 0 else "end"),
            )
            for n, (result, x) in enumerate(zip(self.rounds, self.x_positions, strict=True))
        ]

    @property
    def right(self) -> int:
        return self.width - 24

    @property
    def baseline(self) -> int:
        return self.height - 16

    @property
    def by_value(self) -> list[tuple[str, list[Decimal | None]]]:
        """The same numbers as `table`, a row per value with a column per round (it fits a
        phone's width better: there are fewer rounds than values to show side by side)."""
        return [
            (value.label, [result.averages[index] for result in self.rounds])
            for index, value in enumerate(VALUES)
        ]

    @property
    def table(self) -> list[tuple[str, list[Decimal | None]]]:
        return [(results.round.title, results.averages) for results in self.rounds]

    @property
    def y_ticks(self) -> list[tuple[int, float]]:
        return [(rating, self._y(rating)) for rating in range(1, 6)]

    def _y(self, rating: float) -> float:
        return self.top + self.plot_height * (5 - rating) / 4


def trend_of(results: list[RoundResults]) -> Trend | None:
    """The lines of the chart (None when fewer than one round has results to show)."""
    shown = [result for result in results if result.shown]
    if not shown:
        return None
    width, height, left, right, top, bottom = 640, 320, 48, 24, 16, 48
    plot_width, plot_height = width - left - right, height - top - bottom
    if len(shown) == 1:
        xs = [left + plot_width / 2]
    else:
        xs = [left + plot_width * n / (len(shown) - 1) for n in range(len(shown))]
    trend = Trend(
        rounds=shown,
        lines=[],
        width=width,
        height=height,
        left=left,
        top=top,
        plot_height=plot_height,
        x_positions=xs,
    )
    for index, value in enumerate(VALUES):
        points = [
            TrendPoint(
                x=x, y=trend._y(float(result.averages[index])), average=result.averages[index]
            )
            for x, result in zip(xs, shown, strict=True)
            if result.averages[index] is not None
        ]
        trend.lines.append(TrendLine(label=value.label, index=index, points=points))
    return trend


def round_comments(results: RoundResults) -> list[tuple[str, list[str]]]:
    """The comments of a round whose results show (closed, enough respondents), by value (no
    role), in the order of the answers' random ids (so a different order under each value, not
    the responses'); an empty list otherwise. One query."""
    if not results.shown:
        return []
    round_ = results.round
    grouped: dict[str, list[str]] = defaultdict(list)
    for value, comment in (
        AssessmentAnswer.objects.filter(response__round=round_)
        .exclude(comment="")
        .order_by("pk")
        .values_list("value", "comment")
    ):
        grouped[value].append(comment)
    return [(value.label, grouped[value.value]) for value in VALUES if grouped[value.value]]
