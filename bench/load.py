"""A closed-loop load generator: each client sends a request, waits for the whole answer, and
sends the next, for a fixed time. Latency is measured per request, connection set-up included
(gunicorn's sync workers close the connection after each response; with threads they keep it)."""

from __future__ import annotations

import http.client
import math
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench.signin import HOST, PROXY_HEADERS


class BadResponse(RuntimeError):
    pass


@dataclass(frozen=True)
class Target:
    label: str
    port: int
    path: str
    cookie: str = ""

    def headers(self) -> dict[str, str]:
        headers = dict(PROXY_HEADERS)
        if self.cookie:
            headers["Cookie"] = self.cookie
        return headers


@dataclass
class Samples:
    """Latencies (seconds) of one target at one concurrency, over all its time slices."""

    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def median(self) -> float:
        return statistics.median(self.latencies)

    @property
    def p95(self) -> float:
        ordered = sorted(self.latencies)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]

    @property
    def per_second(self) -> float:
        return len(self.latencies) / self.seconds


def fetch(connection: http.client.HTTPConnection, target: Target) -> None:
    connection.request("GET", target.path, headers=target.headers())
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        location = response.headers.get("Location", "")
        raise BadResponse(
            f"{target.label}: GET {target.path} answered {response.status} {location}, not 200. "
            f"{body[:300].decode('utf-8', 'replace')}"
        )


def run(target: Target, *, clients: int, seconds: float, into: Samples) -> None:
    """`clients` closed loops against `target` for `seconds`; adds the latencies to `into`.
    Raises BadResponse on the first answer that is not 200."""
    start = threading.Barrier(clients + 1)
    per_client: list[list[float]] = [[] for _ in range(clients)]
    failures: list[BaseException] = []
    stop = threading.Event()

    def client(latencies: list[float]) -> None:
        connection = http.client.HTTPConnection(HOST, target.port, timeout=60)
        try:
            start.wait()
            deadline = time.perf_counter() + seconds
            while not stop.is_set():
                began = time.perf_counter()
                if began >= deadline:
                    break
                fetch(connection, target)
                latencies.append(time.perf_counter() - began)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
            stop.set()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=client, args=(latencies,), daemon=True) for latencies in per_client
    ]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    into.seconds += time.perf_counter() - began
    if failures:
        raise failures[0]
    for latencies in per_client:
        into.latencies.extend(latencies)


def warm_up(target: Target, *, clients: int, seconds: float) -> None:
    """Load not counted, so that every worker has its database connection and compiled templates
    before the clock runs (and a page that is not 200 stops the run early)."""
    run(target, clients=clients, seconds=seconds, into=Samples())
