"""The suite's own set-up: the real-worker tests never share a broker database at once."""

from __future__ import annotations

import subprocess
import sys

from tests.brokers import broker_to_ourselves, lock_path

TRY_LOCK = """
import fcntl, sys
with open(sys.argv[1], "a") as lock:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        sys.exit(3)
"""


def other_process_may_take(url: str) -> bool:
    result = subprocess.run(  # noqa: S603 (a fixed script, a path of ours)
        [sys.executable, "-c", TRY_LOCK, str(lock_path(url))], check=False, timeout=30
    )
    return result.returncode == 0


def test_a_broker_database_is_held_by_one_test_process_at_a_time():
    url, other = "redis://127.0.0.1:6379/97", "redis://127.0.0.1:6379/98"

    with broker_to_ourselves(url):
        assert not other_process_may_take(url)
        assert other_process_may_take(other)
    assert other_process_may_take(url)
