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
