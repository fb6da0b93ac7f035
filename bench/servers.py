"""The benchmark's own PostgreSQL database and Redis databases, the production settings, and the
two gunicorn servers (the app and the floor), stopped whatever happens."""

from __future__ import annotations

import http.client
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import redis
from cryptography.fernet import Fernet
from psycopg2 import sql

from bench.signin import HOST, PROXY_HEADERS

REPO_ROOT = Path(__file__).resolve().parent.parent
FLOOR_ROOT = REPO_ROOT / "bench" / "floor"

# Anything that configures coprod, Django or Celery is dropped from the inherited environment (CI
# and the test suite export several), so the servers see only what the benchmark sets.
CONFIG_PREFIXES = ("DJANGO_", "COPROD_", "CELERY_")
CONFIG_NAMES = frozenset(
    {"DATABASE_URL", "DATABASE_CONN_MAX_AGE", "REDIS_URL", "EMAIL_URL", "DEFAULT_FROM_EMAIL"}
)


class SetupError(RuntimeError):
    pass


@dataclass(frozen=True)
class Services:
    postgres: str  # server URL without a database name
    database: str
    redis: str  # server URL without a database number
    broker_db: int
    cache_db: int

    @property
    def database_url(self) -> str:
        return f"{self.postgres}/{self.database}"

    @property
    def broker_url(self) -> str:
        return f"{self.redis}/{self.broker_db}"

    @property
    def cache_url(self) -> str:
        return f"{self.redis}/{self.cache_db}"


def production_env(services: Services) -> dict[str, str]:
    """The settings production sets (README, "Production settings"), with fresh secrets.

    Celery has a broker and no worker: what a page enqueues waits in Redis, as it would for a
    busy worker, and never runs inside the request. Mail goes to the console, never out."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if name not in CONFIG_NAMES and not name.startswith(CONFIG_PREFIXES)
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "coprod.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": HOST,
        "COPROD_FIELD_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "DATABASE_URL": services.database_url,
        "CELERY_BROKER_URL": services.broker_url,
        "REDIS_URL": services.cache_url,
        "EMAIL_URL": "consolemail://",
    }


def floor_env(app_env: dict[str, str]) -> dict[str, str]:
    return {**app_env, "DJANGO_SETTINGS_MODULE": "floorsite.settings"}


def versions(services: Services) -> dict[str, str]:
    """Connects to both services (a clear error if one is not there) and says which they are."""
    try:
        connection = psycopg2.connect(f"{services.postgres}/postgres", connect_timeout=5)
    except psycopg2.OperationalError as error:
        raise SetupError(
            f"PostgreSQL at {services.postgres} does not answer ({error}".strip() + "). "
            "Start it, or point BENCH_POSTGRES at one."
        ) from error
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            postgres = cursor.fetchone()[0]
    finally:
        connection.close()
    try:
        info = redis.Redis.from_url(services.redis, socket_timeout=5).info("server")
    except redis.RedisError as error:
        raise SetupError(
            f"Redis at {services.redis} does not answer ({error}). "
            "Start it, or point BENCH_REDIS at one."
        ) from error
    return {"PostgreSQL": postgres.split()[0], "Redis": info["redis_version"]}


def recreate(services: Services) -> None:
    """An empty database and empty Redis databases: every run starts from the same state."""
    connection = psycopg2.connect(f"{services.postgres}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            name = sql.Identifier(services.database)
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    finally:
        connection.close()
    for url in {services.broker_url, services.cache_url}:
        redis.Redis.from_url(url).flushdb()


def manage(*args: str, env: dict[str, str]) -> str:
    # Fixed commands from this package, not outside input.
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SetupError(f"manage.py {' '.join(args)} failed:\n{result.stdout}")
    return result.stdout


@dataclass
class Server:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        # TERM: gunicorn lets workers finish what they are doing; the load has stopped already.
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def gunicorn(
    name: str,
    application: str,
    *,
    cwd: Path,
    env: dict[str, str],
    workers: int,
    threads: int,
    ready_path: str,
    log: Path,
) -> Server:
    """gunicorn serving `application` on a free loopback port, once it answers `ready_path`.

    The driver binds the socket itself and hands it over (`fd://`), so the port cannot be taken
    between choosing and binding it. No access log, as in production (gunicorn's default)."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind((HOST, 0))
    listener.listen(1024)
    port = listener.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        application,
        "--bind",
        f"fd://{listener.fileno()}",
        "--workers",
        str(workers),
        # gunicorn's sync worker handles one request at a time; more threads means gthread.
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--threads",
        str(threads),
        "--log-level",
        "warning",
    ]
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        # A fixed command; its own session, so only the driver stops it (and always does).
        process = subprocess.Popen(  # noqa: S603
            command,
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
            start_new_session=True,
        )
    listener.close()
    server = Server(name, process, port, log)
    try:
        _wait_until_ready(server, ready_path)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: Server, path: str, *, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise SetupError(f"{server.name} stopped at start-up:\n{server.log_tail()}")
        connection = http.client.HTTPConnection(HOST, server.port, timeout=10)
        try:
            connection.request("GET", path, headers=PROXY_HEADERS)
            response = connection.getresponse()
            response.read()
            status = response.status
            if status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.1)
    raise SetupError(
        f"{server.name} did not answer {path} with 200 in {timeout:.0f} s (last: {status}):\n"
        f"{server.log_tail()}"
    )
