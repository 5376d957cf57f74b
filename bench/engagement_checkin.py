"""Check-in benchmark: 500 volunteers checking in to one activity, through the service and through the page.

    .venv/bin/python bench/engagement_checkin.py [--volunteers 500]                      # SQLite (var/)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/python bench/engagement_checkin.py

The database must be migrated; the benchmark makes its own street, community, activity and volunteers (with
accounts), commits them, and deletes them all afterwards. Cases, each of N volunteers checking in one after
another to the same activity (the busy minute at the start of a patrol):
- service: linli.volunteers.services.check_in per volunteer (its own transaction, a commit each);
- service, 4 processes: N more volunteers checking in at once from 4 worker processes (check-ins share the
  activity row FOR SHARE, so they should not queue on it; --checkin-workers);
- page: the volunteer's POST to the scan page with a fresh signed code, through Django's test client
  (session, CSRF-exempt client, middleware, the scan and the rendered answer), then the same for check-out.
Prints throughput (check-ins per second) and p50/p95 per check-in. No goals: this is a measurement.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.models import User  # noqa: E402
from linli.areas.models import Community, Street  # noqa: E402
from linli.core.audit import actor_of  # noqa: E402
from linli.core.models import ChangeRecord  # noqa: E402
from linli.lovebank.models import Account, Entry, Transaction  # noqa: E402
from linli.volunteers import services, tokens  # noqa: E402
from linli.volunteers.models import Activity, Attendance, SignUp, Volunteer  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import ms  # noqa: E402

PREFIX = "bench_vol_"


def setup(n: int):
    """A community, one running activity with room for everyone, 3n volunteers with accounts, all signed up."""
    now = timezone.now()
    with transaction.atomic():
        street = Street.objects.create(code=f"{PREFIX}street", name="签到测试街")
        community = Community.objects.create(street=street, code=f"{PREFIX}c", name="签到测试社区")
        users = User.objects.bulk_create(
            [
                User(username=f"{PREFIX}{i}", role="volunteer", password="!", full_name=f"志愿者{i}")
                for i in range(3 * n)
            ]
        )
        volunteers = Volunteer.objects.bulk_create(
            [Volunteer(community=community, user=u, name=u.full_name, phone=f"139{i:08d}") for i, u in enumerate(users)]
        )
        activity = Activity.objects.create(
            community=community,
            title="签到压力测试",
            kind="patrol",
            starts_at=now - datetime.timedelta(minutes=5),
            ends_at=now + datetime.timedelta(hours=3),
            place="广场",
            capacity=3 * n,
        )
        SignUp.objects.bulk_create(
            [SignUp(activity=activity, volunteer=v, status="confirmed", signed_up_at=now) for v in volunteers]
        )
    return activity, volunteers[:n], volunteers[n : 2 * n], volunteers[2 * n :]


def cleanup() -> None:
    with transaction.atomic():
        ids = list(Attendance.objects.filter(activity__community__code=f"{PREFIX}c").values_list("pk", flat=True))
        ChangeRecord.objects.filter(
            content_type=ContentType.objects.get_for_model(Attendance), object_id__in=ids
        ).delete()
        Attendance.objects.filter(pk__in=ids).delete()
        # Check-outs earn love-bank points (outside accounts keyed by the volunteers' phones).
        Entry.objects.filter(account__community__code=f"{PREFIX}c").delete()
        Transaction.objects.filter(community__code=f"{PREFIX}c").delete()
        Account.objects.filter(community__code=f"{PREFIX}c").delete()
        Activity.objects.filter(community__code=f"{PREFIX}c").delete()
        Volunteer.objects.filter(community__code=f"{PREFIX}c").delete()
        User.objects.filter(username__startswith=PREFIX).delete()
        Community.objects.filter(code=f"{PREFIX}c").delete()
        Street.objects.filter(code=f"{PREFIX}street").delete()


def report(name: str, times: list[float], wall: float) -> None:
    print(
        f"{name:36} {len(times):5d} {len(times) / wall:9.1f}/s {ms(times, 50):8.1f}ms {ms(times, 95):8.1f}ms",
        flush=True,
    )


def add_arguments(parser) -> None:
    parser.add_argument("--volunteers", type=int, default=500, help="volunteers per check-in case")
    parser.add_argument("--checkin-workers", type=int, default=4, help="processes of the concurrent check-in case")


def _check_in_chunk(args) -> list[float]:
    """In a worker process: check these volunteers in, one after another; seconds per call."""
    activity_id, volunteer_ids = args
    activity = Activity.objects.get(pk=activity_id)
    times = []
    for v in Volunteer.objects.filter(pk__in=volunteer_ids).select_related("user"):
        start = time.perf_counter()
        services.check_in(activity, v, actor=actor_of(v.user))
        times.append(time.perf_counter() - start)
    return times


def concurrent_check_ins(activity, volunteers, workers: int) -> tuple[list[float], float]:
    """Check the volunteers in from `workers` processes at once (processes, not threads: threads would queue on
    Python's interpreter lock, not on the database); per-call seconds and the wall time."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from django.db import connections

    connections.close_all()  # each forked worker opens its own connection
    chunks = [(activity.pk, [v.pk for v in volunteers[i::workers]]) for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        pool.submit(time.sleep, 0).result()  # workers started before the clock runs
        start_all = time.perf_counter()
        results = list(pool.map(_check_in_chunk, chunks))
        wall = time.perf_counter() - start_all
    return [t for chunk in results for t in chunk], wall


def measure(n: int, workers: int = 4) -> list[tuple[str, list[float], float]]:
    """(case, seconds per call, wall seconds) for the three cases; everything made here is deleted afterwards."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    cleanup()  # leftovers of an interrupted run
    activity, by_service, by_page, by_workers = setup(n)
    out = []
    try:
        times = []
        start_all = time.perf_counter()
        for v in by_service:
            start = time.perf_counter()
            services.check_in(activity, v, actor=actor_of(v.user))
            times.append(time.perf_counter() - start)
        out.append(("check_in (service)", times, time.perf_counter() - start_all))
        times, wall = concurrent_check_ins(activity, by_workers, workers)
        assert len(times) == n, "a concurrent check-in failed"
        out.append((f"check_in (service, {workers} processes)", times, wall))

        url = reverse("volunteers:activity_scan", args=[activity.pk])
        for label, kind in (("scan page: check-in (test client)", "in"), ("scan page: check-out (test client)", "out")):
            clients = []
            for v in by_page:
                client = Client()
                client.force_login(v.user)
                clients.append(client)
            times, wall = [], 0.0
            for client in clients:
                data = {"t": tokens.make_token(activity.pk, kind)}
                start = time.perf_counter()
                response = client.post(url, data)
                elapsed = time.perf_counter() - start
                assert response.status_code == 200, response.content.decode()[:500]
                times.append(elapsed)
                wall += elapsed
            out.append((label, times, wall))
        assert Attendance.objects.filter(activity=activity).count() == 3 * n
        assert Attendance.objects.filter(activity=activity, status="confirmed").count() == n
    finally:
        cleanup()
    return out


def run(args) -> list[tuple[str, list[float], float]]:
    """The section bench/engagement.py runs."""
    return measure(args.volunteers, args.checkin_workers)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}; {args.volunteers} volunteers per case")
    print(f"{'case':36} {'n':>5} {'throughput':>11} {'p50':>10} {'p95':>10}")
    for name, times, wall in measure(args.volunteers, args.checkin_workers):
        report(name, times, wall)


if __name__ == "__main__":
    main()
