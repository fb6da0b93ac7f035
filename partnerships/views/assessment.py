"""Self-assessment pages.

Portal (current members of the partnership; anyone else gets 404): the rounds waiting for the
visitor's answers, the answer form for an open round (saved on timeout; the draft is deleted once
the answers are sent), a thank-you page, and a partnership's results (averages by round and the
trend; no comments).

Staff (the partnerships team, and a partnership's lead): a partnership's rounds with their
results and the trend, opening a round, a round's results with its comments, closing it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.doors import draft_path, form_data_or_draft, saves_draft_on_timeout
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from coprod.services.drafts import take_draft
from partnerships.enums import MIN_RESPONDENTS_PER_ROLE, RoundStatus
from partnerships.forms.assessment import AnswerForm, CloseRoundForm, RoundForm
from partnerships.models import AssessmentRound, Partnership
from partnerships.permissions import (
    managed_partnerships_for_user,
    may_manage_partnership,
    member_partnerships_for_user,
)
from partnerships.selectors.assessment import (
    VALUES,
    has_answered,
    managed_rounds_for_user,
    member_rounds_for_user,
    open_rounds_to_answer,
    partnership_results,
    partnerships_with_rounds,
    results_for,
    round_comments,
    trend_of,
)
from partnerships.services.assessment import (
    answer_round,
    close_round,
    is_open_for_answers,
    open_round,
)

PER_PAGE = 50


def _add_errors(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _results_context(partnership: Partnership) -> dict:
    results = partnership_results(partnership)
    return {
        "partnership": partnership,
        "results": list(reversed(results)),
        "trend": trend_of(results),
        "values": VALUES,
        "minimum": MIN_RESPONDENTS_PER_ROLE,
    }


# Portal ----------------------------------------------------------------------------------------


@require_http_methods(["GET"])
def to_answer(request: HttpRequest) -> HttpResponse:
    rounds = list(open_rounds_to_answer(request.user))
    partnerships = member_partnerships_for_user(request.user).order_by("title")
    return render(
        request,
        "partnerships/assessment/to_answer.html",
        {"rounds": rounds, "partnerships": partnerships},
    )


def _discard_draft(request: HttpRequest) -> None:
    """A draft of the answer form saved when a session timed out (perhaps on another device)
    would keep answers beside the login: it goes once the answers are sent, or can no longer
    be (answered already, round closed)."""
    path = draft_path(request.path_info)
    if path is not None:
        take_draft(request.user, path=path)


@saves_draft_on_timeout
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_for_user(
        request,
        lambda user: member_rounds_for_user(user).select_related("partnership"),
        pk=round_id,
    )
    if has_answered(request.user, round_):
        _discard_draft(request)
        return render(request, "partnerships/assessment/answered.html", {"round": round_})
    if not is_open_for_answers(round_):
        _discard_draft(request)
        return render(request, "partnerships/assessment/closed.html", {"round": round_})
    form = AnswerForm(form_data_or_draft(request))
    if request.method == "POST" and form.is_valid():
        try:
            answer_round(
                round_, person=request.user.person, ratings=form.ratings, comments=form.comments
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _discard_draft(request)
            return redirect("partnerships_assessment:thanks", round_id=round_.pk)
    return render(request, "partnerships/assessment/answer.html", {"round": round_, "form": form})


@require_http_methods(["GET"])
def thanks(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = get_object_for_user(
        request,
        lambda user: member_rounds_for_user(user).select_related("partnership"),
        pk=round_id,
    )
    return render(request, "partnerships/assessment/thanks.html", {"round": round_})


@require_http_methods(["GET"])
def results(request: HttpRequest, partnership_id: int) -> HttpResponse:
    partnership = get_object_for_user(request, member_partnerships_for_user, pk=partnership_id)
    context = _results_context(partnership)
    context["open_round"] = next(
        (r.round for r in context["results"] if r.round.status == RoundStatus.OPEN), None
    )
    return render(request, "partnerships/assessment/results.html", context)


# Staff -----------------------------------------------------------------------------------------


def _staff_door(request: HttpRequest) -> None:
    """The staff pages are for staff: anyone else is refused at the door (403), before any
    partnership is looked up."""
    require(request, request.user.is_staff)


@require_http_methods(["GET"])
def staff_list(request: HttpRequest) -> HttpResponse:
    _staff_door(request)
    page = page_of(request, partnerships_with_rounds(request.user), per_page=PER_PAGE)
    return render(request, "partnerships/assessment/staff/list.html", {"page": page})


@require_http_methods(["GET"])
def staff_rounds(request: HttpRequest, partnership_id: int) -> HttpResponse:
    _staff_door(request)
    partnership = get_object_for_user(request, managed_partnerships_for_user, pk=partnership_id)
    context = _results_context(partnership)
    context["may_manage"] = may_manage_partnership(request.user, partnership)
    return render(request, "partnerships/assessment/staff/rounds.html", context)


@require_http_methods(["GET", "POST"])
def staff_open(request: HttpRequest, partnership_id: int) -> HttpResponse:
    _staff_door(request)
    partnership = get_object_for_user(
        request, managed_partnerships_for_user, action=may_manage_partnership, pk=partnership_id
    )
    form = RoundForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            created = open_round(
                partnership,
                by=request.user,
                title=form.cleaned_data["title"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The round is open. Members see it in their things to do."))
            return redirect("partnerships_assessment_staff:round", round_id=created.pk)
    return render(
        request,
        "partnerships/assessment/staff/open.html",
        {"partnership": partnership, "form": form},
    )


def _staff_round(request: HttpRequest, round_id: int, *, manage: bool = False) -> AssessmentRound:
    _staff_door(request)
    round_ = get_object_for_user(
        request,
        lambda user: managed_rounds_for_user(user).select_related("partnership"),
        pk=round_id,
    )
    if manage:
        require(request, may_manage_partnership(request.user, round_.partnership))
    return round_


@require_http_methods(["GET"])
def staff_round(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _staff_round(request, round_id)
    result = results_for([round_])[0]
    return render(
        request,
        "partnerships/assessment/staff/round.html",
        {
            "round": round_,
            "result": result,
            "comments": round_comments(result),
            "values": VALUES,
            "minimum": MIN_RESPONDENTS_PER_ROLE,
            "close_form": CloseRoundForm()
            if round_.status == RoundStatus.OPEN
            and may_manage_partnership(request.user, round_.partnership)
            else None,
        },
    )


@require_POST
def staff_close(request: HttpRequest, round_id: int) -> HttpResponse:
    round_ = _staff_round(request, round_id, manage=True)
    try:
        close_round(round_, by=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        messages.success(request, _("The round is closed. Its results now show."))
    return redirect("partnerships_assessment_staff:round", round_id=round_.pk)
