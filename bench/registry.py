"""Registry benchmark: page latency against the raw SQL of the same queries.

Run on PostgreSQL with city-scale data:
    createdb -h 127.0.0.1 -U postgres linli_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/linli migrate
    DATABASE_URL=... .venv/bin/linli demo --communities 122      # ~1,000,000 residents
    DATABASE_URL=... .venv/bin/python bench/registry.py [--runs 60]

Each scenario requests a real page through Django's test client (middleware, scope, templates),
records the SQL it ran, then runs exactly those statements again through a raw cursor. It prints
p50/p95 of both and the ratio page/raw; goals: page p95 <= 100 ms and <= 3x raw SQL.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
os.environ.setdefault("LINLI_DEBUG", "0")  # as in production: DEBUG keeps a log of every query

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import AreaAssignment, User  # noqa: E402
from linli.areas.models import Building, Grid, Street  # noqa: E402
from linli.residents.models import Resident, Tag  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
PINYIN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun"]
INITIALS = ["zs", "wl", "lj", "cx", "yh", "zy", "lm", "wf", "zj", "hy"]


def percentile(values, p):
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def bench_user(username, role, node):
    user, _ = User.objects.get_or_create(username=username, defaults={"role": role, "full_name": username})
    user.assignments.all().delete()
    AreaAssignment.objects.create(user=user, **{type(node).__name__.lower(): node})
    return user


def raw_time(queries) -> float:
    """Run the captured statements again on a raw cursor; seconds."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        for q in queries:
            sql = q["sql"]
            if sql.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")) or "django_session" in sql:
                continue
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
    return time.perf_counter() - start


def run(client: Client, urls, runs: int):
    page, raw, nqueries = [], [], []
    for i in range(runs):
        url = urls[i % len(urls)]
        connection.queries_log.clear()  # CaptureQueriesContext indexes into a bounded log
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            page.append(time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
        raw.append(raw_time(ctx.captured_queries))
        nqueries.append(len(ctx.captured_queries))
    return page, raw, statistics.median(nqueries)


def orm_scenarios(admin, worker, grids, tags, worker_grid, street, rng):
    from linli.residents.filtersets import ResidentFilterSet
    from linli.residents.search import search_order
    from linli.residents.views import LIST_RELATED

    def listing():
        data = {"grid": rng.choice(grids).pk, "tag": rng.choice(tags).pk, "status": "active"}
        qs = ResidentFilterSet(data, Resident.objects.restrict(admin), user=admin).qs
        return (
            qs.select_related(*LIST_RELATED)
            .prefetch_related("tags")
            .order_by("building__number", "household__entrance", "household__room", "id")[:30]
        )

    def search(words):
        def make():
            word = rng.choice(words)
            return (
                Resident.objects.restrict(admin)
                .active()
                .search(word)
                .select_related(*LIST_RELATED)
                .order_by(*search_order(word))[:20]
            )

        return make

    buildings = list(Building.objects.filter(grid=worker_grid))

    def building_residents():
        return (
            Resident.objects.restrict(worker)
            .active()
            .filter(building=rng.choice(buildings))
            .values_list("household_id", flat=True)
        )

    return [
        ("resident list, grid + tag", listing),
        ("name search, Chinese prefix", search(list(SURNAMES))),
        ("pinyin search, full", search(PINYIN)),
        ("pinyin search, initials", search(INITIALS)),
        ("building page residents", building_residents),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    total = Resident.objects.count()
    street = Street.objects.order_by("id").first()
    street_total = Resident.objects.filter(street=street).count()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; residents: {total:,}; "
        f"street {street.name}: {street_total:,} residents"
    )
    admin = bench_user("bench_street_admin", Role.STREET_ADMIN, street)
    grids = list(Grid.objects.filter(community__street=street).order_by("id"))
    worker_grid = grids[0]
    worker = bench_user("bench_grid_worker", Role.GRID_WORKER, worker_grid)
    tags = list(Tag.objects.filter(code__in=["elderly60", "living_alone", "empty_nest", "disabled"]))

    admin_client, worker_client = Client(), Client()
    admin_client.force_login(admin)
    worker_client.force_login(worker)

    scenarios = [
        ("resident list, unfiltered (street admin)", admin_client, ["/residents/"]),
        (
            "resident list, grid + tag (street admin)",
            admin_client,
            [f"/residents/?grid={rng.choice(grids).pk}&tag={rng.choice(tags).pk}" for _ in range(20)],
        ),
        (
            "name search, Chinese prefix (street admin)",
            admin_client,
            [f"/residents/search/?q={rng.choice(SURNAMES)}" for _ in range(20)],
        ),
        (
            "pinyin search, full (street admin)",
            admin_client,
            [f"/residents/search/?q={rng.choice(PINYIN)}" for _ in range(20)],
        ),
        (
            "pinyin search, initials (street admin)",
            admin_client,
            [f"/residents/search/?q={rng.choice(INITIALS)}" for _ in range(20)],
        ),
        (
            "list page search, initials (grid worker)",
            worker_client,
            [f"/residents/?q={rng.choice(INITIALS)}" for _ in range(20)],
        ),
        (
            "building page (grid worker)",
            worker_client,
            [f"/areas/buildings/{b.pk}/" for b in Building.objects.filter(grid=worker_grid)],
        ),
        (
            "building page (street admin)",
            admin_client,
            [f"/areas/buildings/{b.pk}/" for b in Building.objects.filter(community__street=street).order_by("?")[:20]],
        ),
    ]
    print(f"{'scenario':46} {'page p50':>9} {'page p95':>9} {'raw p50':>8} {'raw p95':>8} {'ratio':>6} {'queries':>7}")
    goals = {"page p95 <= 100 ms": [], "ORM <= 3x raw SQL (p95)": [], "whole page <= 3x raw SQL (p95)": []}
    for name, client, urls in scenarios:
        run(client, urls, min(5, args.runs))  # warm caches
        page, raw, nq = run(client, urls, args.runs)
        p50, p95 = percentile(page, 50) * 1000, percentile(page, 95) * 1000
        r50, r95 = percentile(raw, 50) * 1000, percentile(raw, 95) * 1000
        ratio = p95 / r95 if r95 else float("inf")
        print(f"{name:46} {p50:8.1f}ms {p95:8.1f}ms {r50:7.1f}ms {r95:7.1f}ms {ratio:5.1f}x {nq:7.0f}")
        if p95 > 100:
            goals["page p95 <= 100 ms"].append(f"{name}: {p95:.1f} ms")
        if ratio > 3:
            goals["whole page <= 3x raw SQL (p95)"].append(f"{name}: {ratio:.1f}x")
    print()
    print("data layer: the ORM queryset each page is built on, against the same SQL on a raw cursor")
    print(f"{'query':46} {'ORM p50':>9} {'ORM p95':>9} {'raw p50':>8} {'raw p95':>8} {'ratio':>6}")
    for name, make in orm_scenarios(admin, worker, grids, tags, worker_grid, street, rng):
        orm, raw = [], []
        for i in range(args.runs + 5):
            qs = make()
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                start = time.perf_counter()
                list(qs)
                elapsed = time.perf_counter() - start
            raw_elapsed = raw_time(ctx.captured_queries)
            if i >= 5:
                orm.append(elapsed)
                raw.append(raw_elapsed)
        o50, o95 = percentile(orm, 50) * 1000, percentile(orm, 95) * 1000
        r50, r95 = percentile(raw, 50) * 1000, percentile(raw, 95) * 1000
        ratio = o95 / r95 if r95 else float("inf")
        print(f"{name:46} {o50:8.1f}ms {o95:8.1f}ms {r50:7.1f}ms {r95:7.1f}ms {ratio:5.1f}x")
        if ratio > 3:
            goals["ORM <= 3x raw SQL (p95)"].append(f"{name}: {ratio:.1f}x")
    print()
    for goal, misses in goals.items():
        print(f"goal {goal}: " + ("met" if not misses else "NOT met: " + "; ".join(misses)))


if __name__ == "__main__":
    main()
