"""The canary for partnerships (tests/coprod/test_data_rights.py): `word` in every personal field
this app holds about the person, through the services where there is one. Each area adds its
part below, in its own block."""

from __future__ import annotations

from coprod.models import User
from partnerships.enums import PartnershipRole
from partnerships.models import OrganisationPractitioner
from tests.factories.partnerships import OrganisationFactory, PartnershipFactory, add_member


def fill(user: User, word: str) -> None:
    person = user.person
    partnership = PartnershipFactory()
    add_member(partnership, person, PartnershipRole.LEE)
    OrganisationPractitioner.objects.create(organisation=OrganisationFactory(), person=person)
    for area_fill in AREA_FILLS:
        area_fill(user, word, partnership)


# Each area's filler: (user, word, a partnership the user is an LEE member of).
AREA_FILLS: list = []


# Meetings (helper "meetings") --------------------------------------------------------------------
from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.utils import timezone  # noqa: E402

from partnerships.services.meetings import Attended, record_attendance  # noqa: E402
from tests.factories.partnerships import MeetingFactory, invite  # noqa: E402


def _meetings_fill(user: User, word: str, partnership) -> None:  # type: ignore[no-untyped-def]
    """An attendance with costs, through the service (which records the LEE's engagement). An
    invitation holds no free text about the person: `word` has nowhere to go."""
    member = partnership.members.get(person=user.person)
    meeting = MeetingFactory(partnership=partnership, starts_at=timezone.now() - timedelta(hours=2))
    invitation = invite(meeting, member)
    record_attendance(
        meeting,
        by=partnership.lead,
        rows={
            invitation.pk: Attended(
                True, travel=Decimal("7.50"), childcare=Decimal("20"), interpreter=Decimal("35")
            )
        },
    )


AREA_FILLS.append(_meetings_fill)
