"""Partnerships' demo data: two partnerships at different places on the ladder with their
history, the demo LEE a member of both; at a scale, many more in bulk."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from partnerships.demo.base import FIRST, SECOND, scale_titles
from partnerships.enums import ParticipationLevel, PartnershipRole
from partnerships.models import LevelChange, Organisation, Partnership, PartnershipMember

pytestmark = pytest.mark.django_db


def seed(settings, scale: int = 1) -> str:
    settings.DEBUG = True
    out = StringIO()
    call_command("seed_demo", scale=scale, stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def test_two_partnerships_at_different_levels_with_their_history(settings):
    seed(settings)

    first, second = Partnership.objects.get(title=FIRST), Partnership.objects.get(title=SECOND)
    assert (first.level, second.level) == (
        ParticipationLevel.COLLABORATE,
        ParticipationLevel.CONSULT,
    )
    history = list(first.level_changes.order_by("changed_on").values_list("from_level", "to_level"))
    assert history == [(None, 1), (1, 2), (2, 3), (3, 4)]
    assert second.level_changes.count() == 2
    assert Organisation.objects.count() >= 5
    lee_memberships = PartnershipMember.objects.filter(person__user__email="lee@example.org")
    assert set(lee_memberships.values_list("partnership__title", flat=True)) == {FIRST, SECOND}
    # Enough LEEs for results by role (at least three).
    assert first.members.filter(role=PartnershipRole.LEE).count() >= 3


def test_seeding_twice_adds_nothing_and_a_scale_adds_partnerships_in_bulk(settings):
    seed(settings, scale=3)
    counts = (
        Partnership.objects.count(),
        LevelChange.objects.count(),
        PartnershipMember.objects.count(),
    )

    out = seed(settings, scale=3)

    assert (
        Partnership.objects.count(),
        LevelChange.objects.count(),
        PartnershipMember.objects.count(),
    ) == counts
    assert "Partnerships at scale 3" not in out
    scaled = Partnership.objects.filter(title__in=scale_titles(3))
    assert scaled.count() == len(scale_titles(3)) == 4
    assert all(p.level_changes.count() == p.level for p in scaled)
    assert PartnershipMember.objects.filter(partnership__in=scaled).count() >= 4 * 5


# Agreements and meetings (helper "meetings") -----------------------------------------------------


def test_demo_agreements_and_meetings_with_the_lees_attendance_and_engagement(settings):
    from datetime import timedelta

    from django.utils import timezone

    from partnerships.demo.meetings import PAST, UPCOMING
    from partnerships.models import Agreement, Meeting
    from recruitment.models import Engagement

    seed(settings)

    first = Partnership.objects.get(title=FIRST)
    assert Agreement.objects.filter(partnership__title=SECOND).exists()
    soonest = Agreement.objects.filter(partnership=first).order_by("review_on").first()
    assert soonest.review_on == timezone.localdate() + timedelta(days=20)
    past, upcoming = Meeting.objects.get(title=PAST), Meeting.objects.get(title=UPCOMING)
    assert (past.status, upcoming.interpreter) == ("held", True)
    assert upcoming.invitations.count() == first.members.count()
    ayo = Engagement.objects.get(
        person__user__email="lee@example.org", source_key=f"partnerships-meeting:{past.pk}"
    )
    assert (ayo.travel, ayo.object_id) == (Decimal("12.40"), past.pk)


def test_demo_meetings_seeded_twice_add_nothing_and_scale_in_bulk(settings):
    from partnerships.models import Agreement, Meeting, MeetingInvitation
    from recruitment.models import Engagement

    seed(settings, scale=3)
    counts = (
        Agreement.objects.count(),
        Meeting.objects.count(),
        MeetingInvitation.objects.count(),
        Engagement.objects.count(),
    )

    seed(settings, scale=3)

    assert (
        Agreement.objects.count(),
        Meeting.objects.count(),
        MeetingInvitation.objects.count(),
        Engagement.objects.count(),
    ) == counts
    scaled = Meeting.objects.filter(partnership__title__in=scale_titles(3))
    assert scaled.count() == 4
    assert MeetingInvitation.objects.filter(meeting__in=scaled).count() >= 4 * 5
