"""Partnership meeting pages.

Staff (the partnerships team and the partnership's lead; other people are refused at the door,
and a partnership or meeting the visitor does not manage does not exist): a partnership's
meetings, a new meeting with whom to invite, changing it, inviting more members, cancelling it,
and who attended with the costs paid.

Portal (members): the upcoming meetings they were invited to, of partnerships they are a current
member of, and each one's calendar file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from coprod.pagination import page_of
from coprod.permissions import get_object_for_user
from funding.selectors.meetings import time_zone_of, when_in_words
from partnerships.enums import MeetingStatus
from partnerships.forms.meetings import AttendanceForm, ConfirmForm, InviteForm, MeetingForm
from partnerships.models import Meeting
from partnerships.permissions import current_memberships, may_manage_partnership
from partnerships.selectors.meetings import (
    calendar_meetings_for_user,
    meeting_invitations,
    partnership_meetings,
    staff_meetings_for_user,
    upcoming_meetings_for_member,
    wants_full_detail,
)
from partnerships.services.meetings import (
    cancel_meeting,
    change_meeting,
    invite_members,
    meeting_calendar,
    record_attendance,
    schedule_meeting,
)
from partnerships.views.agreements import add_errors, managed_partnership, staff_door

PER_PAGE = 20


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    staff_door(request)
    return get_object_for_user(
        request,
        lambda user: staff_meetings_for_user(user).select_related("partnership"),
        action=lambda user, meeting: may_manage_partnership(user, meeting.partnership),
        pk=meeting_id,
    )


def _members(partnership, *, exclude=()):  # type: ignore[no-untyped-def]
    return [
        (member, member.person.display_name)
        for member in current_memberships()
        .filter(partnership=partnership)
        .exclude(pk__in=list(exclude))
        .select_related("person")
        .order_by("joined_on", "pk")
    ]


# Staff -----------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def staff_meeting_list(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = managed_partnership(request, partnership_id)
    page = page_of(request, partnership_meetings(partnership.pk), per_page=PER_PAGE)
    now = timezone.now()
    rows = [
        {
            "meeting": meeting,
            "when": when_in_words(meeting.starts_at, meeting.duration_minutes, time_zone_of(None)),
            "to_come": meeting.starts_at > now,
        }
        for meeting in page.items
    ]
    return render(
        request,
        "partnerships/meetings/staff_list.html",
        {"partnership": partnership, "page": page, "rows": rows},
    )


@require_http_methods(["GET", "POST"])
def staff_meeting_create(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = managed_partnership(request, partnership_id)
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        members=_members(partnership),
        submit=_("Arrange the meeting and send the invitations"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            schedule_meeting(
                partnership,
                by=request.user,
                invite=form.cleaned_data["invited"],
                **form.fields_for_service,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The meeting is arranged and the invitations are sent."))
            return redirect("partnerships_meetings_staff:list", partnership_id=partnership.pk)
    return render(
        request,
        "partnerships/meetings/staff_form.html",
        {"partnership": partnership, "form": form, "meeting": None},
    )


@require_http_methods(["GET", "POST"])
def staff_meeting_edit(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    if meeting.status == MeetingStatus.CANCELLED:
        messages.error(request, _("This meeting is cancelled, so it cannot be changed."))
        return redirect("partnerships_meetings_staff:list", partnership_id=meeting.partnership_id)
    initial = {name: getattr(meeting, name) for name in MeetingForm.FIELDS}
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    form = MeetingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            change_meeting(meeting, by=request.user, **form.fields_for_service)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The meeting is saved."))
            return redirect(
                "partnerships_meetings_staff:list", partnership_id=meeting.partnership_id
            )
    return render(
        request,
        "partnerships/meetings/staff_form.html",
        {"partnership": meeting.partnership, "form": form, "meeting": meeting},
    )


@require_http_methods(["GET", "POST"])
def staff_meeting_invite(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    invitations = list(meeting_invitations(meeting))
    to_come = meeting.status == MeetingStatus.PLANNED and meeting.starts_at > timezone.now()
    members = (
        _members(meeting.partnership, exclude=[i.member_id for i in invitations]) if to_come else []
    )
    form = InviteForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST":
        if not to_come:
            messages.error(request, _("Only a planned meeting still to come can have more people."))
            return redirect("partnerships_meetings_staff:invite", meeting_id=meeting.pk)
        if form.is_valid():
            try:
                count = invite_members(
                    meeting, by=request.user, member_ids=form.cleaned_data["invited"]
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("%(count)s more people are invited.") % {"count": count}
                )
                return redirect("partnerships_meetings_staff:invite", meeting_id=meeting.pk)
    return render(
        request,
        "partnerships/meetings/staff_invite.html",
        {
            "meeting": meeting,
            "invited": [i.member.person.display_name for i in invitations],
            "form": form if members else None,
            "to_come": to_come,
        },
    )


@require_http_methods(["GET", "POST"])
def staff_meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = ConfirmForm(label=_("Cancel the meeting and tell everyone invited"))
    if request.method == "POST":
        try:
            cancel_meeting(meeting, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The meeting is cancelled. Everyone invited is told."))
        return redirect("partnerships_meetings_staff:list", partnership_id=meeting.partnership_id)
    return render(
        request,
        "partnerships/meetings/staff_cancel.html",
        {
            "meeting": meeting,
            "form": form,
            "when": when_in_words(meeting.starts_at, meeting.duration_minutes, time_zone_of(None)),
        },
    )


@require_http_methods(["GET", "POST"])
def staff_attendance(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    invitations = [
        (invitation, invitation.member.person.display_name)
        for invitation in meeting_invitations(meeting)
    ]
    form = AttendanceForm(
        request.POST if request.method == "POST" else None, invitations=invitations
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_attendance(meeting, by=request.user, rows=form.rows)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Attendance is recorded."))
            return redirect(
                "partnerships_meetings_staff:list", partnership_id=meeting.partnership_id
            )
    return render(
        request,
        "partnerships/meetings/staff_attendance.html",
        {
            "meeting": meeting,
            "form": form,
            "started": meeting.starts_at <= timezone.now(),
            "when": when_in_words(meeting.starts_at, meeting.duration_minutes, time_zone_of(None)),
        },
    )


# Portal ----------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def meeting_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, upcoming_meetings_for_member(request.user), per_page=PER_PAGE)
    zone = time_zone_of(getattr(request.user, "person", None))
    rows = [
        {
            "meeting": meeting,
            "when": when_in_words(meeting.starts_at, meeting.duration_minutes, zone),
            "cancelled": meeting.status == MeetingStatus.CANCELLED,
        }
        for meeting in page.items
    ]
    return render(request, "partnerships/meetings/portal_list.html", {"page": page, "rows": rows})


@require_http_methods(["GET"])
def calendar(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting as a calendar file, worded as the member asked messages to be (neutral
    unless they chose full detail)."""
    meeting = get_object_for_user(request, calendar_meetings_for_user, pk=meeting_id)
    text = meeting_calendar(meeting, neutral=not wants_full_detail(request.user))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    response["Cache-Control"] = "no-store"
    return response
