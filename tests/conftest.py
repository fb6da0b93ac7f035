from __future__ import annotations

import os

import pytest

from tests.caches import clear_own_cache


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """Make the database contents serialized at set-up visible to every connection.

    Django keeps them on the connection object, and connections are per thread, or per context
    when an event loop runs in the thread: Playwright's sync API runs one, so browser tests get a
    connection of their own, without the contents, and their serialized rollback would silently
    restore nothing (emptying migration data for every test after them)."""
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = connection.__dict__.get("_test_serialized_contents")
        if contents is not None:
            type(connection)._test_serialized_contents = contents


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache: without this they leak from one test to the next."""
    clear_own_cache()
    yield
    clear_own_cache()


@pytest.fixture(autouse=True)
def _email_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def require_env_or_skip(flag: str, reason: str) -> None:
    """Skip with `reason`, unless `flag` is set in the environment (CI), where skipping fails."""
    if os.environ.get(flag):
        pytest.fail(f"{reason} (and {flag} is set, so this must not be skipped)")
    pytest.skip(reason)


LONGEST_FIRST = (
    "tests/test_page_queries.py",
    "tests/test_bench.py",
    "tests/coprod/test_doors.py::test_seed_demo_at_a_scale",
    "tests/recruitment/test_demo.py::test_demo_at_a_scale",
    "tests/funding/test_demo.py::test_at_a_scale",
)


def pytest_collection_modifyitems(config, items):
    """Transactional tests (live server, real worker) empty every table when they end. Unless
    they use serialized rollback, migration data (consent texts, staff groups, content types) is
    gone for the tests after them, or comes back with clashing ids. Refuse them at collection.

    Tests with a real Celery worker share one broker queue: under pytest-xdist (`make test` runs
    two processes, `--dist loadgroup`) they are kept in one group, so they run one after the
    other in the same process and no worker takes another test's tasks (a test that asks for
    the `worker` fixture without the mark as well). With pytest 9.2 xdist groups nothing
    (pytest-dev/pytest-xdist#1386): the lock of tests/brokers.py is what keeps them apart."""
    for item in items:
        if item.get_closest_marker("worker") is not None or "worker" in item.fixturenames:
            item.add_marker(pytest.mark.xdist_group("broker"))
        marker = item.get_closest_marker("django_db")
        transactional = (
            "transactional_db" in item.fixturenames
            or "live_server" in item.fixturenames
            or (marker is not None and marker.kwargs.get("transaction"))
        )
        serialized = "django_db_serialized_rollback" in item.fixturenames or (
            marker is not None and marker.kwargs.get("serialized_rollback")
        )
        if transactional and not serialized:
            raise pytest.UsageError(
                f"{item.nodeid} uses a transactional database without serialized rollback: "
                "request the `django_db_serialized_rollback` fixture or mark it "
                "`django_db(transaction=True, serialized_rollback=True)`."
            )
    # The longest tests (seeding the demo at scale 100, the benchmark) first: handed out last,
    # one of them would keep one process busy minutes after the other has finished.
    items.sort(key=lambda item: not item.nodeid.startswith(LONGEST_FIRST))
