""" "You said, we did" and the data-rights door: a person's download holds what they said;
erasing them keeps their words only where they agreed (then shown as anonymous), and keeps the
centre's response either way."""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.utils import timezone

from partnerships.enums import PartnershipRole
from partnerships.models import YouSaidItem
from partnerships.selectors.personal_data import partnerships_personal_data
from partnerships.services.personal_data import erase_partnership_records
from partnerships.services.you_said import change_you_said, close_you_said, record_you_said
from tests.factories.core import TEST_ACTOR, make_person
from tests.factories.partnerships import CORE_ROLES, PartnershipFactory, add_member

pytestmark = pytest.mark.django_db


def said_by(person, partnership, *, keep_words: bool) -> YouSaidItem:  # type: ignore[no-untyped-def]
    item = record_you_said(
        partnership,
        by=partnership.lead,
        given_by=person,
        said=f"Words kept: {keep_words}.",
        said_on=timezone.localdate(),
        keep_words=keep_words,
    )
    return close_you_said(
        item,
        by=partnership.lead,
        status="acted_on",
        response="Agreed.",
        what_changed="Papers go out a week ahead.",
    )


@pytest.fixture
def giver_in_partnership():
    partnership = PartnershipFactory()
    person = make_person(roles=CORE_ROLES[PartnershipRole.LEE])
    add_member(partnership, person, PartnershipRole.LEE)
    return person, partnership


def test_the_download_holds_what_they_said(giver_in_partnership):
    person, partnership = giver_in_partnership
    said_by(person, partnership, keep_words=False)

    export = partnerships_personal_data(person)

    assert [
        (row["said"], row["status"], row["words_kept_if_deleted"]) for row in export["you_said"]
    ] == [("Words kept: False.", "acted_on", False)]


def test_erasure_empties_the_words_unless_they_agreed_and_keeps_the_response(
    giver_in_partnership,
):
    person, partnership = giver_in_partnership
    kept = said_by(person, partnership, keep_words=True)
    emptied = said_by(person, partnership, keep_words=False)

    erase_partnership_records(person, by=TEST_ACTOR)

    rows = YouSaidItem.objects.in_bulk([kept.pk, emptied.pk])
    assert (rows[kept.pk].said, rows[kept.pk].given_by, rows[kept.pk].anonymous) == (
        "Words kept: True.",
        None,
        True,
    )
    assert (rows[emptied.pk].said, rows[emptied.pk].given_by) == ("", None)
    assert rows[emptied.pk].what_changed == "Papers go out a week ahead."
    assert partnerships_personal_data(person)["you_said"] == []


def test_the_audit_trail_never_links_an_item_to_its_giver(giver_in_partnership):
    person, partnership = giver_in_partnership
    item = record_you_said(
        partnership,
        by=partnership.lead,
        given_by=person,
        said="Quiet words.",
        said_on=timezone.localdate(),
        anonymous=True,
        keep_words=True,
    )
    other = add_member(partnership, role=PartnershipRole.PWLE).person
    change_you_said(
        item,
        by=partnership.lead,
        given_by=other,
        said="Quiet words.",
        said_on=timezone.localdate(),
        anonymous=True,
        keep_words=True,
    )

    erase_partnership_records(person, by=TEST_ACTOR)

    givers = [entry.changes_dict["given_by"] for entry in LogEntry.objects.get_for_object(item)]
    assert len(givers) == 2
    assert str(person.pk) not in str(givers)
    assert str(other.pk) not in str(givers)
