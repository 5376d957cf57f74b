"""Side by side with Django's admin: the resident list against a ModelAdmin over the same residents, with the same
columns, filters and search (bench/admin_urls.py), in the same process and database — what a Django team would
build first. Goal (issue 20): Linli's p95 at least 3x faster than the admin's on every case, at city scale.

Run on PostgreSQL with city-scale data:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench .venv/bin/python bench/admin_compare.py [--runs 40]

The admin is installed in this process only (bench/admin_settings.py); Linli has no admin. The street administrator
(bench_street_admin) opens Linli's list; a superuser (bench_admin_superuser) opens the admin's, whose queryset is the
same street's active residents. Cases: the unfiltered first page, grid + tag filters, a name search (a surname,
and a pinyin). Only reads: the two bench logins are created or reassigned, nothing else is written.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.admin_settings"
os.environ.setdefault("LINLI_DEBUG", "0")  # as in production: DEBUG keeps a log of every query

import django  # noqa: E402

django.setup()

from django.contrib import admin  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from linli.accounts.choices import Role  # noqa: E402
from linli.accounts.models import User  # noqa: E402
from linli.areas.models import Grid, Street  # noqa: E402
from linli.residents.models import Resident, Tag  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import bench_user, freeze_as_a_worker, ms, run_page  # noqa: E402

GOAL = 3.0
SURNAMES = "王李张刘陈杨黄赵吴周"
PINYIN = ["wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou"]


def superuser():
    user, _ = User.objects.get_or_create(
        username="bench_admin_superuser",
        defaults={"full_name": "bench_admin_superuser", "role": Role.STREET_ADMIN},
    )
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    return user


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    street = Street.objects.order_by("id").first()
    import bench.admin_urls  # noqa: F401  (registers ResidentAdmin)

    admin.site._registry[Resident].street_id = street.pk
    linli_client, admin_client = Client(), Client()
    linli_client.force_login(bench_user("bench_street_admin", Role.STREET_ADMIN, street))
    admin_client.force_login(superuser())
    freeze_as_a_worker(linli_client)  # as production's workers (gunicorn_conf.when_ready): no full-heap GC pauses
    residents = Resident.objects.filter(street=street, status="active").count()
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; residents: {Resident.objects.count():,}; "
        f"street {street.name}: {residents:,} active residents (Linli's and the admin's list)"
    )
    grids = list(Grid.objects.filter(community__street=street).values_list("pk", flat=True))
    tags = list(
        Tag.objects.filter(code__in=["elderly60", "living_alone", "empty_nest", "disabled"]).values_list(
            "pk", flat=True
        )
    )
    picks = [(rng.choice(grids), rng.choice(tags)) for _ in range(20)]
    words = [rng.choice(SURNAMES) for _ in range(10)] + [rng.choice(PINYIN) for _ in range(10)]

    cases = [
        ("unfiltered first page", ["/residents/"], ["/admin/residents/resident/"]),
        (
            "grid + tag",
            [f"/residents/?grid={g}&tag={t}" for g, t in picks],
            [f"/admin/residents/resident/?grid__id__exact={g}&tags__id__exact={t}" for g, t in picks],
        ),
        (
            "name search (surname or pinyin)",
            [f"/residents/?q={w}" for w in words],
            [f"/admin/residents/resident/?q={w}" for w in words],
        ),
    ]
    load_before = os.getloadavg()
    print(f"{'case':34} {'Linli p50':>9} {'Linli p95':>9} {'admin p50':>9} {'admin p95':>9} {'admin/Linli':>11}  goal")
    misses = []
    for name, linli_urls, admin_urls in cases:
        linli, admin_times = [], []
        for linli_url, admin_url in zip(linli_urls * (args.runs // len(linli_urls) + 1), admin_urls * args.runs):
            if len(linli) >= args.runs:
                break
            # One request each, alternately, so that both see the same machine load.
            linli.extend(run_page(linli_client, linli_url, 1, warm=0 if linli else 2)[0])
            admin_times.extend(run_page(admin_client, admin_url, 1, warm=0 if admin_times else 2)[0])
        ratio = ms(admin_times, 95) / ms(linli, 95)
        met = ratio >= GOAL
        if not met:
            misses.append(f"{name}: {ratio:.1f}x")
        print(
            f"{name:34} {ms(linli, 50):7.1f}ms {ms(linli, 95):7.1f}ms {ms(admin_times, 50):7.1f}ms "
            f"{ms(admin_times, 95):7.1f}ms {ratio:10.1f}x  >= {GOAL:.0f}x {'met' if met else 'NOT met'}",
            flush=True,
        )
    load_after = os.getloadavg()
    print(f"load average (1, 5 min) before: {load_before[0]:.2f} {load_before[1]:.2f}; ", end="")
    print(f"after: {load_after[0]:.2f} {load_after[1]:.2f}")
    print(
        f"goal Linli >= {GOAL:.0f}x faster than the admin (p95) on every case: "
        + ("met" if not misses else "NOT met: " + "; ".join(misses))
    )


if __name__ == "__main__":
    main()
