"""Results and decisions: the staff pages (calls with panels, a call's results, its CSV export, a
proposal's decision, deciding the call) and the chair's view of the results in the portal.

Staff pages are for funding staff with `funding.view_score` (deciding: `funding.decide_proposal`),
403 for anyone else; calls and proposals come through selectors (404 for the rest). The chair
sees only their own call, and not the rows of proposals they are kept out of."""

from __future__ import annotations

import csv
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coprod.audit import log_restricted_view
from coprod.models import User
from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, is_staff_with, require
from funding.enums import CallStatus, DecisionOutcome
from funding.forms import DecisionForm
from funding.models import Call, Decision, Proposal
from funding.selectors.results import (
    call_proposals,
    chair_results,
    chair_seat,
    chaired_calls_for_user,
    may_view_results,
    results_calls_for_user,
    results_of,
)
from funding.services import DECIDE, decide_call, may_decide, record_decision

PER_PAGE = 50
DECISION_FIELDS = ("outcome", "conditions", "rationale", "dissent", "lee_view", "feedback")


def _may_decide_any(user: User) -> bool:
    return is_staff_with(user, DECIDE)


def _call(request: HttpRequest, call_id: int) -> Call:
    require(request, may_view_results(request.user))
    return get_object_for_user(
        request, lambda user: results_calls_for_user(user).select_related("panel"), pk=call_id
    )


def _not_their_own(user: User, results: QuerySet[Proposal]) -> list[Proposal]:
    """The rows, less those of proposals `user` applied with: staff who applied to a call do not
    see their own proposal's scores. Dropped after the database ranked every proposal, so the
    ranks and running totals stay the panel's."""
    return [row for row in results if row.applicant_id != user.person_id]


def _rows(rows: list[Proposal]) -> tuple[list[Proposal], list[Proposal]]:
    return [row for row in rows if row.ranked], [row for row in rows if not row.ranked]


@require_http_methods(["GET"])
def call_list(request: HttpRequest) -> HttpResponse:
    require(request, may_view_results(request.user))
    calls = (
        results_calls_for_user(request.user)
        .annotate(
            sent=Count(
                "proposals",
                filter=Q(proposals__status="submitted") & ~Q(proposals__eligibility="ineligible"),
            )
        )
        .order_by("-closes_at", "pk")
    )
    page = page_of(request, calls, per_page=PER_PAGE)
    return render(request, "funding/results/calls.html", {"page": page})


@require_http_methods(["GET"])
def call_results(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _call(request, call_id)
    ranked, unranked = _rows(_not_their_own(request.user, results_of(call, call.panel)))
    return render(
        request,
        "funding/results/staff.html",
        {
            "call": call,
            "panel": call.panel,
            "ranked": ranked,
            "unranked": unranked,
            "may_decide": _may_decide_any(request.user) and call.status == CallStatus.IN_REVIEW,
            "outcomes": dict(DecisionOutcome.choices),
        },
    )


def _cell(value: Any) -> str:
    """Spreadsheets run a cell that starts with = + - @ as a formula: such text is quoted."""
    text = "" if value is None else str(value)
    starts = text.lstrip(" \t\r\n")[:1] or text[:1]
    return "'" + text if starts in ("=", "+", "-", "@") or text[:1] in ("\t", "\r") else text


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value):.2f}"


CSV_COLUMNS = [
    "rank",
    "ranked",
    "proposal",
    "applicant",
    "requested",
    "running_total",
    "budget",
    "mean",
    "median",
    "spread",
    "reviews",
    "lee_reviews",
    "researcher_reviews",
    "policymaker_reviews",
    "lee_mean",
    "researcher_mean",
    "policymaker_mean",
    "lee_flag",
    "disagreement_flag",
    "decision",
]


@require_http_methods(["GET"])
def results_csv(request: HttpRequest, call_id: int) -> HttpResponse:
    """The results page's numbers as CSV: proposal titles and applicants' display names, nothing
    else about anyone. The export is audited (who, which call)."""
    call = _call(request, call_id)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="results-call-{call.pk}.csv"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    for row in _not_their_own(request.user, results_of(call, call.panel)):
        writer.writerow(
            [
                _cell(value)
                for value in (
                    row.rank if row.ranked else "",
                    "yes" if row.ranked else "no",
                    row.title,
                    row.applicant_name,
                    _money(row.requested_amount),
                    _money(row.running_total) if row.ranked else "",
                    _money(call.budget),
                    _number(row.mean),
                    _number(row.median),
                    _number(row.spread),
                    row.review_count,
                    row.lee_reviews,
                    row.researcher_reviews,
                    row.policymaker_reviews,
                    _number(row.lee_mean),
                    _number(row.researcher_mean),
                    _number(row.policymaker_mean),
                    "yes" if row.lee_flag else "no",
                    "yes" if row.disagreement_flag else "no",
                    row.decision_outcome or "",
                )
            ]
        )
    log_restricted_view(
        call, actor=request.user, fields=["results", "applicant"], context="results export"
    )
    return response


@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, call_id: int, proposal_id: int) -> HttpResponse:
    require(request, _may_decide_any(request.user))
    call = _call(request, call_id)
    proposal = get_object_for_user(
        request,
        lambda user: call_proposals(call),
        action=may_decide,
        pk=proposal_id,
    )
    existing = Decision.objects.filter(proposal=proposal).first()
    initial = {name: getattr(existing, name) for name in DECISION_FIELDS} if existing else {}
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record_decision(proposal, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The decision on “%(title)s” is saved.") % {"title": proposal.title}
            )
            return redirect("funding_results:call", call_id=call.pk)
    row = results_of(call, call.panel).filter(pk=proposal.pk).first()
    return render(
        request,
        "funding/results/decision.html",
        {
            "call": call,
            "proposal": proposal,
            "row": row,
            "row_list": [row] if row else [],
            "outcomes": dict(DecisionOutcome.choices),
            "form": form,
            "editable": call.status == CallStatus.IN_REVIEW,
        },
        status=400 if form.errors else 200,
    )


def _add_errors(form: DecisionForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
def decide(request: HttpRequest, call_id: int) -> HttpResponse:
    require(request, _may_decide_any(request.user))
    call = _call(request, call_id)
    try:
        decide_call(call, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The call is decided. Applicants and panel members are being told."),
        )
    return redirect("funding_results:call", call_id=call.pk)


# The chair, in the portal ------------------------------------------------------------------------


@require_http_methods(["GET"])
def chair_calls(request: HttpRequest) -> HttpResponse:
    """The calls whose panel the visitor chairs (403 for anyone who chairs none)."""
    calls = chaired_calls_for_user(request.user).order_by("-closes_at", "pk")
    page = page_of(request, calls, per_page=PER_PAGE)
    require(request, bool(page.items))
    return render(request, "funding/results/chair_calls.html", {"page": page})


@require_http_methods(["GET"])
def chair_call_results(request: HttpRequest, call_id: int) -> HttpResponse:
    call = get_object_for_user(request, chaired_calls_for_user, pk=call_id)
    chair = chair_seat(request.user, call)
    ranked, unranked = _rows(list(chair_results(call, chair)))
    return render(
        request,
        "funding/results/chair.html",
        {
            "call": call,
            "panel": chair.panel,
            "ranked": ranked,
            "unranked": unranked,
            "outcomes": dict(DecisionOutcome.choices),
        },
    )
