"""Decisions, tensions and influence in the demo.

At scale 1, through the services (safe to run again: each record is found by its words first):
- "Survivor voices in local policing": three decisions — one with a tension that was resolved,
  one whose tension is still open — barriers of several kinds (one dealt with), and three "you
  said, we did" items from the demo LEE: one anonymous, one acted on (closing it tells them, as
  the service does), one open and old enough to be flagged to the lead.
- "Safe work pathways": two decisions (one tension still open), two barriers.

At a scale N > 1, in bulk (no query per row): for each scale partnership that has no decision
yet, two decisions (one with an open tension), two barriers and two "you said" items from one of
its lived experience members (one open and old)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from coprod.demo import demo_user
from coprod.doors import DemoRun
from partnerships.demo.base import FIRST, LEE_EMAIL, SECOND, SEEDER, scale_partnership_ids
from partnerships.enums import (
    PAID_ROLES,
    BarrierKind,
    BarrierStatus,
    TensionStatus,
    YouSaidStatus,
)
from partnerships.models import Barrier, Decision, Partnership, PartnershipMember, YouSaidItem
from partnerships.services.barriers import mark_barrier_dealt_with, record_barrier
from partnerships.services.decisions import record_decision
from partnerships.services.you_said import close_you_said, record_you_said

DECISIONS = {
    FIRST: [
        {
            "days_ago": 200,
            "summary": "Lived experience members read the draft guidance before the police do.",
            "decided_by": "The steering group, after a vote",
            "tension_status": TensionStatus.RESOLVED,
            "tension": "Police partners wanted to check the draft for accuracy first.",
            "views_held": "Police partners: errors of fact should be fixed before anyone reads "
            "it.\nLived experience members: if the police read it first, their changes shape it "
            "before survivors are heard.",
            "resolution": "Lived experience members read it first; police partners then check "
            "facts only, and every change they ask for is shown to the group.",
        },
        {
            "days_ago": 45,
            "summary": "Meetings move to the evening for a three-month trial.",
            "decided_by": "The whole partnership",
            "tension_status": TensionStatus.OPEN,
            "tension": "Evening meetings suit people in work, but not people with children.",
            "views_held": "Some members work in the day and cannot come.\nSome members look "
            "after children in the evening.",
        },
        {
            "days_ago": 20,
            "summary": "The guidance is published in English, Vietnamese and Tigrinya.",
            "decided_by": "The whole partnership, by consensus",
        },
    ],
    SECOND: [
        {
            "days_ago": 50,
            "summary": "The research asks survivors what made work feel safe.",
            "decided_by": "The partners' meeting",
        },
        {
            "days_ago": 10,
            "summary": "Interviews are held by peer researchers with lived experience.",
            "decided_by": "The partners' meeting",
            "tension_status": TensionStatus.OPEN,
            "tension": "Whether peer researchers are paid as staff or given honoraria.",
            "views_held": "The university: honoraria are simpler.\nLived experience members: "
            "the work is the same as staff work and should be paid the same way.",
        },
    ],
}

BARRIERS = {
    FIRST: [
        (
            BarrierKind.POWER,
            "Police partners speak first and longest in meetings.",
            "An independent chair; lived experience members open each item.",
            150,
            None,
        ),
        (
            BarrierKind.TIME,
            "Papers arrive the day before meetings.",
            "Papers go out a week ahead.",
            120,
            90,
        ),
        (
            BarrierKind.CULTURE_LANGUAGE,
            "Some members read English slowly.",
            "Papers in plain English, with an interpreter on request.",
            60,
            None,
        ),
    ],
    SECOND: [
        (
            BarrierKind.RESOURCES,
            "No budget to pay partners' travel.",
            "Asking the funder to move money to travel.",
            40,
            None,
        ),
        (
            BarrierKind.ACADEMIC_INCENTIVES,
            "Researchers are judged on papers, not on change.",
            "Agreeing a plain-language output before the paper.",
            30,
            None,
        ),
    ],
}

# "You said, we did" from the demo LEE in FIRST: (days ago, words, anonymous, keep words, close).
YOU_SAID = [
    (
        25,
        "I would not feel safe giving evidence in a police station.",
        True,
        False,
        None,
    ),
    (
        100,
        "Please send the papers well before the meeting, so I can read them with help.",
        False,
        True,
        {
            "status": YouSaidStatus.ACTED_ON,
            "response": "You were right: a day was not enough time.",
            "what_changed": "Papers now go out a week before every meeting.",
        },
    ),
    (
        None,  # old enough to be flagged (the setting's days, and ten more)
        "The guidance should say what happens to people who report and have no visa.",
        False,
        False,
        None,
    ),
]


def seed(run: DemoRun) -> None:
    lee = demo_user(LEE_EMAIL).person
    today = timezone.localdate()
    partnerships = {p.title: p for p in Partnership.objects.filter(title__in=[FIRST, SECOND])}
    for title, partnership in partnerships.items():
        _decisions(partnership, DECISIONS[title], today)
        _barriers(partnership, BARRIERS[title], today)
    if FIRST in partnerships:
        _you_said(partnerships[FIRST], lee, today)
    if run.scale > 1:
        added = scale(run.scale)
        if added:
            run.report(f"Decisions and influence at scale {run.scale}: {added} partnerships.")


def _decisions(partnership: Partnership, entries: list[dict], today) -> None:
    existing = set(partnership.decisions.values_list("summary", flat=True))
    for entry in entries:
        if entry["summary"] in existing:
            continue
        values = {key: value for key, value in entry.items() if key != "days_ago"}
        record_decision(
            partnership,
            by=SEEDER,
            decided_on=today - timedelta(days=entry["days_ago"]),
            **values,
        )


def _barriers(partnership: Partnership, entries, today) -> None:  # type: ignore[no-untyped-def]
    existing = set(partnership.barriers.values_list("description", flat=True))
    for kind, description, action, noticed, dealt_with in entries:
        if description in existing:
            continue
        barrier = record_barrier(
            partnership,
            by=SEEDER,
            kind=kind,
            description=description,
            action=action,
            raised_on=today - timedelta(days=noticed),
        )
        if dealt_with is not None:
            mark_barrier_dealt_with(
                barrier, by=SEEDER, addressed_on=today - timedelta(days=dealt_with)
            )


def _you_said(partnership: Partnership, lee, today) -> None:  # type: ignore[no-untyped-def]
    existing = set(partnership.you_said.values_list("said", flat=True))
    old = settings.COPROD_YOU_SAID_FLAG_AFTER_DAYS + 10
    for days_ago, said, anonymous, keep_words, closing in YOU_SAID:
        if said in existing:
            continue
        item = record_you_said(
            partnership,
            by=SEEDER,
            given_by=lee,
            said=said,
            said_on=today - timedelta(days=old if days_ago is None else days_ago),
            anonymous=anonymous,
            keep_words=keep_words,
        )
        if closing is not None:
            close_you_said(item, by=SEEDER, **closing)


# Scale ------------------------------------------------------------------------------------------


def scale(scale: int) -> int:
    """Decisions, barriers and items for the scale partnerships that have none yet, in bulk."""
    ids = scale_partnership_ids(scale)
    done = set(
        Decision.objects.filter(partnership_id__in=ids).values_list("partnership_id", flat=True)
    )
    missing = [pk for pk in ids if pk not in done]
    if not missing:
        return 0
    givers: dict[int, int] = {}
    for partnership_id, person_id in (
        PartnershipMember.objects.filter(partnership_id__in=missing, role__in=PAID_ROLES)
        .order_by("partnership_id", "pk")
        .values_list("partnership_id", "person_id")
    ):
        givers.setdefault(partnership_id, person_id)
    today = timezone.localdate()
    old = settings.COPROD_YOU_SAID_FLAG_AFTER_DAYS + 5
    decisions, barriers, items = [], [], []
    kinds = list(BarrierKind)
    for index, pk in enumerate(missing):
        decisions += [
            Decision(
                partnership_id=pk,
                decided_on=today - timedelta(days=90),
                summary="Demo decision: meet every month.",
                decided_by="The steering group",
            ),
            Decision(
                partnership_id=pk,
                decided_on=today - timedelta(days=30),
                summary="Demo decision: change the venue.",
                decided_by="The whole partnership",
                tension_status=TensionStatus.OPEN,
                tension="Whether the new venue is easy to reach.",
                views_held="Some find it nearer; some find it harder to reach.",
            ),
        ]
        barriers += [
            Barrier(
                partnership_id=pk,
                kind=kinds[index % len(kinds)],
                description="Demo barrier.",
                action="Being discussed.",
                raised_on=today - timedelta(days=60),
            ),
            Barrier(
                partnership_id=pk,
                kind=kinds[(index + 1) % len(kinds)],
                description="Demo barrier, dealt with.",
                action="Done.",
                raised_on=today - timedelta(days=120),
                status=BarrierStatus.ADDRESSED,
                addressed_on=today - timedelta(days=30),
            ),
        ]
        if pk in givers:
            items += [
                YouSaidItem(
                    partnership_id=pk,
                    given_by_id=givers[pk],
                    said="Demo input: meetings run too long.",
                    said_on=today - timedelta(days=old),
                ),
                YouSaidItem(
                    partnership_id=pk,
                    given_by_id=givers[pk],
                    anonymous=True,
                    said="Demo input: more breaks, please.",
                    said_on=today - timedelta(days=20),
                    response="Agreed.",
                    what_changed="A break every 45 minutes.",
                    status=YouSaidStatus.ACTED_ON,
                    closed_at=timezone.now(),
                ),
            ]
    with transaction.atomic():
        Decision.objects.bulk_create(decisions)
        Barrier.objects.bulk_create(barriers)
        YouSaidItem.objects.bulk_create(items)
    return len(missing)
