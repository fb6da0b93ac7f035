"""Query-count helper for list pages: the number of queries must not grow with the rows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext


def count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)


def assert_queries_do_not_grow(
    client: Client, url: str, add_row: Callable[[], object], *, rows: tuple[int, int] = (1, 4)
) -> int:
    """Render `url` with `rows[0]` rows, then with `rows[1]`; the query counts must be equal.

    Returns the count, so a test can also pin it."""
    few, many = rows
    for _ in range(few):
        add_row()
    client.get(url)  # warm per-process caches (content types, site) so they are not counted
    with_few = count_queries(client, url)
    for _ in range(many - few):
        add_row()
    with_many = count_queries(client, url)
    assert with_few == with_many, (
        f"{url}: {with_few} queries with {few} rows, {with_many} with {many}"
    )
    return with_many
