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


# Decisions, tensions and influence (helper "influence"): what they said, their words not to be
# kept after erasure.
def _fill_you_said(user: User, word: str, partnership) -> None:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from partnerships.services.you_said import record_you_said

    record_you_said(
        partnership,
        by=partnership.lead,
        given_by=user.person,
        said=f"{word} said this",
        said_on=timezone.localdate(),
        keep_words=False,
    )


AREA_FILLS.append(_fill_you_said)


# The self-assessment (helper "assessment") -------------------------------------------------------
def _take_part_in_a_round(user: User, word: str, partnership) -> None:
    """They answer a round: who answered is theirs (exported, erased). The comment does not carry
    the word: answers are anonymous, nothing links them to the person, and they stay in the
    results after an erasure (partnerships.services.personal_data)."""
    from partnerships.enums import CoproductionValue
    from partnerships.services.assessment import answer_round, open_round

    round_ = open_round(partnership, by=partnership.lead, title="Canary round")
    answer_round(
        round_,
        person=user.person,
        ratings=dict.fromkeys(CoproductionValue.values, 4),
        comments={CoproductionValue.NETWORKS: "An anonymous comment."},
    )


AREA_FILLS.append(_take_part_in_a_round)
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


# The good-practice library (helper "library") ----------------------------------------------------
def _library_fill(user: User, word: str, partnership) -> None:
    """A proposal (with a file) from the user's partnership, `word` in its title, summary, text
    and file name; and their credit, given by themselves, on a published resource."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partnerships.enums import ResourceKind
    from partnerships.services.library import propose_resource, set_contributor_credit
    from tests.factories.partnerships import ResourceFactory
    from tests.funding.files import PDF

    propose_resource(
        by=user,
        title=f"{word} guide",
        kind=ResourceKind.GUIDE,
        summary=f"What {word} learned.",
        body=f"Written by {word}.",
        file=SimpleUploadedFile(f"{word}.pdf", PDF, content_type="application/pdf"),
        partnership=partnership,
        contributors=[(user.person, True)],
    )
    contribution = ResourceFactory().contributors.create(person=user.person)
    set_contributor_credit(contribution, by=user, credited=True)


AREA_FILLS.append(_library_fill)
