"""Notices benchmark: a ~100,000-resident audience counted, then sent with SMS and in Linli (households fixed, one
SMS queued per phone), inside one transaction rolled back at the end: the database is left as it was.

Run on PostgreSQL with city-scale data:
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench
    .venv/bin/linli migrate && .venv/bin/linli demo --communities 122      # ~1,000,000 residents
    .venv/bin/python bench/notices.py [--residents 100000] [--runs 3]

A notice belongs to one community, so a street-wide announcement is one notice per community (the street office
sends them together): the communities of the first street, then of the next, until the audience holds at least
--residents active residents. Timed per run:
- counting: Audience.counts (residents and households, what the picker shows) for every notice;
- sending: services.send_notice for every notice (households with needs_door, the Dispatch and Outbound rows of
  the SMS batch; the in-app channel writes nothing more), with the number of SQL statements per notice.
Goal: sending the whole audience <= 10 s.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import AreaAssignment, User  # noqa: E402
from linli.areas.models import Community, Street  # noqa: E402
from linli.channels.models import Outbound  # noqa: E402
from linli.core.audit import actor_of  # noqa: E402
from linli.notices import services  # noqa: E402
from linli.notices.audience import Audience  # noqa: E402
from linli.notices.models import NoticeHousehold  # noqa: E402
from linli.residents.models import Resident  # noqa: E402

GOAL_SECONDS = 10.0
PHASES: dict[str, float] = {}


def _timed(name, func):
    """The phases of send_notice, timed where services calls them (this script only)."""

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return func(*args, **kwargs)
        finally:
            PHASES[name] = PHASES.get(name, 0.0) + time.perf_counter() - start

    return wrapper


services.fix_households = _timed("households", services.fix_households)
services._queue_channels = _timed("channels", services._queue_channels)


def communities_for_audience(target: int) -> list[Community]:
    """Whole streets' communities, in order, until `target` active residents are reached."""
    chosen, total = [], 0
    for street in Street.objects.order_by("code"):
        for community in Community.objects.filter(street=street).order_by("code"):
            chosen.append(community)
            total += Resident.objects.active().filter(community=community).count()
            if total >= target:
                return chosen
    return chosen


class Rollback(Exception):
    pass


def one_run(communities: list[Community]) -> dict:
    """Count and send inside a transaction that is rolled back."""
    figures = {}
    try:
        with transaction.atomic():
            streets = {c.street_id for c in communities}
            user = User.objects.create(username="bench_notices", role=Role.STREET_ADMIN, full_name="通知压测")
            for street_id in streets:
                AreaAssignment.objects.create(user=user, street_id=street_id)
            actor = actor_of(user)
            drafts = [
                services.create_notice(
                    actor=actor,
                    community=c,
                    audience=Audience(community_id=c.pk),
                    title="明天上午全街道停水",
                    body="因主管道检修，明天8:00至12:00停水，请提前储水。",
                    category="outage",
                    channels=["in_app", "sms"],
                )
                for c in communities
            ]
            start = time.perf_counter()
            counts = [Audience.from_dict(n.audience).counts(user) for n in drafts]
            figures["count_s"] = time.perf_counter() - start
            figures["residents"] = sum(r for r, _ in counts)
            figures["households"] = sum(h for _, h in counts)

            services.public_url(drafts[0])  # the URLconf is loaded in a running server
            statements = []
            PHASES.clear()
            start = time.perf_counter()
            for notice in drafts:
                with CaptureQueriesContext(connection) as ctx:
                    services.send_notice(notice, actor=actor)
                statements.append(len(ctx.captured_queries))
            # The foreign keys are checked at commit (deferred); the rollback would skip them, so check them here.
            fk_start = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            figures["fk_s"] = time.perf_counter() - fk_start
            figures["send_s"] = time.perf_counter() - start
            figures.update({f"{k}_s": v for k, v in PHASES.items()})
            figures["statements_max"] = max(statements)
            figures["rows_households"] = NoticeHousehold.objects.filter(notice__in=drafts).count()
            figures["rows_door"] = NoticeHousehold.objects.filter(notice__in=drafts, needs_door=True).count()
            figures["rows_sms"] = Outbound.objects.filter(dispatch__source_id__in=[n.pk for n in drafts]).count()
            raise Rollback
    except Rollback:
        pass
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/notices.py needs PostgreSQL (DATABASE_URL).")
    communities = communities_for_audience(args.residents)
    print(f"audience: {len(communities)} communities (one notice each), runs: {args.runs}", flush=True)
    print(
        f"{'run':>3} {'residents':>9} {'households':>10} {'count':>8} {'send':>8} {'SQL/notice':>10} "
        f"{'households rows':>15} {'需上门':>7} {'SMS rows':>9}"
    )
    sends = []
    for run in range(1, args.runs + 1):
        f = one_run(communities)
        sends.append(f["send_s"])
        print(
            f"{run:>3} {f['residents']:>9} {f['households']:>10} {f['count_s']:>7.2f}s {f['send_s']:>7.2f}s "
            f"{f['statements_max']:>10} {f['rows_households']:>15} {f['rows_door']:>7} {f['rows_sms']:>9}   "
            f"{f['households_s']:.2f}s + {f['channels_s']:.2f}s + {f['fk_s']:.2f}s",
            flush=True,
        )
    worst = max(sends)
    print(
        f"send_notice for the whole audience: worst {worst:.2f}s, goal <= {GOAL_SECONDS:.0f}s "
        f"(ratio {worst / GOAL_SECONDS:.2f} of the goal); load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs"
    )
    left = NoticeHousehold.objects.filter(notice__title="明天上午全街道停水").exists()
    print("database unchanged:", "no" if left else "yes")


if __name__ == "__main__":
    main()
