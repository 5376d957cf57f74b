"""Engagement benchmark (issue 7): love bank redemptions through the service, alone and from several threads.

Run on PostgreSQL (row locks are the point):
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/linli_bench
    .venv/bin/python -m linli migrate
    .venv/bin/python bench/engagement.py [--redemptions 10000] [--threads 8] [--concurrent 2000] [--keep]

Sections (each prints count, wall time, throughput, p50 and p95 of one call):
- redemptions: `--redemptions` calls of linli.lovebank.services.redeem, one after another, spread over 200
  holder accounts and four items (one a service without stock);
- concurrent: `--concurrent` redemptions from `--threads` threads, first on distinct accounts (they only
  share the item rows), then all on one account and one item (they queue on its row lock); the ledger
  is checked afterwards (balance = sum of entries, nothing oversold, every transaction balanced).
More sections come from modules beside this file named in EXTRA_SECTIONS (bench/engagement_checkin.py
for the check-in of 500 volunteers to one activity): each provides `run(args) -> [(case, seconds per call, wall)]`
and `add_arguments(parser)`, and is skipped with a note when it is not there.

Everything runs in its own street and community (created here, deleted afterwards unless --keep).
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Sum  # noqa: E402
from timing import percentile  # noqa: E402

from linli.areas.models import Community, Street  # noqa: E402
from linli.core.audit import Actor  # noqa: E402
from linli.lovebank import services  # noqa: E402
from linli.lovebank.choices import ItemKind  # noqa: E402
from linli.lovebank.models import (  # noqa: E402
    Account,
    CatalogueItem,
    Deed,
    EarningRule,
    Entry,
    Redemption,
    Transaction,
)

ACTOR = Actor.cli("bench engagement")
STREET_CODE, COMMUNITY_CODE = "bench_engagement", "bench_engagement_c"
HOLDERS = 200
#: Modules beside this file that add sections (skipped when absent).
EXTRA_SECTIONS = ("engagement_checkin",)


@dataclass
class Result:
    name: str
    count: int
    wall: float
    durations: list[float]

    def line(self) -> str:
        p50 = statistics.median(self.durations) * 1000
        p95 = percentile(self.durations, 95) * 1000
        return (
            f"{self.name:<44} {self.count:>7} {self.wall:>8.2f}s {self.count / self.wall:>9.0f}/s"
            f" {p50:>8.1f} {p95:>8.1f}"
        )


def header() -> str:
    return f"{'case':<44} {'calls':>7} {'wall':>9} {'rate':>11} {'p50 ms':>8} {'p95 ms':>8}"


# --------------------------------------------------------------------------- set-up and clean-up


def cleanup() -> None:
    community = Community.objects.filter(code=COMMUNITY_CODE).first()
    if community is not None:
        with transaction.atomic():
            Entry.objects.filter(account__community=community).delete()
            Transaction.objects.filter(community=community, reverses__isnull=False).delete()
            Transaction.objects.filter(community=community).delete()
            for model in (Redemption, Deed, CatalogueItem, EarningRule, Account):
                model.objects.filter(community=community).delete()
            community.delete()
    Street.objects.filter(code=STREET_CODE).delete()


def set_up(total_points: int):
    cleanup()
    street = Street.objects.create(code=STREET_CODE, name="基准测试街")
    community = Community.objects.create(street=street, code=COMMUNITY_CODE, name="基准测试社区")
    accounts = [
        services.open_outside_account(community, name=f"持卡人{i}", phone=f"139{i:08d}", actor=ACTOR)
        for i in range(HOLDERS)
    ]
    for a in accounts:
        services.award(a, total_points, reason="基准测试", source_key=f"bench:start:{a.pk}", actor=ACTOR)
    items = [
        services.save_item(
            CatalogueItem(community=community, name=name, price=price, stock=stock, kind=kind), actor=ACTOR
        )
        for name, price, stock, kind in (
            ("大米", 3, 1_000_000, ItemKind.GOODS),
            ("食用油", 4, 1_000_000, ItemKind.GOODS),
            ("洗衣液", 2, 1_000_000, ItemKind.GOODS),
            ("理发", 1, None, ItemKind.SERVICE),
        )
    ]
    return community, accounts, items


def check_ledger(community) -> None:
    for a in Account.objects.filter(community=community).exclude(kind="system"):
        total = Entry.objects.filter(account=a).aggregate(s=Sum("amount"))["s"] or 0
        assert a.balance == total >= 0, (a.pk, a.balance, total)
    assert not Transaction.objects.filter(community=community).annotate(s=Sum("entries__amount")).exclude(s=0).exists()
    for item in CatalogueItem.objects.filter(community=community).exclude(stock=None):
        taken = Redemption.objects.filter(item=item).aggregate(s=Sum("quantity"))["s"] or 0
        assert item.stock == 1_000_000 - taken >= 0, (item.name, item.stock, taken)


# --------------------------------------------------------------------------- sections


def redeem_once(account, item, key: str) -> float:
    start = time.perf_counter()
    services.redeem(account, item, source_key=key, actor=ACTOR)
    return time.perf_counter() - start


def bench_sequential(args, community, accounts, items) -> list[Result]:
    durations = []
    start = time.perf_counter()
    for i in range(args.redemptions):
        durations.append(redeem_once(accounts[i % len(accounts)], items[i % len(items)], f"bench:seq:{i}"))
    return [Result("redemptions, one after another", args.redemptions, time.perf_counter() - start, durations)]


def in_threads(n_threads: int, total: int, work) -> tuple[float, list[float], list[str]]:
    durations, errors, lock = [], [], threading.Lock()
    barrier = threading.Barrier(n_threads)

    def run(t):
        mine = []
        try:
            barrier.wait()
            for i in range(t, total, n_threads):
                mine.append(work(i))
        except Exception as exc:  # reported, not raised: the table is still printed
            errors.append(repr(exc))
        finally:
            with lock:
                durations.extend(mine)
            connections.close_all()

    threads = [threading.Thread(target=run, args=(t,)) for t in range(n_threads)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - start, durations, errors


def bench_concurrent(args, community, accounts, items) -> list[Result]:
    if connection.vendor != "postgresql":
        print("  (concurrent section skipped: needs PostgreSQL)")
        return []
    results = []
    cases = (
        (f"{args.threads} threads, distinct accounts", lambda i: (accounts[i % len(accounts)], items[i % len(items)])),
        (f"{args.threads} threads, one account, one item", lambda i: (accounts[0], items[0])),
    )
    for n, (name, pick) in enumerate(cases):
        wall, durations, errors = in_threads(
            args.threads, args.concurrent, lambda i, pick=pick, n=n: redeem_once(*pick(i), f"bench:con:{n}:{i}")
        )
        if errors:
            print(f"  {name}: {len(errors)} errors, first: {errors[0]}")
        results.append(Result(name, len(durations), wall, durations))
    return results


def extra_sections():
    found = []
    for name in EXTRA_SECTIONS:
        try:
            found.append((name, importlib.import_module(name)))
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            print(f"  ({name}.py not found: section skipped)")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--redemptions", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--concurrent", type=int, default=2_000)
    parser.add_argument("--keep", action="store_true", help="keep the bench community afterwards")
    extras = extra_sections()
    for _, module in extras:
        module.add_arguments(parser)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    # Points for every redemption the run makes on the busiest account (the one-account case).
    per_account = 4 * (args.redemptions // HOLDERS + 1) + 3 * (args.concurrent + args.concurrent // HOLDERS + 1)
    community, accounts, items = set_up(per_account)
    results = []
    try:
        results += bench_sequential(args, community, accounts, items)
        results += bench_concurrent(args, community, accounts, items)
        check_ledger(community)
        print("  ledger checked: balances = sums of entries, none negative, stock = 1,000,000 − redeemed")
        for _, module in extras:
            results += [Result(name, len(times), wall, times) for name, times, wall in module.run(args)]
    finally:
        if not args.keep:
            cleanup()
    print(header())
    for r in results:
        print(r.line())


if __name__ == "__main__":
    main()
