"""Portal pages of partnerships (mounted at portal/partnerships/): "Your partnerships" and a
partnership's page, for its current members only (anyone else: 404; staff use the staff pages).
Members see each other by display name and role only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from coprod.permissions import get_object_for_user
from partnerships.permissions import member_partnerships_for_user
from partnerships.selectors.partnerships import (
    level_in_words,
    partnership_page,
    portal_partnerships,
    role_label,
)


def _people_only(request: HttpRequest) -> None:
    if request.user.is_staff:
        raise Http404


@require_http_methods(["GET"])
def partnership_list(request: HttpRequest) -> HttpResponse:
    _people_only(request)
    rows = [
        {
            "partnership": partnership,
            "role": role_label(partnership.my_role),
            "level": level_in_words(partnership.level),
        }
        for partnership in portal_partnerships(request.user)
    ]
    return render(request, "partnerships/portal/partnerships.html", {"rows": rows})


@require_http_methods(["GET"])
def partnership_detail(request: HttpRequest, partnership_id: int) -> HttpResponse:
    _people_only(request)
    partnership = get_object_for_user(request, member_partnerships_for_user, pk=partnership_id)
    return render(
        request,
        "partnerships/portal/partnership.html",
        {"partnership": partnership, **partnership_page(partnership, current_only=True)},
    )
