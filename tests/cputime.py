"""CPU seconds (getrusage: user + system) per test phase, summed per module at the end of the run (docs/testing.md):

    .venv/bin/python -m pytest -p tests.cputime MODULES

The machine is shared, so wall-clock times swing with the load; CPU time does not. CPUTIME_OUT=FILE also writes
one line per test phase (node id, phase, seconds, server seconds).

On a PostgreSQL server of this machine (DATABASE_URL=postgres://…@127.0.0.1/…), the CPU of the server process behind
the test's connection (/proc/PID/stat of its backend) is counted too, in the column `server`: each statement is a
round trip there, and on 2 cores the server's CPU is taken from the other half of `make test`. A phase that ends on
another backend than it began with (the connection was closed and opened again) counts none; the backends of other
threads' connections (live_server, concurrency tests) are not counted."""

import os
import resource
from collections import defaultdict

import pytest

_rows = []
_start = None
_server = {"pid": None, "start": 0.0, "total": 0.0}
_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _backend():
    """(pid, CPU seconds) of the PostgreSQL backend behind this thread's default connection, or (None, 0)."""
    try:
        from django.db import connection

        if connection.vendor != "postgresql" or connection.connection is None or connection.connection.closed:
            return None, 0.0
        pid = connection.connection.info.backend_pid
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return pid, (int(fields[11]) + int(fields[12])) / _TICKS
    except Exception:  # no Django yet, another database, a server elsewhere
        return None, 0.0


def pytest_sessionstart(session):
    global _start
    _start = _cpu()


def _measure(item, phase):
    t = _cpu()
    pid, s = _backend()
    yield
    pid2, s2 = _backend()
    server = s2 - s if pid is not None and pid == pid2 else 0.0
    _rows.append((item.nodeid, phase, _cpu() - t, server))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    yield from _measure(item, "setup")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    yield from _measure(item, "call")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    yield from _measure(item, "teardown")


def pytest_terminal_summary(terminalreporter):
    total = _cpu() - _start
    per_mod = defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0])
    for nodeid, phase, sec, server in _rows:
        mod = nodeid.split("::")[0]
        i = {"setup": 1, "call": 2, "teardown": 3}[phase]
        per_mod[mod][i] += sec
        per_mod[mod][4] += server
        if phase == "call":
            per_mod[mod][0] += 1
    out = os.environ.get("CPUTIME_OUT")
    if out:
        with open(out, "w") as f:
            for r in _rows:
                f.write(f"{r[0]}\t{r[1]}\t{r[2]:.4f}\t{r[3]:.2f}\n")
    tw = terminalreporter
    server = sum(r[3] for r in _rows)
    tw.write_line(
        f"cputime: session {total:.1f} CPU-s; tests {sum(r[2] for r in _rows):.1f}"
        + (f"; PostgreSQL server (the tests' connection) {server:.1f}" if server else "")
    )
    for mod, (n, s, c, t, srv) in sorted(per_mod.items(), key=lambda kv: -sum(kv[1][1:])):
        tw.write_line(
            f"cputime {s + c + t:7.2f} setup {s:6.2f} call {c:6.2f} teardown {t:5.2f}"
            + (f" server {srv:6.2f}" if server else "")
            + f" n={n:4d} {mod}"
        )
