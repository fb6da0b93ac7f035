"""Recording engagements: the one door other apps call, idempotent; completing and cancelling."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.utils import timezone

from coprod.audit import SystemActor
from coprod.enums import StaffGroup
from coprod.models import london_today
from recruitment.enums import ClaimStatus, EngagementKind, EngagementStatus
from recruitment.models import ClaimEvent, Engagement, HonorariumClaim
from recruitment.services import cancel_engagement, complete_engagement, record_engagement
from tests.factories import InvitationFactory
from tests.factories.core import TEST_ACTOR, PersonFactory, make_staff

pytestmark = pytest.mark.django_db

TASK = SystemActor("task:coprod.funding.record_panel_engagements")


def record(person, **fields):
    fields = {
        "kind": EngagementKind.PANEL,
        "on": london_today(),
        "hours": "3",
        "source_key": "funding.panel:12",
        **fields,
    }
    return record_engagement(person, by=TASK, **fields)


def test_recording_the_same_engagement_twice_keeps_one_row():
    person = PersonFactory()

    first = record(person)
    second = record(person, hours="5")

    assert first == second
    assert Engagement.objects.count() == 1
    assert Engagement.objects.get().hours == Decimal("3.00")


def test_the_same_source_key_for_two_people_is_two_engagements():
    record(PersonFactory())
    record(PersonFactory())

    assert Engagement.objects.count() == 2


def test_an_engagement_links_to_what_it_belongs_to_in_any_app():
    panel_stand_in = InvitationFactory()  # any model: funding's panels do not exist yet

    engagement = record(PersonFactory(), belongs_to=panel_stand_in, title="Panel for call 7")

    reread = Engagement.objects.get(pk=engagement.pk)
    assert reread.belongs_to == panel_stand_in
    assert (reread.status, reread.title) == (EngagementStatus.PLANNED, "Panel for call 7")


def test_recording_is_audited_as_done_by_the_task():
    engagement = record(PersonFactory())

    entry = LogEntry.objects.get(content_type__model="engagement", object_id=engagement.pk)
    assert (entry.action, entry.actor, entry.cid) == (LogEntry.Action.CREATE, None, TASK.name)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"hours": "-2"}, "Hours must be more than zero."),
        ({"hours": "0"}, "Hours must be more than zero."),
        ({"preparation_hours": "-1"}, "Preparation hours cannot be less than zero."),
        ({"travel": "-0.01"}, "Travel cannot be less than zero."),
        ({"hours": "NaN"}, "Hours must be a number."),
        ({"source_key": " "}, "An engagement needs a source key."),
    ],
    ids=["negative-hours", "no-hours", "negative-preparation", "negative-travel", "nan", "no-key"],
)
def test_bad_input_is_refused_in_plain_words_and_nothing_saved(fields, message):
    with pytest.raises(ValidationError) as error:
        record(PersonFactory(), **fields)

    assert error.value.messages == [message]
    assert Engagement.objects.exists() is False


def test_an_erased_person_gets_no_new_engagements():
    person = PersonFactory(erased_at=timezone.now())

    with pytest.raises(ValidationError, match="information has been deleted"):
        record(person)

    assert Engagement.objects.exists() is False


def test_completing_makes_one_draft_claim_to_be_paid_within_the_target(settings):
    settings.COPROD_HONORARIA_PAY_WITHIN_DAYS = 10
    engagement = record(PersonFactory(), on=london_today() - timedelta(days=2))

    completed = complete_engagement(engagement, by=make_staff(StaffGroup.ENGAGEMENT))

    claim = HonorariumClaim.objects.get()
    assert completed.status == EngagementStatus.COMPLETED
    assert (claim.engagement, claim.status) == (completed, ClaimStatus.DRAFT)
    assert claim.pay_by == london_today() + timedelta(days=8)
    assert list(ClaimEvent.objects.values_list("from_status", "to_status")) == [("", "draft")]


def test_the_pay_by_target_defaults_to_fourteen_days():
    engagement = record(PersonFactory(), on=london_today())

    claim = complete_engagement(engagement, by=TEST_ACTOR).claim

    assert claim.pay_by == london_today() + timedelta(days=14)


def test_an_engagement_in_the_future_cannot_be_completed():
    engagement = record(PersonFactory(), on=london_today() + timedelta(days=1))

    with pytest.raises(ValidationError, match="has not happened yet"):
        complete_engagement(engagement, by=TEST_ACTOR)

    engagement.refresh_from_db()
    assert engagement.status == EngagementStatus.PLANNED
    assert HonorariumClaim.objects.exists() is False


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [
        (complete_engagement, complete_engagement, "already completed"),
        (complete_engagement, cancel_engagement, "already completed"),
        (cancel_engagement, complete_engagement, "already cancelled"),
        (cancel_engagement, cancel_engagement, "already cancelled"),
    ],
    ids=["complete-twice", "cancel-completed", "complete-cancelled", "cancel-twice"],
)
def test_only_a_planned_engagement_is_completed_or_cancelled(first, second, message):
    engagement = record(PersonFactory(), on=london_today())
    first(engagement, by=TEST_ACTOR)
    status = Engagement.objects.get().status

    with pytest.raises(ValidationError, match=message):
        second(engagement, by=TEST_ACTOR)

    assert Engagement.objects.get().status == status
    assert HonorariumClaim.objects.count() == (1 if status == EngagementStatus.COMPLETED else 0)
