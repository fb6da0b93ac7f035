"""Container health checks for docker-compose.yml. Exit 0 when healthy, 1 when not.

    python deploy/healthcheck.py http http://127.0.0.1:8000/healthz/
    python deploy/healthcheck.py broker

The standard library only for `http`, so that a check every few seconds costs almost nothing.
"""

from __future__ import annotations

import http.client
import os
import sys
from urllib.parse import urlsplit


def host_header() -> str:
    """The first name in DJANGO_ALLOWED_HOSTS: Django answers 400 to a Host it does not know."""
    hosts = [h.strip() for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h.strip()]
    if not hosts or hosts[0] == "*":
        return "localhost"
    # ".example.org" allows example.org and its subdomains.
    return hosts[0].lstrip(".")


def check_http(url: str) -> str | None:
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        return f"expected an http:// URL, not {url!r}"
    connection = http.client.HTTPConnection(parts.hostname, parts.port or 80, timeout=5)
    try:
        # Redirects are not followed: a redirect from the health URL is itself a fault.
        connection.request("GET", parts.path or "/", headers={"Host": host_header()})
        status = connection.getresponse().status
    except OSError as error:
        return f"{url}: {error}"
    finally:
        connection.close()
    return None if status == 200 else f"{url} answered {status}"


def check_broker() -> str | None:
    """The broker accepts a connection: beat has nothing better to offer as a sign of life."""
    from kombu import Connection

    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url:
        return "CELERY_BROKER_URL is not set"
    try:
        with Connection(url, connect_timeout=5) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:  # kombu raises transport-specific errors; any of them is a failure.
        return f"broker: {type(error).__name__}: {error}"
    return None


def main(argv: list[str]) -> int:
    if argv[:1] == ["http"] and len(argv) == 2:
        problem = check_http(argv[1])
    elif argv == ["broker"]:
        problem = check_broker()
    else:
        problem = "usage: healthcheck.py http URL | healthcheck.py broker"
    if problem:
        print(problem)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
