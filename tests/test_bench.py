"""`make bench` keeps working: the harness runs for a moment over every page of bench/pages.py.

It is a benchmark, not a test of speed: nothing here is timed. It needs PostgreSQL and Redis, and
uses the servers the suite uses, with databases of its own (never the developer's coprod_bench)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from bench.pages import PAGES
from tests.conftest import require_env_or_skip

REPO_ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.bench


def server_of(url: str) -> str:
    """`scheme://user@host:port` of a database URL, without the database."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def run_bench(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # A fixed command. TERM, not KILL, on a timeout: the harness then stops its servers.
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.run"],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=90)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate()
        pytest.fail(f"the benchmark did not finish in 90 s:\n{stderr}")
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_bench_prints_every_page_beside_the_floor(tmp_path: Path) -> None:
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")) or not redis_url:
        require_env_or_skip(
            "COPROD_REQUIRE_WORKER",
            "the benchmark needs PostgreSQL and Redis (DATABASE_URL and REDIS_URL)",
        )
    env = {name: value for name, value in os.environ.items() if not name.startswith("BENCH_")}
    env |= {
        "BENCH_POSTGRES": server_of(database_url),
        "BENCH_DATABASE": "coprod_bench_smoke",
        "BENCH_REDIS": server_of(redis_url),
        "BENCH_REDIS_DBS": "12,12",
        "BENCH_SCALE": "1",
        "BENCH_CLIENTS": "1,2",
        "BENCH_SECONDS": "0.1",
        "BENCH_ROUNDS": "1",
        "BENCH_WARM_UP": "0.05",
        "BENCH_DIR": str(tmp_path),
    }

    result = run_bench(env)

    assert result.returncode == 0, result.stderr
    rows = [line.split("|")[1:-1] for line in result.stdout.splitlines() if line.startswith("|")]
    assert [row[0].strip() for row in rows] == (
        ["page", "---", "floor"] + [f"`{page.path}`" for page in PAGES]
    )
    # Each page: who it is seen as, then median, × floor, p95, × floor, req/s at each concurrency.
    assert {len(row) for row in rows} == {2 + 2 * 5}
    assert all(row[2].strip().endswith(" ms") for row in rows[2:])
    assert (tmp_path / "last.md").read_text() in result.stdout
