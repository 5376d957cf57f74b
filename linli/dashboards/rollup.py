"""The nightly rollup: every registered dashboard figure (linli.core.shell.dashboard_figure) counted for every street,
community and grid, kept as DailyFigure rows.

Each figure is one grouped query for all nodes (its rows per community and grid; a flow's per day as well, over the
whole range of days at once); communities and streets are sums of those rows, never a query per node. A day's rows
of the figures counted are replaced in one transaction, so a re-run gives the same rows (idempotent).

Which days a run counts:
- flows: every day asked for (a flow is what happened that day; the appeals' flows follow the appeals received
  that day in their state now, so the nightly run counts the last two months again: an appeal resolved today
  changes the day it was received);
- stocks: the last day asked for, when it is the day just ended or today (a stock is counted as things are now);
  a stock with `history` (it can count a past day as it was) for every day asked for when `backfill` is set
  (with `history_days`, the past days in one query).
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from linli.areas.models import Community
from linli.core import shell
from linli.dashboards.models import DailyFigure, Level, RollupRun

BATCH = 5_000


@dataclass
class RollupReport:
    days: list[datetime.date]
    rows: int = 0
    seconds: float = 0.0
    keys: dict[datetime.date, list[str]] = field(default_factory=dict)

    def lines(self) -> list[str]:
        first, last = self.days[0], self.days[-1]
        span = f"{first}" if first == last else f"{first} 至 {last}"
        return [f"统计 {span}，共 {len(self.days)} 天，写入 {self.rows} 行，用时 {self.seconds:.1f} 秒"]


def spread(rows, streets: dict[int, int]) -> dict[tuple[str, int], Decimal]:
    """(community id, grid id, value) rows as values per node: each grid its own rows, each community all its rows
    (the grid-less too), each street its communities'."""
    values: dict[tuple[str, int], Decimal] = defaultdict(Decimal)
    for community_id, grid_id, value in rows:
        value = Decimal(value)
        if grid_id is not None:
            values[(Level.GRID, grid_id)] += value
        values[(Level.COMMUNITY, community_id)] += value
        street_id = streets.get(community_id)
        if street_id is not None:
            values[(Level.STREET, street_id)] += value
    return values


def count_day(figure, day: datetime.date, node=None):
    """A figure's (community id, grid id, value) rows for one day (a stock at its end, a flow during it)."""
    if figure.kind == shell.STOCK:
        return list(figure.compute(day, node))
    return [(c, g, v) for _d, c, g, v in figure.compute(day, day, node)]


def rollup(
    days: list[datetime.date],
    *,
    backfill: bool = False,
    registry: shell.Registry | None = None,
    today: datetime.date | None = None,
) -> RollupReport:
    """Count the registered figures for `days` (see the module's docstring) and store them."""
    registry = registry or shell.registry
    today = today or timezone.localdate()
    days = sorted(set(days))
    report = RollupReport(days=days)
    if not days:
        return report
    started = time.monotonic()
    streets = dict(Community.objects.values_list("pk", "street_id"))
    by_day: dict[datetime.date, dict[str, dict]] = {d: {} for d in days}
    for figure in registry.dashboard_figures.values():
        if figure.kind == shell.FLOW:
            per_day: dict[datetime.date, list] = defaultdict(list)
            for d, c, g, v in figure.compute(days[0], days[-1], None):
                per_day[d].append((c, g, v))
            for d in days:
                by_day[d][figure.key] = spread(per_day.get(d, ()), streets)
            continue
        counted = [
            d
            for d in days
            if (d == days[-1] and d >= today - datetime.timedelta(days=1)) or (figure.history and backfill)
        ]
        past = [d for d in counted if d < timezone.localdate()] if figure.history_days else []
        if past:  # a year of backfill in one query, not one a day
            per_day = defaultdict(list)
            for d, c, g, v in figure.history_days(past[0], past[-1], None):
                per_day[d].append((c, g, v))
            for d in past:
                by_day[d][figure.key] = spread(per_day.get(d, ()), streets)
        for d in counted[len(past) :]:
            by_day[d][figure.key] = spread(figure.compute(d, None), streets)
    computed_at = timezone.now()
    for d in days:
        report.rows += store(d, by_day[d], computed_at)
        report.keys[d] = sorted(by_day[d])
    report.seconds = time.monotonic() - started
    RollupRun.objects.filter(day=days[-1]).update(seconds=report.seconds)
    return report


def store(day: datetime.date, figures: dict[str, dict], computed_at) -> int:
    """Replace `day`'s rows of these figures; the day's run lists them with those counted before."""
    rows = [
        DailyFigure(level=level, node_id=node_id, day=day, key=key, value=value)
        for key, values in figures.items()
        for (level, node_id), value in values.items()
        if value
    ]
    with transaction.atomic():
        DailyFigure.objects.filter(day=day, key__in=list(figures)).delete()
        DailyFigure.objects.bulk_create(rows, batch_size=BATCH)
        run = RollupRun.objects.select_for_update().filter(day=day).first()
        keys = sorted(set(run.keys if run else ()) | set(figures))
        RollupRun.objects.update_or_create(day=day, defaults={"keys": keys, "computed_at": computed_at})
    return len(rows)


def days_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def nightly(today: datetime.date | None = None) -> RollupReport:
    """The scheduled run after midnight: the day just ended with its stocks, and the flows of this month and the last
    again (an appeal resolved or rated since changes the day it was received)."""
    today = today or timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    start = (yesterday.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    return rollup(days_between(start, yesterday), today=today)
