"""What a screen shows of its node: aggregate figures only, read through the dashboards' figure layer (the same
registry, the same live computation and the same daily rollup as 数据看板), never a row of a person.

Each figure panel names the figure keys it shows; a key no app registers (yet) is left out, so another app adding or
renaming figures never breaks a screen. Counts only: every value here is a number of people, households, appeals,
hours or points of the whole node.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from linli.bigscreen.choices import Panel
from linli.core import shell
from linli.core.figures import cached_report
from linli.dashboards.board import MONTHS, Board, add_months, live_rows, month_start, number, rate_value, trends

#: The figures of each panel, in order (figure or rate keys of linli.core.shell's registry).
PANEL_FIGURES: dict[str, list[str]] = {
    Panel.OVERVIEW: ["residents.population", "residents.care", "visits.care_due", "volunteers.registered"],
    Panel.VISITS: ["visits.care_due", "visits.on_time", "visits.coverage", "visits.made"],
    Panel.APPEALS: ["appeals.received", "appeals.resolved", "appeals.on_time_rate", "appeals.satisfaction"],
    Panel.VOLUNTEERS: ["volunteers.registered", "volunteers.hours"],
    Panel.LOVEBANK: ["lovebank.earned", "lovebank.spent"],
    Panel.WISHES: ["wishes.fulfilled", "wishes.claimed", "wishes.open"],
}
#: The 12-month charts of the trends panel: (title, figure keys).
TREND_CHARTS: list[tuple[str, list[str]]] = [
    ("诉求受理与办结", ["appeals.received", "appeals.resolved"]),
    ("走访次数", ["visits.made"]),
    ("志愿服务时长（小时）", ["volunteers.hours"]),
    ("爱心银行积分", ["lovebank.earned", "lovebank.spent"]),
    ("微心愿实现", ["wishes.fulfilled"]),
]
#: Labels as the screen says them (this month's flows: 本月…), where they differ from the dashboard's.
SCREEN_LABELS = {
    "residents.care": "关爱户",
    "visits.care_due": "关爱对象",
    "visits.made": "本月走访",
    "appeals.received": "本月受理诉求",
    "appeals.resolved": "本月已办结",
    "volunteers.hours": "本月服务时长",
    "lovebank.earned": "本月发放积分",
    "lovebank.spent": "本月兑换积分",
    "wishes.fulfilled": "本月实现心愿",
}


def _needed(panels: list[str]) -> tuple[list, list]:
    """The registered figures and rates the panels need (a rate brings its two figures)."""
    registry = shell.registry
    keys: set[str] = set()
    rates = []
    for panel in panels:
        for key in PANEL_FIGURES.get(panel, []):
            if key in registry.dashboard_figures:
                keys.add(key)
            elif key in registry.dashboard_rates:
                rate = registry.dashboard_rates[key]
                if rate.part in registry.dashboard_figures and rate.whole in registry.dashboard_figures:
                    keys |= {rate.part, rate.whole}
                    rates.append(rate)
    if "trends" in panels:
        keys |= {k for _t, ks in TREND_CHARTS for k in ks if k in registry.dashboard_figures}
    figures = [registry.dashboard_figures[k] for k in sorted(keys)]
    return figures, rates


def screen_figures(screen, *, today: datetime.date | None = None) -> dict:
    """The screen's panels as JSON-ready data: {"panels": [...], "computed_at": iso, "as_of": ...}."""
    today = today or timezone.localdate()
    panels = screen.panel_list
    node_obj = screen.node
    node = shell.FigureNode(screen.level, node_obj.pk)
    figures, rates = _needed(panels)
    keys = [f.key for f in figures]
    computed = cached_report(
        "bigscreen",
        f"{screen.level}:{node_obj.pk}",
        {"today": today, "keys": keys},
        lambda: live_rows(node, figures, today),
    )
    totals = {k: sum((Decimal(v) for _c, _g, v in computed.value[k]), Decimal(0)) for k in keys}
    registry = shell.registry
    result = []
    for panel in panels:
        if panel in PANEL_FIGURES:
            cells = []
            for key in PANEL_FIGURES[panel]:
                if key in totals:
                    f = registry.dashboard_figures[key]
                    cells.append(
                        {
                            "key": key,
                            "label": SCREEN_LABELS.get(key, f.label),
                            "value": number(totals[key]),
                            "unit": f.unit,
                        }
                    )
                elif any(r.key == key for r in rates):
                    rate = registry.dashboard_rates[key]
                    value = rate_value(rate, totals)
                    value = int(value) if value is not None and float(value).is_integer() else value
                    cells.append({"key": key, "label": rate.label, "value": value, "unit": "%"})
            if cells:
                title = "街道概况" if panel == Panel.OVERVIEW and screen.community_id is None else Panel(panel).label
                result.append({"panel": panel, "title": title, "cells": cells})
        elif panel == Panel.TRENDS:
            charts = trend_charts(screen, figures, totals, today)
            if charts["charts"]:
                result.append({"panel": panel, "title": Panel(panel).label, **charts})
        elif panel == Panel.WALL:
            result.append({"panel": panel, "title": Panel(panel).label})
    return {"panels": result, "computed_at": computed.computed_at}


def trend_charts(screen, figures, totals, today) -> dict:
    """Twelve months of the trend charts' figures (this month live, the others from the daily rollup)."""
    by_key = {f.key: f for f in figures}
    board = Board(level=screen.level, node=screen.node, today=today, computed_at=timezone.now())
    start = month_start(today)
    board.months = [add_months(start, -n) for n in range(MONTHS - 1, -1, -1)]
    chart_figs = [by_key[k] for _t, ks in TREND_CHARTS for k in ks if k in by_key]
    family = shell.DashboardFamily("bigscreen", "趋势", 0)
    series = {s["key"]: s for s in trends(board, [(family, chart_figs, [])], totals)[0]["series"]} if chart_figs else {}
    charts = []
    for title, keys in TREND_CHARTS:
        lines = [
            {"label": SCREEN_LABELS.get(k, by_key[k].label).removeprefix("本月"), "data": series[k]["data"]}
            for k in keys
            if k in series
        ]
        if lines:
            charts.append({"title": title, "series": lines})
    return {"months": [f"{m:%Y-%m}" for m in board.months], "charts": charts}
