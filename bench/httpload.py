"""The HTTP load loop shared by the benchmarks (bench/servers.py, bench/appeals.py): client threads against a local
server for a bounded time, counting answers and timing each request. No Django: a bench's own process may not have
set it up."""

from __future__ import annotations

import http.client
import threading
import time
from collections.abc import Callable


def hammer(
    port: int,
    path: str,
    *,
    seconds: float,
    threads: int,
    method: str = "GET",
    headers: dict | None = None,
    body_for: Callable[[int, int], object] | None = None,
    keep_alive: bool = True,
    ok_statuses: tuple[int, ...] = (200,),
) -> tuple[float, int, list[float]]:
    """(requests/s answered with one of `ok_statuses`, errors, every request's latency in seconds) over `seconds`
    from `threads` threads. keep_alive: one connection per thread, reopened when the server closes it or fails;
    otherwise a new connection per request (HTTP/1.0 style). body_for(thread, n) gives the n-th request's body."""
    stop = time.perf_counter() + seconds
    done, errors, latencies = [0] * threads, [0] * threads, [[] for _ in range(threads)]

    def connect():
        return http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def worker(i):
        conn = connect() if keep_alive else None
        n = 0
        while time.perf_counter() < stop:
            if not keep_alive:
                conn = connect()
            body = body_for(i, n) if body_for else None
            start = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers or {})
                response = conn.getresponse()
                response.read()
                ok = response.status in ok_statuses
                if not keep_alive or response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                if keep_alive:
                    conn = connect()
            latencies[i].append(time.perf_counter() - start)
            n += 1
            done[i] += ok
            errors[i] += not ok
        conn.close()

    start = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - start
    return sum(done) / elapsed, sum(errors), [x for row in latencies for x in row]
