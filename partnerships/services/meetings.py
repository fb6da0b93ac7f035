"""Partnership meetings: staff arrange one (`schedule_meeting`) and invite members (every current
member by default, or those chosen; `invite_members` adds more), change it (`change_meeting`) or
cancel it (`cancel_meeting`); after it, they record who came and the costs paid for them
(`record_attendance`). Each invitation goes through the outbox with a calendar file (a neutral
one for people who asked for discreet messages).

Recording a paid member's (PAID_ROLES: LEE, PWLE) attendance records their engagement through
`recruitment.services.honoraria.record_engagement` (meeting hours, preparation hours, travel,
childcare and interpreter costs as allowances), in the same transaction; changing it to "did not
attend" cancels that engagement while it is only planned."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, timedelta
from decimal import Decimal
from email.utils import parseaddr
from typing import Any

import icalendar
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from coprod.audit import Actor, records_actor
from coprod.models import User
from coprod.services.notifications import Attachment, Outgoing, queue_notifications
from funding.selectors.meetings import time_zone_of, when_in_words
from partnerships.enums import PAID_ROLES, MeetingStatus
from partnerships.models import Meeting, MeetingInvitation, Partnership, PartnershipMember
from partnerships.permissions import current_memberships, may_manage_partnership
from recruitment.enums import EngagementKind, EngagementStatus
from recruitment.models import Engagement
from recruitment.services.honoraria import cancel_engagement, record_engagement

INVITATION = "partnerships_meeting_invitation"
CANCELLED = "partnerships_meeting_cancelled"
NEUTRAL_PRODID = "-//calendar//EN"
FIELDS = (
    "title",
    "starts_at",
    "duration_minutes",
    "place",
    "link",
    "agenda",
    "interpreter",
    "interpreter_languages",
    "travel_paid",
    "childcare_paid",
    "breaks",
    "access_notes",
    "preparation_hours",
)
# A change to any of these is news for the people invited: they are sent the invitation again.
NEWS = ("starts_at", "duration_minutes", "place", "link")
MAX_PREPARATION_HOURS = Decimal("40")
# How far from today a meeting's start may be set: further makes no sense, and near the
# calendar's end its end time overflows (a 500 where a clear message belongs).
MAX_YEARS_AWAY = 3
ZERO = Decimal("0")


def _refuse_unless_manager(partnership: Partnership, by: Actor) -> None:
    if isinstance(by, User) and not may_manage_partnership(by, partnership):
        raise ValidationError(_("You cannot change this partnership's meetings."))


def _site_link(path: str) -> str:
    return settings.COPROD_SITE_URL + path


def _validate(meeting: Meeting, *, new: bool, moved: bool = False) -> None:
    """The meeting's rules, each message on its field. `moved`: its start was changed."""
    errors: dict[str, list[str]] = {}
    meeting.title = (meeting.title or "").strip()
    meeting.place = (meeting.place or "").strip()
    meeting.link = (meeting.link or "").strip()
    if not meeting.place and not meeting.link:
        errors["place"] = [_("Enter where the meeting is, or a link to join it online.")]
    if new and meeting.starts_at is not None and meeting.starts_at <= timezone.now():
        errors["starts_at"] = [_("A new meeting must be in the future.")]
    elif (new or moved) and meeting.starts_at is not None:
        away = timedelta(days=365 * MAX_YEARS_AWAY + 1)
        if abs(meeting.starts_at - timezone.now()) > away:
            errors["starts_at"] = [
                _("Enter a date within %(years)s years of today.") % {"years": MAX_YEARS_AWAY}
            ]
    if meeting.interpreter and not (meeting.interpreter_languages or "").strip():
        errors["interpreter_languages"] = [_("Enter the languages the interpreter speaks.")]
    if not meeting.interpreter:
        meeting.interpreter_languages = ""
    if meeting.preparation_hours is not None and meeting.preparation_hours > MAX_PREPARATION_HOURS:
        errors["preparation_hours"] = [
            _("Preparation time can be at most %(hours)s hours.") % {"hours": MAX_PREPARATION_HOURS}
        ]
    try:
        meeting.full_clean(exclude=["partnership"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


# Calendar --------------------------------------------------------------------------------------


def meeting_uid(meeting: Meeting) -> str:
    """The meeting's calendar UID: stable for the meeting, and opaque (it names neither
    partnerships nor the meeting, and cannot be worked back to it without the secret key)."""
    return salted_hmac("partnerships.meeting.uid", str(meeting.pk), algorithm="sha256").hexdigest()[
        :32
    ]


def meeting_calendar(meeting: Meeting, *, neutral: bool) -> str:
    """The meeting as an iCalendar invitation (METHOD:REQUEST): one event with a UID stable for
    the meeting (a changed meeting updates the calendar entry, with a higher SEQUENCE), start and
    end in UTC. `neutral`: titled "Meeting", with neither the title, the place nor the link, and
    a product name that says nothing."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    calendar = icalendar.Calendar()
    calendar.add("prodid", NEUTRAL_PRODID if neutral else "-//coprod//partnership meetings//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = icalendar.Event()
    event.add("uid", f"{meeting_uid(meeting)}@{domain}")
    event.add("dtstamp", (meeting.updated_at or timezone.now()).astimezone(UTC))
    event.add("dtstart", meeting.starts_at.astimezone(UTC))
    event.add(
        "dtend", (meeting.starts_at + timedelta(minutes=meeting.duration_minutes)).astimezone(UTC)
    )
    changed = (meeting.updated_at - meeting.created_at) if meeting.created_at else timedelta()
    event.add("sequence", max(0, int(changed.total_seconds())))
    if neutral:
        event.add("summary", _("Meeting"))
        event.add("description", _("Sign in to see the details."))
    else:
        event.add("summary", meeting.title)
        if meeting.place:
            event.add("location", meeting.place)
        elif meeting.link:
            event.add("location", meeting.link)
        if meeting.link:
            event.add("url", meeting.link)
            event.add("description", _("Join online: %(link)s") % {"link": meeting.link})
    calendar.add_component(event)
    return calendar.to_ical().decode()


def calendar_attachment(meeting: Meeting) -> Attachment:
    return Attachment(
        filename="meeting.ics",
        content_type="text/calendar; method=REQUEST; charset=utf-8",
        full=meeting_calendar(meeting, neutral=False),
        neutral=meeting_calendar(meeting, neutral=True),
    )


def _stamp(meeting: Meeting) -> str:
    return meeting.starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M") + f":{meeting.pk}"


def _send_invitations(meeting: Meeting, members: Iterable[PartnershipMember]) -> None:
    """An invitation with the calendar file to each of `members`, once per meeting time and
    place (the key carries the last change: a changed meeting is sent again)."""
    attachment = calendar_attachment(meeting)
    # To the microsecond: a change saved within the same second as the one before is news too.
    version = meeting.updated_at.strftime("%Y%m%dT%H%M%S%f") if meeting.updated_at else "0"
    link = _site_link(reverse("partnerships_meetings:list"))
    queue_notifications(
        [
            Outgoing(
                person_id=member.person_id,
                kind=INVITATION,
                key=f"partnerships.meeting_invitation:{meeting.pk}:{member.pk}:{version}",
                context={
                    "meeting": meeting.title,
                    "when": when_in_words(
                        meeting.starts_at, meeting.duration_minutes, time_zone_of(member.person)
                    ),
                    "place": meeting.place,
                    "online": bool(meeting.link),
                    "link": link,
                },
                attachments=(attachment,),
            )
            for member in members
            if member.person.erased_at is None
        ]
    )


# Arranging -------------------------------------------------------------------------------------


def _current_members(partnership: Partnership, member_ids: Sequence[int] | None):
    members = current_memberships().filter(partnership=partnership).select_related("person")
    if member_ids is None:
        return list(members)
    chosen = list(members.filter(pk__in=list(member_ids)))
    if len(chosen) != len(set(member_ids)):
        raise ValidationError(
            {"invited": _("Someone chosen is not a current member of this partnership.")}
        )
    return chosen


@records_actor
@transaction.atomic
def schedule_meeting(
    partnership: Partnership,
    *,
    by: Actor,
    invite: Sequence[int] | None = None,
    **fields: Any,
) -> Meeting:
    """Arrange a meeting of `partnership` (the FIELDS given) in the future, with a place or a
    link, and invite its current members: all of them, or the memberships `invite` names.

    Side effects: saves the Meeting and a MeetingInvitation per member (audited); queues an
    invitation with a calendar file to each member invited."""
    _refuse_unless_manager(partnership, by)
    meeting = Meeting(
        partnership=partnership,
        created_by=by if isinstance(by, User) else None,
        **{name: fields[name] for name in FIELDS if name in fields},
    )
    _validate(meeting, new=True)
    members = _current_members(partnership, invite)
    if not members:
        raise ValidationError({"invited": _("Choose at least one member to invite.")})
    meeting.save()
    MeetingInvitation.objects.bulk_create(
        [MeetingInvitation(meeting=meeting, member=member) for member in members]
    )
    _send_invitations(meeting, members)
    return meeting


def _locked(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("partnership")
        .get(pk=meeting.pk)
    )


@records_actor
@transaction.atomic
def change_meeting(meeting: Meeting, *, by: Actor, **fields: Any) -> Meeting:
    """Change a meeting that is not cancelled (a held one keeps its time and length: they are
    on the engagements of those who came). If its time, length, place or link changed and it is
    still to come, everyone invited who is still a member is sent the invitation again (the
    calendar entry is updated).

    Side effects: saves the Meeting (audited); may queue invitations."""
    locked = _locked(meeting)
    _refuse_unless_manager(locked.partnership, by)
    if locked.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting is cancelled, so it cannot be changed."))
    before = {name: getattr(locked, name) for name in NEWS}
    for name in FIELDS:
        if name in fields:
            setattr(locked, name, fields[name])
    _validate(locked, new=False, moved=locked.starts_at != before["starts_at"])
    moved = any(getattr(locked, name) != before[name] for name in ("starts_at", "duration_minutes"))
    if locked.status == MeetingStatus.HELD and moved:
        raise ValidationError(
            {
                "starts_at": _(
                    "Attendance is recorded for this meeting, so its time and length cannot "
                    "change: they are on the engagements of those who came."
                )
            }
        )
    locked.save()
    news = any(getattr(locked, name) != before[name] for name in NEWS)
    if news and locked.starts_at > timezone.now():
        # Only those still members: someone who has left is not told the new place or link.
        members = current_memberships().filter(invitations__meeting=locked).select_related("person")
        _send_invitations(locked, members)
    return locked


@records_actor
@transaction.atomic
def invite_members(meeting: Meeting, *, by: Actor, member_ids: Sequence[int]) -> int:
    """Invite more current members to a planned meeting still to come (those already invited
    are left as they are). Returns how many were newly invited.

    Side effects: saves a MeetingInvitation per new member (audited); queues their invitation."""
    locked = _locked(meeting)
    _refuse_unless_manager(locked.partnership, by)
    if locked.status != MeetingStatus.PLANNED or locked.starts_at <= timezone.now():
        raise ValidationError(_("Only a planned meeting still to come can have more people."))
    if not member_ids:
        raise ValidationError({"invited": _("Choose at least one member to invite.")})
    members = _current_members(locked.partnership, member_ids)
    already = set(
        MeetingInvitation.objects.filter(meeting=locked).values_list("member_id", flat=True)
    )
    new = [member for member in members if member.pk not in already]
    MeetingInvitation.objects.bulk_create(
        [MeetingInvitation(meeting=locked, member=member) for member in new]
    )
    _send_invitations(locked, new)
    return len(new)


@records_actor
@transaction.atomic
def cancel_meeting(meeting: Meeting, *, by: Actor) -> Meeting:
    """Cancel a planned meeting that has not started, and tell everyone invited.

    Side effects: saves the Meeting as CANCELLED (audited); queues a message to each member
    invited."""
    locked = _locked(meeting)
    _refuse_unless_manager(locked.partnership, by)
    if locked.status != MeetingStatus.PLANNED:
        raise ValidationError(_("Only a planned meeting can be cancelled."))
    if locked.starts_at <= timezone.now():
        raise ValidationError(_("This meeting has already started, so it cannot be cancelled."))
    locked.status = MeetingStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    link = _site_link(reverse("partnerships_meetings:list"))
    queue_notifications(
        [
            Outgoing(
                person_id=member.person_id,
                kind=CANCELLED,
                key=f"partnerships.meeting_cancelled:{locked.pk}:{member.pk}",
                context={
                    "meeting": locked.title,
                    "when": when_in_words(
                        locked.starts_at, locked.duration_minutes, time_zone_of(member.person)
                    ),
                    "link": link,
                },
            )
            for member in PartnershipMember.objects.filter(
                invitations__meeting=locked, person__erased_at__isnull=True
            ).select_related("person")
        ]
    )
    return locked


# Attendance ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attended:
    """What staff record for one invitation: whether the member came and the costs paid."""

    attended: bool
    travel: Decimal = ZERO
    childcare: Decimal = ZERO
    interpreter: Decimal = ZERO

    @property
    def costs(self) -> tuple[Decimal, Decimal, Decimal]:
        return (self.travel, self.childcare, self.interpreter)


def meeting_source_key(meeting: Meeting) -> str:
    """The engagement's stable name (recruitment's `source_key`) for attending `meeting`."""
    return f"partnerships-meeting:{meeting.pk}"


def _name(member: PartnershipMember) -> str:
    return member.person.display_name


def _attendance_errors(
    rows: Mapping[int, Attended],
    invitations: Mapping[int, MeetingInvitation],
    engagements: Mapping[int, Engagement],
) -> dict[str, str]:
    errors = {}
    for pk, row in rows.items():
        invitation = invitations[pk]
        member = invitation.member
        if not row.attended and any(row.costs):
            errors[f"invitation_{pk}"] = _(
                "%(name)s did not attend, so no costs can be paid for them here."
            ) % {"name": _name(member)}
            continue
        engagement = engagements.get(member.person_id)
        if engagement is None or member.role not in PAID_ROLES:
            continue
        if not row.attended and engagement.status == EngagementStatus.COMPLETED:
            errors[f"invitation_{pk}"] = _(
                "%(name)s's work at this meeting is already completed and their claim has "
                "begun, so it cannot be marked as missed here. Ask the engagement team."
            ) % {"name": _name(member)}
        elif row.attended and engagement.status == EngagementStatus.CANCELLED:
            errors[f"invitation_{pk}"] = _(
                "%(name)s's engagement for this meeting was cancelled when they were marked as "
                "not attending. Ask the engagement team to record it again."
            ) % {"name": _name(member)}
        elif row.attended and row.costs != (
            engagement.travel,
            engagement.childcare,
            engagement.interpreter,
        ):
            errors[f"invitation_{pk}"] = _(
                "%(name)s's engagement already has the costs first recorded (travel "
                "%(travel)s, childcare %(childcare)s, interpreter %(interpreter)s). Ask the "
                "engagement team to change them."
            ) % {
                "name": _name(member),
                "travel": engagement.travel,
                "childcare": engagement.childcare,
                "interpreter": engagement.interpreter,
            }
    return errors


@records_actor
@transaction.atomic
def record_attendance(
    meeting: Meeting, *, by: Actor, rows: Mapping[int, Attended]
) -> list[MeetingInvitation]:
    """Record who came to `meeting` (by invitation id) and the travel, childcare and interpreter
    costs paid for them, once it has started. The meeting is then HELD.

    A paid member (LEE, PWLE) who attended gets their engagement (recruitment's
    `record_engagement`: meeting hours, the preparation hours, the costs as allowances; recording
    again changes nothing). "Did not attend" afterwards cancels it while it is planned; it is
    refused once completed, and "attended" is refused after a cancellation, and so is a change of
    costs once the engagement holds them (the engagement team changes those). Other roles'
    attendance is recorded without an engagement. Everything or nothing.

    Side effects: saves each MeetingInvitation given (audited) and the Meeting's status;
    records or cancels Engagements (audited)."""
    locked = _locked(meeting)
    _refuse_unless_manager(locked.partnership, by)
    if locked.status == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting was cancelled."))
    if locked.starts_at > timezone.now():
        raise ValidationError(_("This meeting has not happened yet."))
    if not rows:
        raise ValidationError(_("Mark who attended, or who did not."))
    invitations = {
        invitation.pk: invitation
        for invitation in MeetingInvitation.objects.filter(
            meeting=locked, pk__in=list(rows)
        ).select_related("member__person")
    }
    if set(rows) - set(invitations):
        raise ValidationError(_("Someone in the list was not invited to this meeting."))
    key = meeting_source_key(locked)
    engagements = {
        engagement.person_id: engagement
        for engagement in Engagement.objects.filter(
            source_key=key,
            person_id__in=[invitation.member.person_id for invitation in invitations.values()],
        )
    }
    errors = _attendance_errors(rows, invitations, engagements)
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    hours = (Decimal(locked.duration_minutes) / Decimal(60)).quantize(Decimal("0.01"))
    on = timezone.localtime(locked.starts_at).date()
    online = bool(locked.link and not locked.place)
    saved = []
    for pk, row in rows.items():
        invitation = invitations[pk]
        values = (row.attended, *row.costs)
        current = (
            invitation.attended,
            invitation.travel_cost,
            invitation.childcare_cost,
            invitation.interpreter_cost,
        )
        if values != current:
            invitation.attended = row.attended
            invitation.travel_cost, invitation.childcare_cost, invitation.interpreter_cost = (
                row.costs
            )
            invitation.recorded_at = now
            invitation.recorded_by = by if isinstance(by, User) else None
            invitation.full_clean(exclude=["meeting", "member"])
            invitation.save()
        saved.append(invitation)
        member = invitation.member
        if member.role not in PAID_ROLES:
            continue
        engagement = engagements.get(member.person_id)
        if row.attended and engagement is None:
            record_engagement(
                member.person,
                by=by,
                kind=EngagementKind.MEETING,
                on=on,
                hours=hours,
                preparation_hours=locked.preparation_hours,
                source_key=key,
                belongs_to=locked,
                title=locked.title,
                online=online,
                travel=row.travel,
                childcare=row.childcare,
                interpreter=row.interpreter,
            )
        elif (
            not row.attended
            and engagement is not None
            and engagement.status == EngagementStatus.PLANNED
        ):
            cancel_engagement(engagement, by=by)
    if locked.status != MeetingStatus.HELD:
        locked.status = MeetingStatus.HELD
        locked.save(update_fields=["status", "updated_at"])
    return saved
