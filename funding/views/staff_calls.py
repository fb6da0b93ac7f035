"""Staff pages for funding calls: the list (status, dates, proposals sent), and a call's page
(its facts, criteria with weights, and the call's proposal list).

For funding staff (`funding.view_call`; 403 for anyone else); a call comes through
`staff_calls_for_user` (404 when there is none). Applicants are shown by display name only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from coprod.pagination import page_of
from coprod.permissions import get_object_for_user, require
from funding.models import Panel
from funding.selectors import call_proposals, may_see_staff_calls, staff_calls_for_user

PER_PAGE = 50


@require_http_methods(["GET"])
def call_list(request: HttpRequest) -> HttpResponse:
    require(request, may_see_staff_calls(request.user))
    page = page_of(request, staff_calls_for_user(request.user), per_page=PER_PAGE)
    return render(request, "funding/calls/list.html", {"page": page})


@require_http_methods(["GET"])
def call_detail(request: HttpRequest, call_id: int) -> HttpResponse:
    require(request, may_see_staff_calls(request.user))
    call = get_object_for_user(request, staff_calls_for_user, pk=call_id)
    page = page_of(request, call_proposals(call), per_page=PER_PAGE)
    return render(
        request,
        "funding/calls/call.html",
        {
            "call": call,
            "criteria": list(call.criteria.all()),
            "panel": Panel.objects.filter(call=call).first(),
            "page": page,
            "may_check_eligibility": request.user.has_perm("funding.check_eligibility"),
        },
    )
