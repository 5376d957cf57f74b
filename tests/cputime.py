"""CPU seconds (getrusage: user + system) per test phase, summed per module at the end of the run (docs/testing.md):

    .venv/bin/python -m pytest -p tests.cputime MODULES

The machine is shared, so wall-clock times swing with the load; CPU time does not. CPUTIME_OUT=FILE also writes
one line per test phase (node id, phase, seconds)."""

import os
import resource
from collections import defaultdict

import pytest

_rows = []
_start = None


def _cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def pytest_sessionstart(session):
    global _start
    _start = _cpu()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item):
    t = _cpu()
    yield
    _rows.append((item.nodeid, "setup", _cpu() - t))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    t = _cpu()
    yield
    _rows.append((item.nodeid, "call", _cpu() - t))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    t = _cpu()
    yield
    _rows.append((item.nodeid, "teardown", _cpu() - t))


def pytest_terminal_summary(terminalreporter):
    total = _cpu() - _start
    per_mod = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    for nodeid, phase, sec in _rows:
        mod = nodeid.split("::")[0]
        i = {"setup": 1, "call": 2, "teardown": 3}[phase]
        per_mod[mod][i] += sec
        if phase == "call":
            per_mod[mod][0] += 1
    out = os.environ.get("CPUTIME_OUT")
    if out:
        with open(out, "w") as f:
            for r in _rows:
                f.write(f"{r[0]}\t{r[1]}\t{r[2]:.4f}\n")
    tw = terminalreporter
    tw.write_line(f"cputime: session {total:.1f} CPU-s; tests {sum(r[2] for r in _rows):.1f}")
    for mod, (n, s, c, t) in sorted(per_mod.items(), key=lambda kv: -sum(kv[1][1:])):
        tw.write_line(f"cputime {s + c + t:7.2f} setup {s:6.2f} call {c:6.2f} teardown {t:5.2f} n={n:4d} {mod}")
