"""Panel meetings: staff propose candidate slots (`create_poll`), members answer yes / if need be
/ no (`answer_poll`), the poll closes (`close_poll`, by staff's button or the periodic
`close_due_polls`) and the best slot is chosen, members get an invitation with a calendar file,
reminders go 7 days and 1 day before (`remind_meetings`), and staff record who attended
(`record_attendance`), which makes each attendance a paid engagement (recruitment).

Reminders are sent exactly once with the pattern of recruitment.services.reminders: in one
transaction, a FundingReminder row per member and occasion (inserted with `ignore_conflicts`,
stamped with the sweep's batch, read back), the outbox messages for the rows this sweep
inserted, and the link between them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from email.utils import parseaddr

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.enums import NotificationCategory, StaffGroup
from coprod.models import User
from coprod.services.notifications import Attachment, Outgoing, queue_notifications
from funding.enums import Availability, FundingReminderKind, PollStatus
from funding.models import (
    FundingReminder,
    MeetingAttendance,
    MeetingPoll,
    MeetingSlot,
    Panel,
    PanelMember,
    SlotAnswer,
)
from funding.selectors.meetings import (
    MANAGE_MEETINGS,
    SlotTally,
    quorum_of,
    slot_tallies,
    time_zone_of,
    voting_members,
    when_in_words,
)
from funding.services import reminders
from recruitment.enums import EngagementKind, EngagementStatus
from recruitment.models import Engagement
from recruitment.selectors.reminders import staff_to_remind
from recruitment.services.honoraria import cancel_engagement, record_engagement

MIN_SLOTS = 2
MAX_SLOTS = 8
# Paid reading time before a panel meeting, in hours (COPROD_PANEL_MEETING_PREPARATION_HOURS).
DEFAULT_PREPARATION_HOURS = 2
INVITATION = "funding_meeting_invitation"
REMINDER = "funding_meeting_reminder"
NO_SLOT = "funding_meeting_no_slot"
# (occasion, how long before the meeting it is due): the 7-day reminder is due from 7 days
# before until the 1-day one is; the 1-day one from 1 day before until the meeting starts.
MEETING_REMINDERS = (("1-day", timedelta(days=1)), ("7-days", timedelta(days=7)))
NEUTRAL_PRODID = "-//calendar//EN"
LINK = re.compile(r"^\s*(https?://|www\.)", re.IGNORECASE)


def preparation_hours() -> Decimal:
    return Decimal(
        str(getattr(settings, "COPROD_PANEL_MEETING_PREPARATION_HOURS", DEFAULT_PREPARATION_HOURS))
    )


def is_online(place: str) -> bool:
    """A place that is a link to join (https://..., www....) means an online meeting."""
    return bool(LINK.match(place))


def _refuse_without(by: Actor, permission: str) -> None:
    if isinstance(by, User) and not by.has_perm(permission):
        raise ValidationError(_("You do not have permission to do this."), code="not_allowed")


def _site_link(path: str) -> str:
    return settings.COPROD_SITE_URL + path


# Creating a poll ---------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def create_poll(
    panel: Panel,
    *,
    by: Actor,
    title: str,
    place: str,
    duration_minutes: int,
    closes_at: datetime,
    slots: Sequence[datetime],
) -> MeetingPoll:
    """Open a poll for `panel`'s meeting over candidate `slots` (at least two, all different,
    each after answers close, which is in the future).

    Side effects: saves the MeetingPoll and its MeetingSlots (audited)."""
    _refuse_without(by, MANAGE_MEETINGS)
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if closes_at <= now:
        errors.setdefault("closes_at", []).append(_("Answers must close in the future."))
    if len(slots) < MIN_SLOTS:
        errors.setdefault("slots", []).append(
            _("Give at least %(count)s times to choose from.") % {"count": MIN_SLOTS}
        )
    if len(slots) > MAX_SLOTS:
        errors.setdefault("slots", []).append(
            _("Give at most %(count)s times.") % {"count": MAX_SLOTS}
        )
    if len(set(slots)) != len(slots):
        errors.setdefault("slots", []).append(_("Each time must be different."))
    if any(starts_at <= max(now, closes_at) for starts_at in slots):
        errors.setdefault("slots", []).append(
            _("Each time must be in the future, after answers close.")
        )
    poll = MeetingPoll(
        panel=panel,
        title=title.strip(),
        place=place.strip(),
        duration_minutes=duration_minutes,
        closes_at=closes_at,
        created_by=by if isinstance(by, User) else None,
    )
    try:
        poll.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    poll.save()
    MeetingSlot.objects.bulk_create(
        [MeetingSlot(poll=poll, starts_at=starts_at) for starts_at in sorted(slots)]
    )
    return poll


# Answering ---------------------------------------------------------------------------------------


@records_actor
@transaction.atomic
def answer_poll(
    poll: MeetingPoll, member: PanelMember, *, by: Actor, answers: Mapping[int, str]
) -> list[SlotAnswer]:
    """Save `member`'s yes / if need be / no for every slot of `poll` (by slot id), replacing
    their earlier answers. Refused once the poll is closed or its closing time has passed. The
    poll's row is locked, so an answer cannot slip in while the poll is being closed.

    Side effects: saves a SlotAnswer per slot (audited)."""
    locked = MeetingPoll.objects.select_for_update().get(pk=poll.pk)
    if member.panel_id != locked.panel_id or member.person_id is None:
        raise ValidationError(_("You are not on this panel."), code="not_member")
    if locked.status != PollStatus.OPEN or timezone.now() >= locked.closes_at:
        raise ValidationError(
            _("This poll has closed, so your answers can no longer be changed."), code="closed"
        )
    slot_ids = list(MeetingSlot.objects.filter(poll=locked).values_list("pk", flat=True))
    missing = [pk for pk in slot_ids if answers.get(pk) not in Availability.values]
    if missing:
        raise ValidationError(
            {f"slot_{pk}": _("Choose yes, if need be, or no.") for pk in missing}, code="missing"
        )
    existing = {
        answer.slot_id: answer
        for answer in SlotAnswer.objects.filter(slot__poll=locked, member=member)
    }
    saved = []
    for pk in slot_ids:
        answer = existing.get(pk) or SlotAnswer(slot_id=pk, member=member)
        if answer.pk is None or answer.answer != answers[pk]:
            answer.answer = answers[pk]
            answer.save()
        saved.append(answer)
    return saved


# Closing the poll and choosing the slot ----------------------------------------------------------


def why_not(tally: SlotTally, *, quorum: int, has_chair: bool) -> list[str]:
    """Why a slot does not qualify, in words (empty if it does)."""
    reasons = []
    if not has_chair:
        reasons.append(_("the panel has no chair"))
    elif not tally.chair:
        reasons.append(_("the chair cannot come"))
    if not tally.lees:
        reasons.append(_("no lived experience expert can come"))
    if tally.attending < quorum:
        reasons.append(
            _("%(attending)s can come, %(quorum)s are needed")
            % {"attending": tally.attending, "quorum": quorum}
        )
    return reasons


def choose_slot(
    tallies: Sequence[SlotTally], *, quorum: int, has_chair: bool
) -> tuple[SlotTally | None, dict[int, list[str]]]:
    """The slot to meet at, and why each other slot fails.

    Attendance is yes + if need be. A slot qualifies when the chair attends, at least one lived
    experience expert attends, and attendance reaches `quorum`. Among qualifying slots the one
    with the most attendance wins; a tie goes to the one with more "yes" answers, then to the
    earliest (then the first created)."""
    reasons = {
        tally.slot.pk: why_not(tally, quorum=quorum, has_chair=has_chair) for tally in tallies
    }
    qualifying = [tally for tally in tallies if not reasons[tally.slot.pk]]
    if not qualifying:
        return None, reasons
    best = min(
        qualifying,
        key=lambda t: (-t.attending, -t.yes, t.slot.starts_at, t.slot.pk),
    )
    return best, reasons


@records_actor
@transaction.atomic
def close_poll(poll: MeetingPoll, *, by: Actor) -> MeetingPoll:
    """Close `poll` and choose its meeting (`choose_slot`). Idempotent: a poll already closed
    is returned as it is. The poll's row is locked, so staff's button and the periodic task
    cannot both close it.

    Side effects: saves the poll as SCHEDULED with its chosen slot, and queues an invitation
    with a calendar file to each member; or saves it as NO_SLOT with each slot's reason in
    words, and queues a staff message to the funding team (those who may manage meetings)."""
    _refuse_without(by, MANAGE_MEETINGS)
    return _close(poll.pk, by=by)[0]


def _close(poll_id: int, *, by: Actor) -> tuple[MeetingPoll, bool]:
    """`close_poll`'s work, inside the caller's transaction: the poll, and whether this call
    closed it."""
    locked = (
        MeetingPoll.objects.select_for_update(of=("self",))
        .select_related("panel__call")
        .get(pk=poll_id)
    )
    if locked.status != PollStatus.OPEN:
        return locked, False
    members = list(voting_members(locked.panel_id).select_related("person"))
    quorum = quorum_of(locked.panel, len(members))
    has_chair = any(member.is_chair for member in members)
    tallies = slot_tallies(locked)
    best, reasons = choose_slot(tallies, quorum=quorum, has_chair=has_chair)
    locked.closed_at = timezone.now()
    locked.closed_by = by if isinstance(by, User) else None
    if best is not None:
        locked.status = PollStatus.SCHEDULED
        locked.chosen_slot = best.slot
        locked.no_slot_reason = ""
    else:
        locked.status = PollStatus.NO_SLOT
        locked.chosen_slot = None
        zone = time_zone_of(None)
        locked.no_slot_reason = "\n".join(
            _("%(when)s: %(reasons)s.")
            % {
                "when": when_in_words(tally.slot.starts_at, locked.duration_minutes, zone),
                "reasons": "; ".join(reasons[tally.slot.pk]),
            }
            for tally in tallies
        ) or _("There were no times to choose from.")
    locked.save(update_fields=["status", "chosen_slot", "no_slot_reason", "closed_at", "closed_by"])
    if best is not None:
        _send_invitations(locked, members)
    else:
        _tell_staff_no_slot(locked)
    return locked, True


@records_actor
def close_due_polls(*, by: Actor, now: datetime | None = None) -> int:
    """Close every open poll whose closing time has passed (the periodic task), each in its own
    transaction through `close_poll`. Returns how many it closed."""
    now = now or timezone.now()
    due = list(
        MeetingPoll.objects.filter(status=PollStatus.OPEN, closes_at__lte=now)
        .order_by("closes_at", "pk")
        .values_list("pk", flat=True)
    )
    closed = 0
    for pk in due:
        with transaction.atomic():
            closed += _close(pk, by=by)[1]
    return closed


def meeting_uid(poll: MeetingPoll) -> str:
    """The poll's calendar UID: stable for the poll, and opaque (it names neither funding nor a
    meeting, and cannot be worked back to the poll without the secret key)."""
    return salted_hmac("funding.meeting.uid", str(poll.pk), algorithm="sha256").hexdigest()[:32]


def meeting_calendar(poll: MeetingPoll, *, neutral: bool) -> str:
    """The meeting as an iCalendar invitation (METHOD:REQUEST): one event with a UID stable for
    the poll (so a resent invitation updates the calendar entry rather than adding another),
    start and end in UTC. `neutral`: titled "Meeting", with neither the call's name nor the
    place, and a product name that says nothing (for people who asked for discreet messages)."""
    slot = poll.chosen_slot
    assert slot is not None, "only a scheduled poll has a calendar"
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    calendar = icalendar.Calendar()
    # A calendar app shows the product and keeps the UID: neither may say what the meeting is.
    calendar.add("prodid", NEUTRAL_PRODID if neutral else "-//coprod//panel meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"{meeting_uid(poll)}@{domain}")
    event.add("dtstamp", (poll.closed_at or timezone.now()).astimezone(UTC))
    event.add("dtstart", slot.starts_at.astimezone(UTC))
    event.add(
        "dtend",
        (slot.starts_at + timedelta(minutes=poll.duration_minutes)).astimezone(UTC),
    )
    event.add("sequence", 0)
    if neutral:
        event.add("summary", _("Meeting"))
        event.add("description", _("Sign in to see the details."))
    else:
        event.add("summary", poll.title)
        if poll.place:
            event.add("location", poll.place)
    calendar.add_component(event)
    return calendar.to_ical().decode()


def calendar_attachment(poll: MeetingPoll) -> Attachment:
    return Attachment(
        filename="meeting.ics",
        content_type="text/calendar; method=REQUEST; charset=utf-8",
        full=meeting_calendar(poll, neutral=False),
        neutral=meeting_calendar(poll, neutral=True),
    )


def _meeting_context(poll: MeetingPoll, member: PanelMember) -> dict[str, object]:
    assert poll.chosen_slot is not None
    return {
        "meeting": poll.title,
        "when": when_in_words(
            poll.chosen_slot.starts_at, poll.duration_minutes, time_zone_of(member.person)
        ),
        "place": poll.place,
        "link": _site_link(reverse("funding_meetings:poll", kwargs={"poll_id": poll.pk})),
    }


def _send_invitations(poll: MeetingPoll, members: Iterable[PanelMember]) -> None:
    attachment = calendar_attachment(poll)
    queue_notifications(
        [
            Outgoing(
                person_id=member.person_id,
                kind=INVITATION,
                key=f"funding.meeting_invitation:{poll.pk}:{member.pk}",
                context=_meeting_context(poll, member),
                attachments=(attachment,),
            )
            for member in members
            if member.person_id is not None
        ]
    )


def _tell_staff_no_slot(poll: MeetingPoll) -> None:
    link = _site_link(reverse("funding_meetings_staff:poll", kwargs={"poll_id": poll.pk}))
    queue_notifications(
        [
            Outgoing(
                person_id=person_id,
                kind=NO_SLOT,
                key=f"funding.meeting_no_slot:{poll.pk}:{person_id}",
                context={"meeting": poll.title, "reasons": poll.no_slot_reason, "link": link},
                category=NotificationCategory.STAFF,
            )
            for person_id in staff_to_remind(StaffGroup.FUNDING, MANAGE_MEETINGS)
        ]
    )


# Reminders -------------------------------------------------------------------------------------


def _occasion(starts_at: datetime, now: datetime) -> str | None:
    for name, before in MEETING_REMINDERS:
        if starts_at - before <= now < starts_at:
            return name
    return None


def meeting_reminders_due(now: datetime) -> list[tuple[PanelMember, MeetingPoll, str]]:
    """(member, poll, occasion) for each meeting reminder due now and not yet sent, occasion
    "7-days:<poll id>" or "1-day:<poll id>": three queries whatever the number of members."""
    horizon = max(before for _name, before in MEETING_REMINDERS)
    polls = list(
        MeetingPoll.objects.filter(
            status=PollStatus.SCHEDULED,
            chosen_slot__starts_at__gt=now,
            chosen_slot__starts_at__lte=now + horizon,
        ).select_related("chosen_slot")
    )
    if not polls:
        return []
    by_panel: dict[int, list[tuple[MeetingPoll, str]]] = {}
    for poll in polls:
        assert poll.chosen_slot is not None
        name = _occasion(poll.chosen_slot.starts_at, now)
        if name is not None:
            by_panel.setdefault(poll.panel_id, []).append((poll, f"{name}:{poll.pk}"))
    members = list(
        PanelMember.objects.filter(panel_id__in=list(by_panel), person__isnull=False)
        .select_related("person")
        .order_by("pk")
    )
    candidates = [
        (member, poll, occasion)
        for member in members
        for poll, occasion in by_panel[member.panel_id]
    ]
    sent = set(
        FundingReminder.objects.filter(
            kind=FundingReminderKind.MEETING,
            object_id__in=[member.pk for member in members],
            occasion__in={occasion for _m, _p, occasion in candidates},
        ).values_list("object_id", "occasion")
    )
    return [row for row in candidates if (row[0].pk, row[2]) not in sent]


@records_actor
def remind_meetings(*, by: Actor, now: datetime | None = None) -> int:
    """Remind each member of a panel meeting 7 days and 1 day before it (the periodic task):
    each reminder once, whether the sweep runs twice, two run at once, or one is killed half
    way (see the module's docstring). A fixed number of queries whatever the number of members.

    Side effects: saves a FundingReminder and queues a message (the outbox applies the member's
    contact rules) per member and occasion. Returns how many were queued."""
    now = now or timezone.now()
    due = {
        (member.pk, occasion): Outgoing(
            person_id=member.person_id,
            kind=REMINDER,
            key=reminders.reminder_key(FundingReminderKind.MEETING, member.pk, occasion),
            context=_meeting_context(poll, member),
        )
        for member, poll, occasion in meeting_reminders_due(now)
    }
    return reminders.send_once(FundingReminderKind.MEETING, due, now=now)


# Attendance --------------------------------------------------------------------------------------


def meeting_source_key(poll: MeetingPoll) -> str:
    """The engagement's stable name (recruitment's `source_key`) for attending `poll`."""
    return f"funding.meeting:{poll.pk}"


@records_actor
@transaction.atomic
def record_attendance(
    poll: MeetingPoll, *, by: Actor, attended: Mapping[int, bool]
) -> list[MeetingAttendance]:
    """Record who came to `poll`'s meeting (by member id: True came, False did not), once the
    meeting has started. Recording a member as attended records their paid engagement (panel
    work, with preparation time) through recruitment's `record_engagement`, in this
    transaction; recording it again changes nothing. Recording "did not attend" afterwards
    cancels that engagement while it is only planned, and is refused once it is completed
    (its claim has begun); recording "attended" again after a cancellation is refused too.

    Side effects: saves a MeetingAttendance per member given (audited); records or cancels
    Engagements (audited)."""
    _refuse_without(by, MANAGE_MEETINGS)
    locked = (
        MeetingPoll.objects.select_for_update(of=("self",))
        .select_related("chosen_slot")
        .get(pk=poll.pk)
    )
    slot = locked.chosen_slot
    if locked.status != PollStatus.SCHEDULED or slot is None:
        raise ValidationError(_("This meeting has no date yet."), code="not_scheduled")
    if slot.starts_at > timezone.now():
        raise ValidationError(_("This meeting has not happened yet."), code="not_yet")
    members = {
        member.pk: member
        for member in PanelMember.objects.filter(
            panel_id=locked.panel_id, pk__in=list(attended)
        ).select_related("person")
    }
    unknown = set(attended) - set(members)
    if unknown:
        raise ValidationError(_("Someone in the list is not on this panel."), code="not_member")
    key = meeting_source_key(locked)
    engagements = {
        engagement.person_id: engagement
        for engagement in Engagement.objects.filter(
            source_key=key, person_id__in=[m.person_id for m in members.values() if m.person_id]
        )
    }
    existing = {
        row.member_id: row
        for row in MeetingAttendance.objects.filter(poll=locked, member_id__in=list(members))
    }
    errors = {}
    for member_id, came in attended.items():
        member = members[member_id]
        engagement = engagements.get(member.person_id)
        if engagement is None:
            continue
        name = member.person.display_name if member.person else _("a former member")
        if not came and engagement.status == EngagementStatus.COMPLETED:
            errors[f"member_{member_id}"] = _(
                "%(name)s's work at this meeting is already completed and their claim has "
                "begun, so it cannot be marked as missed here. Ask the engagement team."
            ) % {"name": name}
        if came and engagement.status == EngagementStatus.CANCELLED:
            errors[f"member_{member_id}"] = _(
                "%(name)s's engagement for this meeting was cancelled when they were marked "
                "as not attending. Ask the engagement team to record it again."
            ) % {"name": name}
    if errors:
        raise ValidationError(errors)
    zone = time_zone_of(None)
    hours = (Decimal(locked.duration_minutes) / Decimal(60)).quantize(Decimal("0.01"))
    saved = []
    for member_id, came in attended.items():
        member = members[member_id]
        row = existing.get(member_id) or MeetingAttendance(poll=locked, member=member)
        if row.pk is None or row.attended != came:
            row.attended = came
            row.recorded_by = by if isinstance(by, User) else None
            row.save()
        saved.append(row)
        if member.person is None:
            continue
        engagement = engagements.get(member.person_id)
        if came and engagement is None:
            record_engagement(
                member.person,
                by=by,
                kind=EngagementKind.PANEL,
                on=slot.starts_at.astimezone(zone).date(),
                hours=hours,
                preparation_hours=preparation_hours(),
                source_key=key,
                belongs_to=locked,
                title=locked.title,
                online=is_online(locked.place),
            )
        elif not came and engagement is not None and engagement.status == EngagementStatus.PLANNED:
            cancel_engagement(engagement, by=by)
    return saved
