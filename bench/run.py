"""`make bench`: the app's key pages beside the framework's floor, under production settings.

Builds its own database (`seed_demo --scale 100` by default), serves the app and the floor
(bench/floor/) with the same gunicorn settings, signs in as each demo account that a page needs,
drives every page with closed-loop clients at each concurrency, the floor interleaved with the
pages, and prints a Markdown table (also written to .bench/last.md). Every setting has an
environment variable (for `make bench BENCH_SECONDS=10`) and an option (`--help`).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import django
import gunicorn

from bench import load, servers
from bench.pages import ACCOUNTS, PAGES, Page
from bench.signin import SignInError, sign_in

FLOOR = "floor"
STARTED = time.monotonic()


@dataclass(frozen=True)
class Options:
    seconds: float
    clients: list[int]
    rounds: int
    warm_up: float
    workers: int
    threads: int
    scale: int
    pages: list[Page]
    services: servers.Services
    directory: Path


def _numbers(text: str) -> list[int]:
    return [int(item) for item in text.replace(",", " ").split()]


# Option, environment variable, default, help. `make bench BENCH_SECONDS=10` or `--seconds 10`.
SETTINGS = [
    ("seconds", "BENCH_SECONDS", "5", "measured seconds per page per concurrency"),
    ("clients", "BENCH_CLIENTS", "1,8", "concurrent clients, comma-separated"),
    ("rounds", "BENCH_ROUNDS", "5", "slices of each page's time, interleaved with the floor's"),
    ("warm-up", "BENCH_WARM_UP", "0.5", "unmeasured seconds per page per concurrency first"),
    ("workers", "BENCH_WORKERS", "2", "gunicorn workers, for the app and the floor alike"),
    ("threads", "BENCH_THREADS", "1", "threads per worker: 1 is the sync worker, more gthread"),
    ("scale", "BENCH_SCALE", "100", "seed_demo --scale"),
    ("pages", "BENCH_PAGES", "", "only these paths, comma-separated (default: bench/pages.py)"),
    ("database", "BENCH_DATABASE", "coprod_bench", "PostgreSQL database, dropped and created"),
    ("postgres", "BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432", "PostgreSQL server"),
    ("redis", "BENCH_REDIS", "redis://127.0.0.1:6379", "Redis server"),
    ("redis-dbs", "BENCH_REDIS_DBS", "10,11", "Redis databases for broker and cache, emptied"),
    ("directory", "BENCH_DIR", ".bench", "where last.md and the server logs go"),
]


def parse_options(argv: Sequence[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    for name, variable, default, text in SETTINGS:
        parser.add_argument(
            f"--{name}",
            default=os.environ.get(variable, default),
            help=f"{text} ({variable}, default {default or 'none'})",
        )
    args = parser.parse_args(argv)

    pages = PAGES
    if args.pages.strip():
        known = {page.path: page for page in PAGES}
        wanted = [path.strip() for path in args.pages.split(",") if path.strip()]
        unknown = [path for path in wanted if path not in known]
        if unknown:
            parser.error(f"not in bench/pages.py: {', '.join(unknown)}")
        pages = [known[path] for path in wanted]
    try:
        seconds, warm_up = float(args.seconds), float(args.warm_up)
        rounds, workers, threads, scale = map(
            int, (args.rounds, args.workers, args.threads, args.scale)
        )
        clients = _numbers(args.clients)
        broker_db, cache_db = _numbers(args.redis_dbs)
    except ValueError as error:
        parser.error(str(error))
    if min(seconds, rounds, workers, threads, scale, *clients) <= 0 or not clients:
        parser.error("seconds, clients, rounds, workers, threads and scale must be positive")
    return Options(
        seconds=seconds,
        clients=clients,
        rounds=rounds,
        warm_up=warm_up,
        workers=workers,
        threads=threads,
        scale=scale,
        pages=pages,
        services=servers.Services(
            postgres=args.postgres.rstrip("/"),
            database=args.database,
            redis=args.redis.rstrip("/"),
            broker_db=broker_db,
            cache_db=cache_db,
        ),
        directory=servers.REPO_ROOT / args.directory,
    )


def say(message: str) -> None:
    print(f"bench [{time.monotonic() - STARTED:4.0f} s]: {message}", file=sys.stderr, flush=True)


def prepare(options: Options) -> dict[str, str]:
    """The database and Redis emptied, migrated, seeded, static files collected; the production
    settings checked. The environment the app runs with."""
    services = options.services
    say(f"database {services.database_url}, Redis {services.broker_url} and {services.cache_url}")
    # Its own static root: collectstatic must not rewrite the working tree's staticfiles/.
    env = {
        **servers.production_env(services),
        "COPROD_STATIC_ROOT": str(options.directory / "static"),
    }
    servers.recreate(services)
    servers.manage("migrate", "--no-input", "-v", "0", env=env)
    # seed_demo refuses to run without DEBUG: it creates accounts with a known password.
    say(f"seed_demo --scale {options.scale}")
    servers.manage("seed_demo", "--scale", str(options.scale), env={**env, "DJANGO_DEBUG": "1"})
    # The production static storage serves from the manifest that collectstatic writes.
    servers.manage("collectstatic", "--no-input", "-v", "0", env=env)
    servers.manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    return env


def app_settings(env: dict[str, str]) -> str:
    """The settings that most move the figures, as the app runs them."""
    code = "\n".join(
        [
            "import json; from django.conf import settings as s",
            "db = s.DATABASES['default']",
            "print(json.dumps([s.SESSION_ENGINE, s.CACHES['default']['BACKEND'],",
            "                  len(s.MIDDLEWARE), db['CONN_MAX_AGE']]))",
        ]
    )
    output = servers.manage("shell", "-c", code, env=env).strip().splitlines()[-1]
    sessions, cache, middleware, max_age = json.loads(output)
    return (
        f"sessions {sessions}, cache {cache}, {middleware} middleware, "
        f"database connections kept {max_age} s"
    )


def measure(
    options: Options, app: servers.Server, floor: servers.Server
) -> dict[tuple[str, int], load.Samples]:
    cookies = {}
    for name in dict.fromkeys(page.account for page in options.pages):
        first = next(page.path for page in options.pages if page.account == name)
        say(f"signing in as {ACCOUNTS[name].email}")
        cookies[name] = sign_in(app.port, ACCOUNTS[name], check_path=first).cookie_header()
    targets = [load.Target(FLOOR, floor.port, "/")] + [
        load.Target(page.path, app.port, page.path, cookies[page.account]) for page in options.pages
    ]
    samples = {
        (target.label, clients): load.Samples() for target in targets for clients in options.clients
    }
    for clients in options.clients:
        say(f"{clients} client(s): {len(targets)} targets, {options.seconds:g} s each")
        for target in targets:
            load.warm_up(target, clients=clients, seconds=options.warm_up)
        # The floor gets a slice in every round, between the pages: a disturbance of the machine
        # during the run touches both sides of the ratio.
        for _round in range(options.rounds):
            for target in targets:
                load.run(
                    target,
                    clients=clients,
                    seconds=options.seconds / options.rounds,
                    into=samples[(target.label, clients)],
                )
    return samples


def machine() -> str:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages * size / 2**30:.0f} GiB memory"
    except (ValueError, OSError, AttributeError):
        pass
    return f"{os.cpu_count()} cores ({model}){memory}, {platform.system()} {platform.release()}"


def load_average() -> str:
    """The machine's 1-minute load average: other work on it moves the figures."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "unknown"


def commit() -> str:
    def git(*args: str) -> str:
        # A fixed command, not outside input.
        return subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=servers.REPO_ROOT,
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    dirty = git("status", "--porcelain", "--untracked-files=no")
    return f"{head} with uncommitted changes" if dirty else head


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def report(
    options: Options,
    samples: dict[tuple[str, int], load.Samples],
    *,
    versions: dict[str, str],
    settings: str,
    took: float,
    load_before: str,
) -> str:
    worker = "gthread" if options.threads > 1 else "sync"
    slices = f"{options.rounds} slice{'s' if options.rounds > 1 else ''}"
    lines = [
        f"Measured {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}, commit {commit()}.",
        "",
        f"- Machine: {machine()}; load average {load_before} before the run, "
        f"{load_average()} at its end, the run's own load included.",
        f"- Software: Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {gunicorn.__version__}, PostgreSQL {versions['PostgreSQL']}, "
        f"Redis {versions['Redis']}.",
        f"- Settings: production (DEBUG off, HTTPS via X-Forwarded-Proto, Celery broker with no "
        f"worker), {settings}; seed_demo --scale {options.scale}.",
        f"- Servers: gunicorn with {options.workers} workers, {worker} worker class, "
        f"{options.threads} thread{'s' if options.threads > 1 else ''} each, no access log, "
        "on loopback; the floor (bench/floor: no middleware, one query, one small template) "
        "the same way, beside the app.",
        f"- Load: closed loop from the same machine, {options.seconds:g} s per page per "
        f"concurrency in {slices} interleaved with the floor's, after {options.warm_up:g} s of "
        f"warm-up; every response 200. The whole run took {took:.0f} s.",
        "",
    ]
    header = ["page", "as"]
    rule = ["---", "---"]
    for clients in options.clients:
        who = "1 client" if clients == 1 else f"{clients} clients"
        header += [f"{who}: median", "× floor", "p95", "× floor", "req/s"]
        rule += ["---:"] * 5
    lines += ["| " + " | ".join(header) + " |", "| " + " | ".join(rule) + " |"]
    rows = [(FLOOR, "—")] + [(f"`{page.path}`", page.account) for page in options.pages]
    labels = [FLOOR] + [page.path for page in options.pages]
    for (name, account), label in zip(rows, labels, strict=True):
        cells = [name, account]
        for clients in options.clients:
            page, floor = samples[(label, clients)], samples[(FLOOR, clients)]
            cells += [
                ms(page.median),
                f"{page.median / floor.median:.1f}",
                ms(page.p95),
                f"{page.p95 / floor.p95:.1f}",
                f"{page.per_second:.0f}",
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_options(argv)
    load_before = load_average()
    # Stopped by a signal: unwind, so the servers are stopped. SIGINT too, which a shell leaves
    # ignored for a job it starts in the background.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda signum, frame: sys.exit(128 + signum))
    running: list[servers.Server] = []
    try:
        versions = servers.versions(options.services)
        env = prepare(options)
        settings = app_settings(env)
        logs = options.directory
        common = {"workers": options.workers, "threads": options.threads}
        running.append(
            servers.gunicorn(
                "the app",
                "coprod.wsgi:application",
                cwd=servers.REPO_ROOT,
                env=env,
                ready_path="/healthz/",
                log=logs / "app.log",
                **common,
            )
        )
        running.append(
            servers.gunicorn(
                "the floor",
                "floorsite.wsgi:application",
                cwd=servers.FLOOR_ROOT,
                env=servers.floor_env(env),
                ready_path="/",
                log=logs / "floor.log",
                **common,
            )
        )
        app, floor = running
        say(f"app on port {app.port}, floor on port {floor.port}")
        samples = measure(options, app, floor)
    except (servers.SetupError, SignInError, load.BadResponse) as error:
        say(f"error: {error}")
        for server in running:
            tail = server.log_tail()
            if tail:
                say(f"last lines of {server.log}:\n{tail}")
        return 1
    except KeyboardInterrupt:
        say("interrupted")
        return 130
    finally:
        for server in running:
            server.stop()
    table = report(
        options,
        samples,
        versions=versions,
        settings=settings,
        took=time.monotonic() - STARTED,
        load_before=load_before,
    )
    options.directory.mkdir(parents=True, exist_ok=True)
    (options.directory / "last.md").write_text(table)
    print(table)
    say(f"written to {options.directory / 'last.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
