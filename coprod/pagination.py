"""Pages of a long list, for the portal's and the staff pages' lists (and the area apps').

`page_of` reads one row more than it shows to know whether there is a next page, so a page costs
one query whatever the length of the list (no count). Page numbers come from `?page=N`: anything
that is not a number is page 1; a page past the end, or a number past any real list, is not found.
Templates show the links with `{% include "includes/pagination.html" with page=page %}`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest

# Past any real list. A larger number would overflow the database's OFFSET (a server error).
LAST_POSSIBLE_PAGE = 100_000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    previous: int | None
    next: int | None


def page_number(request: HttpRequest) -> int:
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        return 1
    if number > LAST_POSSIBLE_PAGE:
        raise Http404
    return max(1, number)


def page_of(request: HttpRequest, queryset: QuerySet, *, per_page: int) -> Page:
    """The page of `queryset` (already ordered) that `?page=N` asks for, `per_page` rows."""
    number = page_number(request)
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        raise Http404
    return Page(
        items=rows[:per_page],
        number=number,
        previous=number - 1 if number > 1 else None,
        next=number + 1 if len(rows) > per_page else None,
    )
