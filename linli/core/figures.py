"""Figures shown to people: one rule for a percentage, so two pages never show the same share differently; reports
reused for a short while per scope (cached_report)."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import operator
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import BigIntegerField, Count, DateField, DateTimeField, F, Q, Value
from django.db.models.functions import TruncDate
from django.utils import timezone

from linli.core.shell import OWN_AREA


def percent(part: int, whole: int, digits: int = 0) -> int | float | None:
    """`part` of `whole` as a percentage, rounded half up to `digits` decimals (12.5 → 13, 66.65 → 66.7): the way
    people round on paper. Computed exactly, so no float error decides a half. None when `whole` is 0 (no share
    to show: a page prints "—", not "0%"). An int when `digits` is 0, else a float."""
    if not whole:
        return None
    scale = 10**digits
    value = Fraction(100 * part * scale, whole)
    rounded = int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))
    return rounded if digits == 0 else rounded / scale


#: How long a computed report (诉求统计, 走访统计) is reused for the same scope and filters; the page says when its
#: figures were computed. 0 computes every time.
FIGURES_CACHE_PREFIX = "linli:figures:"


@dataclass(frozen=True)
class Computed:
    """A report and when it was computed (the page shows “数据更新于 HH:MM”)."""

    value: Any
    computed_at: datetime.datetime


def scope_key(*querysets) -> str:
    """The scope as the SQL of the user's restricted querysets: two users get the same key only when every one of
    those querysets selects the same rows by the same conditions (their assignments, role and permissions decide
    the SQL), so a cached report can never cross from one scope to another."""
    parts = []
    for queryset in querysets:
        try:
            parts.append(str(queryset.query))
        except EmptyResultSet:  # restrict() gave .none(): nothing visible
            parts.append("none")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_report(name: str, scope: str, params: dict, compute: Callable[[], Any]) -> Computed:
    """`compute()` or its result computed less than LINLI_FIGURES_CACHE_SECONDS ago for the same report, scope
    (scope_key) and parameters. The figures are those of the uncached computation at `computed_at`."""
    seconds = settings.LINLI_FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return Computed(compute(), timezone.now())
    raw = json.dumps([name, scope, params], sort_keys=True, default=str, ensure_ascii=False)
    key = FIGURES_CACHE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    computed = Computed(compute(), timezone.now())
    cache.set(key, computed, seconds)
    return computed


def tally(
    queryset,
    value=None,
    *,
    node=None,
    day: str | None = None,
    paths: dict[str, str] | None = None,
) -> list[tuple]:
    """A dashboard figure's rows (linli.core.shell.dashboard_figure) in one grouped query: `value` (Count("id")
    when None) per community and grid, and per day when `day` names a date or datetime field (local dates).

    `paths` maps the levels to the row's lookups of the area ids (street_id, community_id, grid_id by default; a row
    without a grid maps "grid" to None); `node` (a FigureNode, or None for everything) narrows the rows to one
    node. Returns (community id, grid id, value) rows, or (day, community id, grid id, value) with `day`."""
    rows = _grouped(queryset, [value if value is not None else Count("id")], node=node, day=day, paths=paths)
    return [tuple(r) for r in rows if r[-1]]


def _grouped(queryset, values: list, *, node, day: str | None, paths: dict[str, str] | None):
    """`values` (aggregates) of `queryset`'s rows inside `node`, grouped by community and grid (and by day when `day`
    names a date or datetime field): rows (day?, community id, grid id, *values), as tally describes."""
    queryset, names = _areas(queryset, node, paths)
    if day is not None:
        names["d"] = _local_date(queryset.model, day)
    aggregates = {f"_v{i}": value for i, value in enumerate(values)}
    return (
        queryset.order_by()
        .annotate(**{f"_{k}": v for k, v in names.items()})
        .values(*[f"_{k}" for k in names])
        .annotate(**aggregates)
        .values_list(*[f"_{k}" for k in ("d", "c", "g") if k in names], *aggregates)
    )


def count(where: Q | None):
    """A part's default value: its rows counted (Count("id", filter=where))."""
    return Count("id", filter=where)


@dataclass(frozen=True, eq=False)
class Counted:
    """Rows several dashboard figures count together, each its own share of them (a `Part`): `rows(*period)` the
    queryset they share — a stock's period is (day,), a flow's (start, end) — `day` a flow's date field and `paths`
    the rows' area lookups, as for tally. A part, registered as a figure's `compute`, counts its share alone (the
    nightly rollup, the figures of one day); the dashboards' live figures (linli.dashboards.board.live_rows) count
    the parts of one Counted in one grouped query with conditional aggregates (Count("id", filter=Q(...))) instead
    of one query per figure."""

    rows: Callable[..., Any]
    day: str | None = None
    paths: dict[str, str] | None = None

    def part(self, where=None, value: Callable[[Q | None], Any] = count, convert=None) -> Part:
        """A figure's share: the rows `where` accepts (None: all; a Q; or a function of the period returning one,
        built when counted), valued by `value(filter)` (an aggregate of the rows the filter keeps), each value passed
        through `convert` when given."""
        return Part(self, where, value, convert)

    def tally_parts(self, parts: list[Part], period: tuple, node) -> list[list[tuple]]:
        """Each part's (community id, grid id, value) rows over the whole `period` (a flow's days summed), from one
        grouped query over the rows at least one part counts."""
        wheres = [part.condition(period) for part in parts]
        queryset = self.rows(*period)
        if all(w is not None for w in wheres):
            queryset = queryset.filter(functools.reduce(operator.or_, wheres))
        values = [part.value(where) for part, where in zip(parts, wheres)]
        found: list[list[tuple]] = [[] for _ in parts]
        for c, g, *counted in _grouped(queryset, values, node=node, day=None, paths=self.paths):
            for rows, part, value in zip(found, parts, counted):
                if value:
                    rows.append((c, g, part.convert(value) if part.convert else value))
        return found


@dataclass(frozen=True)
class Part:
    """One figure's share of a Counted (Counted.part): called as the figure's compute, it counts that share alone."""

    counted: Counted
    where: Any = None
    value: Callable[[Q | None], Any] = count
    convert: Callable[[Any], Any] | None = None

    def shares(self, period: tuple) -> bool:
        """Whether this part is counted with its Counted's other parts for `period` (a part whose figure counts some
        periods differently says no for those: they are counted alone, by `__call__`)."""
        return True

    def condition(self, period: tuple) -> Q | None:
        """The share's Q for `period`; None when it takes every row (an empty Q() too: OR-ed, it would narrow)."""
        where = self.where(*period) if callable(self.where) else self.where
        return where if where else None

    def __call__(self, *args):
        """compute(day, node) of a stock, compute(start, end, node) of a flow: tally of this share."""
        *period, node = args
        where = self.condition(tuple(period))
        rows = self.counted.rows(*period)
        if where is not None:
            rows = rows.filter(where)
        found = tally(rows, self.value(None), node=node, day=self.counted.day, paths=self.counted.paths)
        if self.convert is None:
            return found
        return [(*r[:-1], self.convert(r[-1])) for r in found]


def tally_spans(
    queryset,
    since: str,
    until=None,
    *,
    start: datetime.date,
    end: datetime.date,
    node=None,
    paths: dict[str, str] | None = None,
) -> list[tuple]:
    """A stock counted as it was at the end of each day from `start` to `end`, in one grouped query (the rollup's
    backfill asks for a year of days: a query per day was a year of scans). Each row of `queryset` counts from the
    local date of `since` (a date or datetime field) until the day before `until` (a date field or an expression;
    None or NULL: for good). Returns (day, community id, grid id, count) rows without zeros, like a flow's compute;
    `node` and `paths` as in tally."""
    queryset, names = _areas(queryset, node, paths)
    names["s"] = _local_date(queryset.model, since)
    names["u"] = F(until) if isinstance(until, str) else until if until is not None else Value(None, DateField())
    rows = (
        queryset.order_by()
        .annotate(**{f"_{k}": v for k, v in names.items()})
        .values(*[f"_{k}" for k in names])
        .annotate(_n=Count("id"))
        .values_list("_c", "_g", "_s", "_u", "_n")
    )
    changes: dict[tuple, dict[datetime.date, int]] = defaultdict(lambda: defaultdict(int))
    for community_id, grid_id, first, until_day, n in rows:
        first = max(first, start)
        if first > end or (until_day is not None and until_day <= first):
            continue
        changes[(community_id, grid_id)][first] += n
        if until_day is not None and until_day <= end:
            changes[(community_id, grid_id)][until_day] -= n
    found = []
    days = [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]
    for (community_id, grid_id), by_day in changes.items():
        running = 0
        for d in days:
            running += by_day.get(d, 0)
            if running:
                found.append((d, community_id, grid_id, running))
    return found


def _areas(queryset, node, paths):
    """`queryset` narrowed to `node`, and the annotations of its rows' community and grid ids (tally's paths)."""
    paths = {**OWN_AREA, **(paths or {})}
    if node is not None:
        queryset = queryset.filter(node.q({k: v for k, v in paths.items() if v}))
    no_grid = Value(None, output_field=BigIntegerField())
    return queryset, {"c": F(paths["community"]), "g": F(paths["grid"]) if paths["grid"] else no_grid}


def _local_date(model, path: str):
    """A date or datetime field as a local date."""
    return TruncDate(path) if isinstance(_field(model, path), DateTimeField) else F(path)


def _field(model, path: str):
    """The model field at the end of a lookup path ("activity__starts_at")."""
    *hops, name = path.split("__")
    for hop in hops:
        model = model._meta.get_field(hop).related_model
    return model._meta.get_field(name)


def day_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """[start 00:00, the day after end 00:00) in the current time zone: local days `start` to `end`, both included."""
    tz = timezone.get_current_timezone()
    return (
        datetime.datetime.combine(start, datetime.time.min, tzinfo=tz),
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz),
    )


def list_link(url_name: str, **params) -> str:
    """A figure's drill-down: the named list page with the filter parameters that are set."""
    from urllib.parse import urlencode

    from django.urls import reverse

    pairs = [
        (k, item) for k, v in params.items() if v not in (None, "") for item in (v if isinstance(v, list) else [v])
    ]
    base = reverse(url_name)
    return f"{base}?{urlencode(pairs)}" if pairs else base
