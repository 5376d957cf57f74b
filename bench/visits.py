"""Visits benchmark: 今日走访, 走访统计 and the due-date machinery against raw SQL.

Run on PostgreSQL with city-scale data (the demo writes a year of visit history, ~7 million visits):
    createdb -h 127.0.0.1 -U postgres linli_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/linli migrate
    DATABASE_URL=... .venv/bin/linli demo --communities 122      # ~1,000,000 residents
    DATABASE_URL=... .venv/bin/python bench/visits.py [--runs 60]

Cases:
- 今日走访 for one grid as its grid worker: the page through Django's test client, the ORM queryset
  it is built on, and the same SQL on a raw cursor. Goal: page p95 <= 100 ms.
- 走访统计 for a whole street (~100,000 residents) as the street admin: the page and its SQL on a raw
  cursor, with the slowest statements listed. Goal: page p95 <= 1 s.
- sweep_overdue() over every resident (inside a transaction that is rolled back, so the database is
  unchanged) and recompute_due_dates([one id]), what log_visit pays per visit.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.areas.models import Grid, Street  # noqa: E402
from linli.residents.models import Resident  # noqa: E402
from linli.visits import services  # noqa: E402
from linli.visits.models import Visit  # noqa: E402
from linli.visits.views import worklist_queryset  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import bench_user, line, ms, run_orm, run_page, slowest  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--sweeps", type=int, default=2, help="0 skips the sweep (minutes at 1M residents)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    today = timezone.localdate()

    street = Street.objects.order_by("id").first()
    grid = Grid.objects.filter(community__street=street).order_by("community_id", "number").first()
    total = Resident.objects.count()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; residents: {total:,}; "
        f"visits: {Visit.objects.count():,}; street {street.name}: "
        f"{Resident.objects.filter(street=street).count():,} residents; grid {grid.community.name} {grid.name}: "
        f"{Resident.objects.filter(grid=grid).count():,} residents"
    )
    worker = bench_user("bench_grid_worker", Role.GRID_WORKER, grid)
    admin = bench_user("bench_street_admin", Role.STREET_ADMIN, street)
    worker_client, admin_client = Client(), Client()
    worker_client.force_login(worker)
    admin_client.force_login(admin)
    goals = {}

    header = f"{'case':44} {'p50':>11} {'p95':>11} {'raw p50':>10} {'raw p95':>10} {'ratio':>6}"
    print()
    print(header)
    # (a) 今日走访
    due = worklist_queryset(worker, today).count()
    page, raw, per, nq = run_page(worker_client, reverse("visits:worklist"), args.runs)
    p95, _ = line("今日走访 page (grid worker)", page, raw, f"{nq:.0f} queries, {due} due")
    goals["今日走访 page p95 <= 100 ms"] = (p95 <= 100, f"{p95:.1f} ms")
    orm, raw = run_orm(lambda: worklist_queryset(worker, today)[:100], args.runs)
    line("今日走访 ORM queryset", orm, raw)
    slowest(per, 3)

    # (b) 走访统计 for the street
    page, raw, per, nq = run_page(admin_client, reverse("visits:coverage"), max(5, args.runs // 4), warm=1)
    p95, _ = line("走访统计 page (street admin)", page, raw, f"{nq:.0f} queries")
    goals["走访统计 page p95 <= 1 s"] = (p95 <= 1000, f"{p95:.0f} ms")
    slowest(per, 4)

    # (c) the due-date machinery
    print()
    sweep = []
    for _ in range(args.sweeps):
        with transaction.atomic():
            start = time.perf_counter()
            report = services.sweep_overdue(today=today)
            sweep.append(time.perf_counter() - start)
            transaction.set_rollback(True)
    if sweep:
        overdue = sum(g.overdue for g in report.grids)
        times = ", ".join(f"{t:.1f} s" for t in sweep)
        print(
            f"sweep_overdue() over {total:,} residents: {times} ({overdue:,} overdue in {len(report.grids)} grids,"
            f" {report.alerts_created:,} alerts, rolled back)"
        )
    care = list(Resident.objects.filter(visit_interval_days__isnull=False).values_list("pk", flat=True)[:200000])
    one = []
    with transaction.atomic():
        for i in range(args.runs + 5):
            pk = rng.choice(care)
            start = time.perf_counter()
            services.recompute_due_dates([pk], today=today)
            if i >= 5:
                one.append(time.perf_counter() - start)
        transaction.set_rollback(True)
    print(f"recompute_due_dates([one id]): p50 {ms(one, 50):.1f} ms, p95 {ms(one, 95):.1f} ms")
    print()
    for goal, (met, figure) in goals.items():
        print(f"goal {goal}: {'met' if met else 'NOT met'} ({figure})")


if __name__ == "__main__":
    main()
