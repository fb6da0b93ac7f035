"""A closed-loop load generator: each client sends a request, waits for the whole answer, and
sends the next, for a fixed time. Latency is measured per request, connection set-up included
(gunicorn's sync workers close the connection after each response; with threads they keep it).

The client speaks just enough HTTP/1.1 over a socket: http.client parses headers with the email
package, and cost the load generator about 230 µs of CPU per request, a third of the floor's
latency on this machine, and at 8 clients held the floor to half the rate it can serve (the
clients share the machine and the GIL). This one costs about 60 to 130 µs.
"""

from __future__ import annotations

import math
import socket
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


class Connection:
    """One client's connection to a server, opened again when the server closes it."""

    def __init__(self, target: Target) -> None:
        self.address = (HOST, target.port)
        lines = [f"GET {target.path} HTTP/1.1", f"Host: {HOST}:{target.port}"]
        lines += [f"{name}: {value}" for name, value in target.headers().items()]
        self.request = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.socket: socket.socket | None = None
        self.buffer = b""

    def close(self) -> None:
        if self.socket is not None:
            self.socket.close()
            self.socket = None

    def _receive(self) -> None:
        assert self.socket is not None
        chunk = self.socket.recv(262144)
        if not chunk:
            raise ConnectionError("the server closed the connection")
        self.buffer += chunk

    def _read_until(self, marker: bytes) -> bytes:
        while (end := self.buffer.find(marker)) < 0:
            self._receive()
        found, self.buffer = self.buffer[:end], self.buffer[end + len(marker) :]
        return found

    def _read(self, length: int) -> bytes:
        while len(self.buffer) < length:
            self._receive()
        found, self.buffer = self.buffer[:length], self.buffer[length:]
        return found

    def get(self) -> tuple[int, dict[str, str], bytes]:
        """Status, headers (names in lower case) and body of one GET."""
        if self.socket is None:
            self.socket = socket.create_connection(self.address, timeout=60)
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.buffer = b""
        self.socket.sendall(self.request)
        status_line, *lines = self._read_until(b"\r\n\r\n").decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        headers = {}
        for line in lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = self._read(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int(self._read_until(b"\r\n").split(b";")[0], 16):
                chunks.append(self._read(size))
                self._read(2)
            self._read_until(b"\r\n")  # no trailers
            body = b"".join(chunks)
        else:
            # Neither: the body ends when the server closes the connection.
            try:
                while True:
                    self._receive()
            except ConnectionError:
                body, self.buffer = self.buffer, b""
            self.close()
        if headers.get("connection", "").lower() == "close":
            self.close()
        return status, headers, body


def fetch(connection: Connection, target: Target) -> None:
    status, headers, body = connection.get()
    if status != 200:
        raise BadResponse(
            f"{target.label}: GET {target.path} answered {status} {headers.get('location', '')}, "
            f"not 200. {body[:300].decode('utf-8', 'replace')}"
        )


def run(target: Target, *, clients: int, seconds: float, into: Samples) -> None:
    """`clients` closed loops against `target` for `seconds`; adds the latencies to `into`.
    Raises BadResponse on the first answer that is not 200."""
    start = threading.Barrier(clients + 1)
    per_client: list[list[float]] = [[] for _ in range(clients)]
    failures: list[BaseException] = []
    stop = threading.Event()

    def client(latencies: list[float]) -> None:
        connection = Connection(target)
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
