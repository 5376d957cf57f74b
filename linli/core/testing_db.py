"""Test support for races only a real database settles (PostgreSQL row locks and constraints).

`race(n, work)` runs `work(0)` … `work(n - 1)` in n threads released at the same moment, each on its own
database connection, and reports what each returned, refused (ValidationError) or failed with. Tests that use
it need `pytest.mark.django_db(transaction=True)`: the threads cannot see a test transaction's rows.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connections

#: a thread still running after this many seconds is reported as a failure, not waited for
TIMEOUT = 60


@dataclass
class Race:
    """What n simultaneous calls did. `outcomes[i]` is what call i returned, or the message it was refused with
    (a ValidationError's messages, joined), or the repr of any other exception."""

    outcomes: list = field(default_factory=list)
    #: what the calls that succeeded returned, in the order they finished
    results: list = field(default_factory=list)
    #: the messages of the calls refused with a ValidationError
    refusals: list[str] = field(default_factory=list)
    #: repr of every other exception (a deadlock or an IntegrityError lands here), and of a thread that hung
    failures: list[str] = field(default_factory=list)

    def __iter__(self):
        """`results, refusals, failures = race(...)`: the three lists most tests assert on."""
        return iter((self.results, self.refusals, self.failures))


def race(n: int, work: Callable[[int], object]) -> Race:
    """Run work(i) for i in range(n), in n threads released together; see Race."""
    barrier = threading.Barrier(n)
    outcome = Race(outcomes=[None] * n)
    lock = threading.Lock()

    def run(i):
        try:
            barrier.wait()
            value = work(i)
            with lock:
                outcome.outcomes[i] = value
                outcome.results.append(value)
        except ValidationError as exc:
            message = " ".join(exc.messages)
            with lock:
                outcome.outcomes[i] = message
                outcome.refusals.append(message)
        except Exception as exc:  # reported to the test, which asserts there were none
            with lock:
                outcome.outcomes[i] = repr(exc)
                outcome.failures.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(TIMEOUT)
    outcome.failures.extend(f"thread {i} still running after {TIMEOUT}s" for i, t in enumerate(threads) if t.is_alive())
    return outcome
