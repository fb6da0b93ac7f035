"""Agreements and meetings of the demo.

At scale 1: agreements for both demo partnerships (the terms of reference of the first due for
review in about 20 days, so the review reminder fires to the demo staff member who leads it); in
the first partnership, a meeting held last month that the demo LEE (Ayo) attended with travel
paid (recorded through the service, so Ayo has the engagement to claim for), and a meeting to
come with access arrangements, every member invited.

At a scale N > 1, in bulk: an agreement and a past meeting (every member invited) for each scale
partnership."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from coprod.demo import demo_user
from coprod.doors import DemoRun
from partnerships.demo.base import FIRST, LEE_EMAIL, SECOND, SEEDER, scale_partnership_ids
from partnerships.enums import AgreementKind, MeetingStatus
from partnerships.models import Agreement, Meeting, MeetingInvitation, Partnership
from partnerships.permissions import current_memberships
from partnerships.services.meetings import Attended, record_attendance

# (partnership, kind, title, signed days ago, review in days)
AGREEMENTS = [
    (FIRST, AgreementKind.TERMS_OF_REFERENCE, "Terms of reference", 345, 20),
    (FIRST, AgreementKind.DATA_SHARING, "Data-sharing agreement with the police", 200, 165),
    (SECOND, AgreementKind.MOU, "Memorandum of understanding", 60, 305),
]
PAST = "Steering group: draft policing guidance"
UPCOMING = "Steering group: what we heard from survivors"
SCALE_AGREEMENT = "Demo scale terms of reference"
SCALE_MEETING = "Demo scale meeting"


def seed(run: DemoRun) -> None:
    partnerships = {p.title: p for p in Partnership.objects.filter(title__in=[FIRST, SECOND])}
    if len(partnerships) < 2:
        return
    _agreements(partnerships)
    first = partnerships[FIRST]
    _past_meeting(first)
    _upcoming_meeting(first)
    if run.scale > 1:
        added = _scale(run.scale)
        if added:
            run.report(f"Partnership agreements and meetings at scale {run.scale}: {added} added.")


def _agreements(partnerships: dict[str, Partnership]) -> None:
    today = timezone.localdate()
    for title, kind, name, signed_ago, review_in in AGREEMENTS:
        Agreement.objects.get_or_create(
            partnership=partnerships[title],
            title=name,
            defaults={
                "kind": kind,
                "signed_on": today - timedelta(days=signed_ago),
                "review_on": today + timedelta(days=review_in),
                "created_by": partnerships[title].lead,
            },
        )


def _invite_everyone(meeting: Meeting) -> None:
    members = current_memberships().filter(partnership_id=meeting.partnership_id)
    MeetingInvitation.objects.bulk_create(
        [MeetingInvitation(meeting=meeting, member=member) for member in members],
        ignore_conflicts=True,
    )


def _past_meeting(partnership: Partnership) -> None:
    if Meeting.objects.filter(partnership=partnership, title=PAST).exists():
        return
    starts = (timezone.localtime() - timedelta(days=30)).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            partnership=partnership,
            title=PAST,
            starts_at=starts,
            duration_minutes=150,
            place="Survivors Forward, community room",
            agenda="1. Welcome\n2. The draft guidance, section by section\n3. What happens next",
            travel_paid=True,
            breaks=True,
            preparation_hours=Decimal("1.5"),
            created_by=partnership.lead,
        )
        _invite_everyone(meeting)
        lee = demo_user(LEE_EMAIL).person
        rows = {
            invitation.pk: Attended(
                True, travel=Decimal("12.40") if invitation.member.person_id == lee.pk else 0
            )
            for invitation in meeting.invitations.select_related("member")
        }
        record_attendance(meeting, by=SEEDER, rows=rows)


def _upcoming_meeting(partnership: Partnership) -> None:
    if Meeting.objects.filter(partnership=partnership, title=UPCOMING).exists():
        return
    starts = (timezone.localtime() + timedelta(days=12)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    with transaction.atomic():
        meeting = Meeting.objects.create(
            partnership=partnership,
            title=UPCOMING,
            starts_at=starts,
            duration_minutes=120,
            place="Haven Support Trust, meeting room 1",
            link="https://meet.example.org/steering-group",
            agenda="1. What survivors told us\n2. What we change in the guidance",
            interpreter=True,
            interpreter_languages="Tigrinya, Vietnamese",
            travel_paid=True,
            childcare_paid=True,
            breaks=True,
            access_notes="Step-free entrance. A quiet room is available.",
            preparation_hours=Decimal("1"),
            created_by=partnership.lead,
        )
        _invite_everyone(meeting)


def _scale(scale: int) -> int:
    """An agreement and a past meeting (every current member invited, attendance not recorded)
    for each scale partnership that has none yet, in bulk."""
    ids = scale_partnership_ids(scale)
    done = set(
        Meeting.objects.filter(partnership_id__in=ids, title=SCALE_MEETING).values_list(
            "partnership_id", flat=True
        )
    )
    missing = [pk for pk in ids if pk not in done]
    if not missing:
        return 0
    today = timezone.localdate()
    starts = (timezone.now() - timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    leads = dict(Partnership.objects.filter(pk__in=missing).values_list("pk", "lead_id"))
    with transaction.atomic():
        Agreement.objects.bulk_create(
            Agreement(
                partnership_id=pk,
                kind=AgreementKind.TERMS_OF_REFERENCE,
                title=SCALE_AGREEMENT,
                signed_on=today - timedelta(days=300),
                review_on=today + timedelta(days=40 + index % 300),
                created_by_id=leads[pk],
            )
            for index, pk in enumerate(missing)
        )
        Meeting.objects.bulk_create(
            Meeting(
                partnership_id=pk,
                title=SCALE_MEETING,
                starts_at=starts,
                place="Demo meeting room",
                status=MeetingStatus.PLANNED,
                created_by_id=leads[pk],
            )
            for pk in missing
        )
        meetings = dict(
            Meeting.objects.filter(partnership_id__in=missing, title=SCALE_MEETING).values_list(
                "partnership_id", "pk"
            )
        )
        members = (
            current_memberships()
            .filter(partnership_id__in=missing)
            .values_list("partnership_id", "pk")
        )
        MeetingInvitation.objects.bulk_create(
            MeetingInvitation(meeting_id=meetings[partnership_id], member_id=member_id)
            for partnership_id, member_id in members
        )
    return len(missing)
