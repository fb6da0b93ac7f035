"""Self-assessment demo data: two closed rounds for the first partnership with a trend and a
line for lived experience experts, an open round for the second that the demo LEE has not
answered, safe to run twice, and scale rounds in bulk."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from coprod.demo import STAFF_EMAIL, demo_user
from coprod.models import Person
from partnerships.demo import assessment
from partnerships.demo.base import FIRST, LEE_EMAIL, SECOND, scale_partnership_ids
from partnerships.enums import PartnershipRole, RoundStatus
from partnerships.models import AssessmentAnswer, AssessmentParticipation, AssessmentRound
from partnerships.selectors.assessment import (
    partnership_results,
    rounds_to_answer_count,
    trend_of,
)

pytestmark = pytest.mark.django_db


def seed(settings, scale: int = 1) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", scale=scale, stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def test_first_partnership_has_two_closed_rounds_with_a_trend_and_an_lee_line(settings):
    seed(settings)

    first = partnership_results(
        AssessmentRound.objects.filter(partnership__title=FIRST)[0].partnership
    )

    assert [(r.round.title, r.round.status, r.respondents) for r in first] == [
        ("Spring check-in", RoundStatus.CLOSED, 7),
        ("Autumn check-in", RoundStatus.CLOSED, 7),
    ]
    assert (first[1].round.opened_on - first[0].round.opened_on).days == 180
    assert all(result.by_role[0].role == PartnershipRole.LEE for result in first)
    better = [
        later > earlier for earlier, later in zip(first[0].averages, first[1].averages, strict=True)
    ]
    assert sum(better) >= 3
    assert len(trend_of(first).rounds) == 2


def test_second_partnership_has_an_open_round_the_demo_lee_has_not_answered(settings):
    seed(settings)

    round_ = AssessmentRound.objects.get(partnership__title=SECOND)
    lee = demo_user(LEE_EMAIL).person

    assert round_.status == RoundStatus.OPEN
    assert round_.participations.count() == 3
    assert not AssessmentParticipation.objects.filter(round=round_, person=lee).exists()
    assert Person.objects.filter(pk=lee.pk).annotate(n=rounds_to_answer_count()).get().n == 1


def test_seeding_twice_adds_nothing_and_a_scale_adds_rounds_in_bulk(settings):
    seed(settings, scale=3)
    counts = (AssessmentRound.objects.count(), AssessmentAnswer.objects.count())

    out = seed(settings, scale=3)

    assert (AssessmentRound.objects.count(), AssessmentAnswer.objects.count()) == counts
    assert "Self-assessment at scale" not in out
    scaled = AssessmentRound.objects.filter(partnership_id__in=scale_partnership_ids(3))
    assert scaled.count() == 4 * assessment.ROUNDS_PER_SCALE_PARTNERSHIP
    assert scaled.filter(status=RoundStatus.CLOSED).count() == scaled.count()


def test_scale_inserts_in_bulk_not_row_by_row(settings):
    seed(settings, scale=3)
    staff = demo_user(STAFF_EMAIL)
    ids = scale_partnership_ids(3)

    def queries_to_add_rounds_for(partnership_ids):
        AssessmentRound.objects.filter(partnership_id__in=partnership_ids).delete()
        with CaptureQueriesContext(connection) as context:
            assessment.scale(3, staff)
        return len(context.captured_queries)

    one, four = queries_to_add_rounds_for(ids[:1]), queries_to_add_rounds_for(ids)

    # Hundreds of rows in a handful of queries; only the database's batch size adds a query.
    answers = AssessmentAnswer.objects.filter(response__round__partnership_id__in=ids).count()
    assert answers >= 400
    assert four < 20
    assert four - one <= 3
    assert AssessmentRound.objects.filter(partnership_id__in=ids).count() == 12
