"""The demo's decisions, barriers and "you said, we did": a resolved and an open tension, barriers
of several kinds, the demo LEE's items (anonymous, acted on, open and flagged); seeding twice adds
nothing; a scale adds rows in bulk."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from partnerships.demo.base import FIRST, LEE_EMAIL, SECOND, scale_partnership_ids
from partnerships.enums import BarrierStatus, TensionStatus, YouSaidStatus
from partnerships.models import Barrier, Decision, YouSaidItem
from partnerships.selectors.you_said import with_flag

pytestmark = pytest.mark.django_db


def seed(settings, scale: int = 1) -> str:  # type: ignore[no-untyped-def]
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", scale=scale, stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return (Decision.objects.count(), Barrier.objects.count(), YouSaidItem.objects.count())


def test_the_demo_has_tensions_barriers_and_the_lees_items_and_seeding_twice_adds_nothing(
    settings,
):
    seed(settings, scale=2)
    before = counts()

    seed(settings, scale=2)

    assert counts() == before
    first = set(
        Decision.objects.filter(partnership__title=FIRST).values_list("tension_status", flat=True)
    )
    assert {TensionStatus.RESOLVED, TensionStatus.OPEN} <= first
    assert Decision.objects.filter(partnership__title=SECOND).exists()
    assert (
        Barrier.objects.filter(partnership__title__in=[FIRST, SECOND])
        .values("kind")
        .distinct()
        .count()
        >= 4
    )
    assert Barrier.objects.filter(status=BarrierStatus.ADDRESSED).exists()
    lees = with_flag(
        YouSaidItem.objects.filter(partnership__title=FIRST, given_by__user__email=LEE_EMAIL)
    )
    assert sorted(lees.values_list("anonymous", "status", "flagged")) == [
        (False, YouSaidStatus.ACTED_ON, False),
        (False, YouSaidStatus.OPEN, True),
        (True, YouSaidStatus.OPEN, False),
    ]
    scaled = scale_partnership_ids(2)
    assert Decision.objects.filter(partnership_id__in=scaled).count() == 2 * len(scaled)
    assert Barrier.objects.filter(partnership_id__in=scaled).count() == 2 * len(scaled)
