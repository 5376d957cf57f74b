"""Timing helpers shared by the benchmarks: a page through Django's test client against the same SQL on a raw
cursor, an ORM queryset against its SQL, percentiles and the printed table. Import after django.setup()."""

from __future__ import annotations

import gc
import os
import statistics
import time
from pathlib import Path

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from linli.accounts.models import AreaAssignment, User

SKIP = ("SAVEPOINT", "RELEASE", "ROLLBACK")


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def ms(values, p):
    return percentile(values, p) * 1000


def bench_user(username, role, node):
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "full_name": username})
    if user.role != role:
        user.role = role
        user.save(update_fields=["role"])
    user.assignments.all().delete()
    AreaAssignment.objects.create(user=user, **{type(node).__name__.lower(): node})
    return user


def statements(queries):
    return [q["sql"] for q in queries if not q["sql"].startswith(SKIP) and "django_session" not in q["sql"]]


def raw_times(sqls) -> list[float]:
    """Run the statements again on a raw cursor; seconds per statement."""
    out = []
    with connection.cursor() as cursor:
        for sql in sqls:
            start = time.perf_counter()
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
            out.append(time.perf_counter() - start)
    return out


def backend_pid() -> int | None:
    """This connection's PostgreSQL backend process, when it runs on this machine (None elsewhere)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    return pid if Path(f"/proc/{pid}/stat").exists() else None


def backend_cpu(pid: int | None) -> float:
    """utime + stime of a PostgreSQL backend on this machine, in seconds (clock ticks: ~10 ms a tick)."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class GCClock:
    """Seconds spent in the garbage collector (and collections of generation 2) while enabled: gc.callbacks."""

    def __init__(self):
        self.seconds, self.full, self._start = 0.0, 0, None

    def __call__(self, phase, info):
        if phase == "start":
            self._start = time.perf_counter()
        elif self._start is not None:
            self.seconds += time.perf_counter() - self._start
            self.full += info.get("generation") == 2
            self._start = None

    def __enter__(self):
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc):
        gc.callbacks.remove(self)


def freeze_as_a_worker(client: Client | None = None) -> None:
    """Do what production's server does before its workers serve (linli/ops/gunicorn_conf.py when_ready): put what
    the process loaded at start out of the garbage collector's sight (after one request through `client`, which
    imports the views), so a full collection during a measured request walks only what the requests made."""
    if client is not None:
        client.get("/")
    gc.collect()
    gc.freeze()


def run_page(client: Client, url: str, runs: int, warm: int = 3, cpu: dict | None = None):
    """Wall time of the page and of its SQL re-run on a raw cursor, the statements, their count. With `cpu` (a dict),
    also per run: "python" (this process's CPU time for the request: time.process_time, so waiting for a core or
    for PostgreSQL does not count), "pg" (the PostgreSQL backend's CPU, same machine, in 10 ms clock ticks) and
    "gc" (time in the garbage collector) — a slow run with ordinary CPU was the machine's load, not the code."""
    page, raw, per_statement, nqueries = [], [], [], []
    pid = backend_pid() if cpu is not None else None
    for i in range(warm + runs):
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx, GCClock() as gc_clock:
            pg = backend_cpu(pid)
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - start_cpu
            pg = backend_cpu(pid) - pg
        assert response.status_code == 200, (url, response.status_code)
        sqls = statements(ctx.captured_queries)
        times = raw_times(sqls)
        if i >= warm:
            page.append(elapsed)
            raw.append(sum(times))
            per_statement.append(list(zip(times, sqls)))
            nqueries.append(len(ctx.captured_queries))
            if cpu is not None:
                cpu.setdefault("python", []).append(elapsed_cpu)
                cpu.setdefault("pg", []).append(pg)
                cpu.setdefault("gc", []).append(gc_clock.seconds)
    return page, raw, per_statement, statistics.median(nqueries)


def run_orm(make, runs: int, warm: int = 3):
    orm, raw = [], []
    for i in range(warm + runs):
        qs = make()
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            list(qs)
            elapsed = time.perf_counter() - start
        raw_elapsed = sum(raw_times(statements(ctx.captured_queries)))
        if i >= warm:
            orm.append(elapsed)
            raw.append(raw_elapsed)
    return orm, raw


def line(name, a, b, extra=""):
    a50, a95, b50, b95 = ms(a, 50), ms(a, 95), ms(b, 50), ms(b, 95)
    ratio = a95 / b95 if b95 else float("inf")
    print(f"{name:44} {a50:9.1f}ms {a95:9.1f}ms {b50:8.1f}ms {b95:8.1f}ms {ratio:5.1f}x {extra}", flush=True)
    return a95, ratio


def slowest(per_statement, n=3):
    """The statements of a page by median raw time, slowest first."""
    by_index = {}
    for run in per_statement:
        for i, (t, sql) in enumerate(run):
            by_index.setdefault(i, (sql, []))[1].append(t)
    rows = sorted(((statistics.median(ts), sql) for sql, ts in by_index.values()), reverse=True)
    for t, sql in rows[:n]:
        print(f"    {t * 1000:8.1f} ms  {' '.join(sql.split())[:150]}")
