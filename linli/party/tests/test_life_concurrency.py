"""Two secretaries at once (PostgreSQL row locks): one year's 民主评议 of a branch is opened once, the other gets the
Chinese message, not a database error; two reminder runs together tell the secretary once."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from linli.notifications.models import Notification
from linli.party.models import Appraisal
from linli.party.services_life import remind_due, start_appraisal
from linli.party.testing import build_party_world


def run_twice(task):
    barrier = threading.Barrier(2)
    results, failures = [], []

    def worker():
        from django.db import connections

        try:
            barrier.wait()
            results.append(task())
        except ValidationError as exc:
            results.append(exc)
        except Exception as exc:  # pragma: no cover - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert failures == []
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_secretaries_opening_the_same_appraisal_make_one(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks: tested on PostgreSQL")
    pw = build_party_world(world)
    results = run_twice(lambda: start_appraisal(pw.orgs["e1"], actor=pw.actor("grid_worker_1"), year=2026))
    assert Appraisal.objects.filter(org=pw.orgs["e1"], year=2026).count() == 1
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1 and "已经建立" in str(refused[0])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_tell_the_secretary_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("unique keys under concurrency: tested on PostgreSQL")
    pw = build_party_world(world)
    run_twice(lambda: remind_due(datetime.date(2026, 11, 23)))
    assert Notification.objects.filter(user=pw.users["grid_worker_1"]).count() == 2
