"""Queries compiled to SQL once and run again with another id.

Django builds and compiles a queryset afresh on every call. For a query made of many subqueries
(the portal's "Things to do", which every app adds to) that is several milliseconds of Python on
every request, many times the database's own work. The SQL of such a query depends only on its
shape and on one id, so `OneRowQuery` compiles it once, per process and database, with a marker in
place of the id, and then runs that SQL with the real id.

It refuses a query whose parameters hold a date or a time, or differ when it is built twice: that
moment would be frozen into the SQL at compile time. Such expressions use the database's clock
instead (`Now()`, `coprod.compiled.database_today()`)."""

from __future__ import annotations

import re
import zoneinfo
from collections.abc import Callable, Sequence
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import QuerySet
from django.db.models.functions import Now, TruncDate


class NotCompilable(ValueError):
    """The query cannot be compiled once: it holds a moment, or the id is not a parameter."""


def database_today() -> TruncDate:
    """Today in London (TIME_ZONE) by the database's clock, for expressions compiled once."""
    return TruncDate(Now(), tzinfo=zoneinfo.ZoneInfo(settings.TIME_ZONE))


# How a date or time looks once a database adapter has made it a string (SQLite's).
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}|$)|^\d{2}:\d{2}:\d{2}")


def _is_moment(value: object) -> bool:
    if isinstance(value, date | datetime | time):
        return True
    return isinstance(value, str) and _ISO_MOMENT.match(value) is not None


class OneRowQuery:
    """`build(id)` returns a `.values(...)` queryset of at most one row, filtered by that id.

    `run(id)` returns that row's values in the order of `build`'s values (a tuple), or None."""

    # An id no row has: it marks where the real id goes among the compiled parameters.
    MARKER = -7_315_029_446

    def __init__(self, build: Callable[[int], QuerySet]) -> None:
        queryset = build(self.MARKER)
        self.using = queryset.db
        sql, params = queryset.query.sql_with_params()
        positions = [index for index, value in enumerate(params) if value == self.MARKER]
        if len(positions) != 1:
            raise NotCompilable("the id must appear exactly once among the query's parameters")
        again = build(self.MARKER).query.sql_with_params()
        if any(_is_moment(value) for value in params) or again != (sql, params):
            raise NotCompilable(
                "the query holds a moment, which compiling once would freeze: use the database's "
                "clock (Now(), coprod.compiled.database_today())"
            )
        self.sql = sql
        self.params: Sequence[Any] = tuple(params)
        self.position = positions[0]

    def run(self, row_id: int) -> tuple[Any, ...] | None:
        params = list(self.params)
        params[self.position] = row_id
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, params)
            return cursor.fetchone()
