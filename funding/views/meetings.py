"""Panel meeting pages.

Portal (for members of the poll's panel; a poll of another panel does not exist for the
visitor): the polls of their panels, the availability form (changeable until the poll closes),
then the chosen meeting and its calendar file.

Staff (with `funding.change_meetingpoll`; 403 for anyone else): the polls, a new poll, a poll's
answers per slot with who has not answered and the outcome, "close the poll now", and the
attendance after the meeting."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.doors import form_data_or_draft, saves_draft_on_timeout
from coprod.enums import MessageDetail
from coprod.models import SafeContactPreferences
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, is_staff_with, require
from funding.enums import PollStatus
from funding.forms.meetings import AttendanceForm, AvailabilityForm, ClosePollForm, PollForm
from funding.models import MeetingPoll
from funding.selectors.meetings import (
    MANAGE_MEETINGS,
    answers_of,
    attendance_of,
    meeting_panels_for_user,
    meeting_polls_for_user,
    member_polls_for_user,
    moment_in_words,
    not_answered,
    quorum_of,
    seat_on_poll,
    slot_tallies,
    time_zone_of,
    voting_members,
    when_in_words,
)
from funding.services.meetings import (
    answer_poll,
    close_poll,
    create_poll,
    meeting_calendar,
    record_attendance,
)

PER_PAGE = 20


def _add_errors(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _display_name(member) -> str:  # type: ignore[no-untyped-def]
    return member.person.display_name if member.person_id else _("A former member")


# Portal ----------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def poll_list(request: HttpRequest) -> HttpResponse:
    polls = member_polls_for_user(request.user).order_by("-closes_at", "-pk")
    page = page_of(request, polls, per_page=PER_PAGE)
    zone = time_zone_of(getattr(request.user, "person", None))
    rows = [
        {
            "poll": poll,
            "when": when_in_words(poll.chosen_slot.starts_at, poll.duration_minutes, zone)
            if poll.chosen_slot
            else "",
            "open": poll.status == PollStatus.OPEN and timezone.now() < poll.closes_at,
        }
        for poll in page.items
    ]
    return render(request, "funding/meetings/poll_list.html", {"page": page, "rows": rows})


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def poll(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = get_object_for_user(request, member_polls_for_user, pk=poll_id)
    member = seat_on_poll(request.user, poll)
    zone = time_zone_of(member.person)
    is_open = poll.status == PollStatus.OPEN and timezone.now() < poll.closes_at
    slots = [
        (slot.pk, when_in_words(slot.starts_at, poll.duration_minutes, zone))
        for slot in poll.slots.all()
    ]
    initial = {f"slot_{pk}": answer for pk, answer in answers_of(member, poll).items()}
    data = form_data_or_draft(request) if is_open else None
    form = AvailabilityForm(data, initial=initial, slots=slots, disabled=not is_open)
    if request.method == "POST":
        if not is_open:
            messages.error(
                request, _("This poll has closed, so your answers can no longer be changed.")
            )
            return redirect("funding_meetings:poll", poll_id=poll.pk)
        if form.is_valid():
            try:
                answer_poll(poll, member, by=request.user, answers=form.answers)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Thank you. Your answers are saved. You can change them until %(closes)s.")
                    % {"closes": moment_in_words(poll.closes_at, zone)},
                )
                return redirect("funding_meetings:poll", poll_id=poll.pk)
    return render(
        request,
        "funding/meetings/poll.html",
        {
            "poll": poll,
            "form": form,
            "is_open": is_open,
            "closes": moment_in_words(poll.closes_at, zone),
            "meeting": when_in_words(poll.chosen_slot.starts_at, poll.duration_minutes, zone)
            if poll.chosen_slot
            else "",
        },
    )


def _wants_full_detail(user) -> bool:  # type: ignore[no-untyped-def]
    return SafeContactPreferences.objects.filter(
        person_id=user.person_id, message_detail=MessageDetail.FULL
    ).exists()


@require_http_methods(["GET"])
def calendar(request: HttpRequest, poll_id: int) -> HttpResponse:
    """The chosen meeting as a calendar file, worded as the member asked messages to be (neutral
    unless they chose full detail)."""
    poll = get_object_for_user(
        request,
        lambda user: member_polls_for_user(user).filter(status=PollStatus.SCHEDULED),
        pk=poll_id,
    )
    text = meeting_calendar(poll, neutral=not _wants_full_detail(request.user))
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    return response


# Staff -----------------------------------------------------------------------------------------


def _may_manage(request: HttpRequest) -> None:
    require(request, is_staff_with(request.user, MANAGE_MEETINGS))


@require_http_methods(["GET"])
def staff_poll_list(request: HttpRequest) -> HttpResponse:
    _may_manage(request)
    polls = (
        meeting_polls_for_user(request.user)
        .select_related("chosen_slot")
        .annotate(n_slots=Count("slots", distinct=True))
        .order_by("-closes_at", "-pk")
    )
    page = page_of(request, polls, per_page=PER_PAGE)
    return render(request, "funding/meetings/staff/poll_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def staff_poll_create(request: HttpRequest) -> HttpResponse:
    _may_manage(request)
    panels = meeting_panels_for_user(request.user)
    form = PollForm(request.POST if request.method == "POST" else None, panels=panels)
    if request.method == "POST" and form.is_valid():
        try:
            created = create_poll(
                form.cleaned_data["panel"],
                by=request.user,
                title=form.cleaned_data["title"],
                place=form.cleaned_data["place"],
                duration_minutes=form.cleaned_data["duration_minutes"],
                closes_at=form.cleaned_data["closes_at"],
                slots=form.slots,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "slots" in error.error_dict:
                messages_for_slots = error.message_dict.pop("slots")
                form.add_error("slot_1", messages_for_slots)
                error = ValidationError(error.message_dict) if error.message_dict else None
            if error is not None:
                _add_errors(form, error)
        else:
            messages.success(request, _("The poll is open. Members can now answer."))
            return redirect("funding_meetings_staff:poll", poll_id=created.pk)
    return render(
        request,
        "funding/meetings/staff/poll_create.html",
        {"form": form},
    )


def _staff_poll(request: HttpRequest, poll_id: int) -> MeetingPoll:
    _may_manage(request)
    return get_object_for_user(request, meeting_polls_for_user, pk=poll_id)


@require_http_methods(["GET"])
def staff_poll(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _staff_poll(request, poll_id)
    zone = time_zone_of(None)
    members = voting_members(poll.panel_id)
    counts = members.aggregate(total=Count("pk"), chair=Count("pk", filter=Q(is_chair=True)))
    tallies = [
        {
            "tally": tally,
            "when": when_in_words(tally.slot.starts_at, poll.duration_minutes, zone),
            "chosen": tally.slot.pk == poll.chosen_slot_id,
        }
        for tally in slot_tallies(poll)
    ]
    return render(
        request,
        "funding/meetings/staff/poll.html",
        {
            "poll": poll,
            "tallies": tallies,
            "not_answered": [_display_name(m) for m in not_answered(poll)],
            "members": counts["total"],
            "has_chair": bool(counts["chair"]),
            "quorum": quorum_of(poll.panel, counts["total"]),
            "closes": moment_in_words(poll.closes_at, zone),
            "close_form": ClosePollForm() if poll.status == PollStatus.OPEN else None,
            "reasons": poll.no_slot_reason.splitlines(),
        },
    )


@require_POST
def staff_poll_close(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _staff_poll(request, poll_id)
    if poll.status != PollStatus.OPEN:
        messages.info(request, _("This poll is already closed."))
        return redirect("funding_meetings_staff:poll", poll_id=poll.pk)
    closed = close_poll(poll, by=request.user)
    if closed.status == PollStatus.SCHEDULED:
        messages.success(
            request, _("The poll is closed and the meeting is set. Members are sent an invitation.")
        )
    else:
        messages.warning(request, _("The poll is closed, but no time suits. See why below."))
    return redirect("funding_meetings_staff:poll", poll_id=poll.pk)


@require_http_methods(["GET", "POST"])
def staff_attendance(request: HttpRequest, poll_id: int) -> HttpResponse:
    poll = _staff_poll(request, poll_id)
    if poll.status != PollStatus.SCHEDULED:
        raise Http404
    members = [
        (member, _display_name(member))
        for member in voting_members(poll.panel_id)
        .select_related("person")
        .order_by("-is_chair", "pk")
    ]
    form = AttendanceForm(
        request.POST if request.method == "POST" else None,
        poll=poll,
        members=members,
        recorded=attendance_of(poll),
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_attendance(poll, by=request.user, attended=form.attended)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Attendance is recorded."))
            return redirect("funding_meetings_staff:poll", poll_id=poll.pk)
    return render(
        request,
        "funding/meetings/staff/attendance.html",
        {"poll": poll, "form": form},
    )
