"""A report's figures, read the way the dashboards read them (linli.dashboards.board): for each figure family the
author may read (the registry: families other apps add later appear by themselves), the period's value of each
figure and rate, the previous period's and the same period last year's, and the unresolved items (figures marked
alarm that are not zero, rates under their goal).

- a flow is summed over the period: the daily rollup's rows for the months before this one, this month counted live
  (as the dashboard counts it);
- a stock is taken at the period's end: the last day of the period the rollup counted it, or now for the current
  period;
- a rate is core.figures.percent of its two figures' values, as the dashboards compute it.
A value nobody counted (no rollup for those days) is None and prints “—”.

The result is plain JSON (numbers, strings, None): a finalised report stores it as its snapshot.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from linli.core import shell
from linli.core.figures import percent
from linli.dashboards.board import add_months, figures_for, live_rows, month_start, number
from linli.dashboards.models import DailyFigure, RollupRun
from linli.workreports.choices import ReportPeriod

SNAPSHOT_VERSION = 1


def families_of(user, level: str):
    """The families (with figures and rates) a report of `level` written by `user` has: those the author may read
    (all of them for a command or the system)."""
    if user is None:
        families = []
        for family, figures, rates in shell.registry.figure_families():
            keys = {f.key for f in figures}
            rates = [r for r in rates if r.part in keys and r.whole in keys]
            if figures:
                families.append((family, figures, rates))
        return families
    return figures_for(user, level)


def bounds(period: str, year: int, month: int | None) -> tuple[datetime.date, datetime.date]:
    if period == ReportPeriod.YEAR:
        return datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    start = datetime.date(year, month, 1)
    return start, add_months(start, 1) - datetime.timedelta(days=1)


def comparisons(period: str, year: int, month: int | None) -> list[dict]:
    """The periods a report compares itself with: last month and the same month last year (monthly), last year
    (yearly)."""
    if period == ReportPeriod.YEAR:
        return [{"label": "上年", "period": ReportPeriod.YEAR, "year": year - 1, "month": None}]
    before = add_months(datetime.date(year, month, 1), -1)
    return [
        {"label": "上月", "period": ReportPeriod.MONTH, "year": before.year, "month": before.month},
        {"label": "去年同期", "period": ReportPeriod.MONTH, "year": year - 1, "month": month},
    ]


def period_label(period: str, year: int, month: int | None) -> str:
    return f"{year}年{month}月" if period == ReportPeriod.MONTH else f"{year}年"


def period_values(level: str, node_id: int, figures, start, end, today) -> dict[str, Decimal | None]:
    """Each figure's value for the node over [start, end] (see the module's docstring)."""
    this_month = month_start(today)
    past_end = min(end, this_month - datetime.timedelta(days=1))
    flows = [f.key for f in figures if f.kind == shell.FLOW]
    stocks = [f.key for f in figures if f.kind == shell.STOCK]
    counted: dict[str, datetime.date] = {}  # key -> the last day of the range the rollup counted it
    sums: dict[str, Decimal] = {}
    stock_values: dict[str, Decimal] = {}
    if start <= past_end:
        for day, keys in RollupRun.objects.filter(day__gte=start, day__lte=past_end).values_list("day", "keys"):
            for key in keys:
                if counted.get(key, datetime.date.min) < day:
                    counted[key] = day
        if flows:
            rows = (
                DailyFigure.objects.filter(
                    level=level, node_id=node_id, key__in=flows, day__gte=start, day__lte=past_end
                )
                .values_list("key")
                .annotate(total=Sum("value"))
                .order_by()
            )
            sums = dict(rows)
        ends = {counted[k] for k in stocks if k in counted}
        if ends:
            for day, key, value in DailyFigure.objects.filter(
                level=level, node_id=node_id, key__in=stocks, day__in=sorted(ends)
            ).values_list("day", "key", "value"):
                if counted.get(key) == day:
                    stock_values[key] = value
    live: dict[str, Decimal] = {}
    if end >= this_month:
        rows = live_rows(shell.FigureNode(level, node_id), figures, today)
        live = {key: sum((Decimal(v) for _c, _g, v in found), Decimal(0)) for key, found in rows.items()}
    values: dict[str, Decimal | None] = {}
    for f in figures:
        if f.kind == shell.FLOW:
            past = sums.get(f.key, Decimal(0)) if f.key in counted else None
            values[f.key] = (past or Decimal(0)) + live[f.key] if f.key in live else past
        elif f.key in live:
            values[f.key] = live[f.key]
        else:
            values[f.key] = stock_values.get(f.key, Decimal(0)) if f.key in counted else None
    return values


def _shown(value):
    return None if value is None else number(value)


def _rate(rate, values) -> float | None:
    part, whole = values.get(rate.part), values.get(rate.whole)
    if part is None or whole is None:
        return None
    return percent(int(part), int(whole), 1)


def _change(value, before):
    if value is None or before is None:
        return None
    return round(value - before, 2) if isinstance(value, float) or isinstance(before, float) else value - before


def report_figures(user, level: str, node_id: int, period: str, year: int, month: int | None, *, today=None) -> dict:
    """The report's figures as plain JSON (the snapshot a finalised report keeps)."""
    today = today or timezone.localdate()
    families = families_of(user, level)
    figures = [f for _fam, figs, _r in families for f in figs]
    start, end = bounds(period, year, month)
    current = period_values(level, node_id, figures, start, end, today)
    compare = comparisons(period, year, month)
    before = [
        period_values(level, node_id, figures, *bounds(c["period"], c["year"], c["month"]), today) for c in compare
    ]
    node = shell.FigureNode(level, node_id)
    run = RollupRun.objects.order_by("-day").first()
    sections = []
    for family, figs, rates in families:
        rows, unresolved = [], []
        for f in figs:
            value = _shown(current[f.key])
            others = [_shown(values[f.key]) for values in before]
            rows.append(
                {
                    "key": f.key,
                    "label": f.label,
                    "unit": f.unit,
                    "kind": f.kind,
                    "rate": False,
                    "value": value,
                    "compare": [{"value": v, "change": _change(value, v)} for v in others],
                    "alarm": bool(f.alarm and value),
                }
            )
            if f.alarm and value:
                link = f.link(node, start, end) if f.link else ""
                unresolved.append({"label": f.label, "value": value, "unit": f.unit, "link": link})
        for r in rates:
            value = _rate(r, current)
            others = [_rate(r, values) for values in before]
            below = r.goal is not None and value is not None and value < r.goal
            rows.append(
                {
                    "key": r.key,
                    "label": r.label,
                    "unit": "%",
                    "kind": "rate",
                    "rate": True,
                    "goal": r.goal,
                    "value": value,
                    "compare": [{"value": v, "change": _change(value, v)} for v in others],
                    "alarm": below,
                }
            )
            if below:
                unresolved.append({"label": f"{r.label}低于目标（{r.goal}%）", "value": value, "unit": "%", "link": ""})
        sections.append({"name": family.name, "label": family.label, "rows": rows, "unresolved": unresolved})
    return {
        "version": SNAPSHOT_VERSION,
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "as_of": run.day.isoformat() if run else None,
        "live": end >= month_start(today),
        "period": period_label(period, year, month),
        "compare": [{"label": c["label"], "period": period_label(c["period"], c["year"], c["month"])} for c in compare],
        "sections": sections,
    }


#: figures_of's reader when none is given: the draft's author.
AUTHOR = object()


def figures_of(report, *, user=AUTHOR, today=None) -> dict:
    """A finalised report's snapshot; a draft's figures read now, for the families `user` (the one looking at or
    downloading the draft; its author by default) may read. The finaliser's families go into the snapshot
    (services.finalise): a draft written by staff gets the 党建 section when the secretary finalises it."""
    if report.snapshot is not None:
        return report.snapshot
    node_id = report.community_id if report.level == "community" else report.street_id
    reader = report.created_by if user is AUTHOR else user
    return report_figures(reader, report.level, node_id, report.period, report.year, report.month, today=today)


def unresolved_count(figures: dict) -> int:
    return sum(len(s["unresolved"]) for s in figures["sections"])


def flat_rows(figures: dict):
    """(section label, row) of every figure, in order (the .xlsx)."""
    for section in figures["sections"]:
        for row in section["rows"]:
            yield section["label"], row
