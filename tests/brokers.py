"""One test at a time on a Redis broker database.

`make test` runs two processes (pytest-xdist). The tests with a real Celery worker empty the
broker database and take whatever task is on its queue: two of them at once, one in each process,
would take (or wipe) each other's tasks. xdist's `--dist loadgroup` was meant to keep them in one
process, but with pytest 9.2 it groups nothing (it rewrites a node id field pytest no longer
reads: pytest-dev/pytest-xdist#1386), so each such test holds an exclusive lock on its broker
database for as long as it runs, whichever process (or checkout on this machine) it runs in."""

from __future__ import annotations

import fcntl
import hashlib
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def lock_path(broker_url: str) -> Path:
    digest = hashlib.sha256(broker_url.encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"coprod-test-broker-{digest}.lock"


@contextmanager
def broker_to_ourselves(broker_url: str) -> Iterator[None]:
    """Wait until no other test uses the broker database `broker_url`, then hold it."""
    with open(lock_path(broker_url), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
