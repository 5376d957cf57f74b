"""What a dashboard shows for one area node: this month's figures counted live, the children's figures ranked, and
twelve months of trends from the daily rollup (linli.dashboards.rollup). The monthly report and the big screen read
the same functions.

Queries do not grow with the number of nodes: one grouped query per figure for the node (its rows per community
and grid give the node's total and its children's) — or per family's shared rows, for the figures registered as
shares of them (core.figures.Counted) — one for the children's names, two for the trends and one for the rollup's
as-of day. A node's live figures are reused for LINLI_FIGURES_CACHE_SECONDS (core.figures.cached_report).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone

from linli.areas.models import Community, Grid, Street
from linli.core import shell
from linli.core.figures import Part, cached_report, percent
from linli.core.querysets import restrict_to
from linli.dashboards.models import DailyFigure, Level, RollupRun

#: Who opens a level's dashboard: the users assigned at that level or above (a grid worker never gets their
#: community's; a user assigned to a building only gets no dashboard).
LEVEL_PATHS = {
    Level.STREET: (Street, {"street": "id"}),
    Level.COMMUNITY: (Community, {"street": "street_id", "community": "id"}),
    Level.GRID: (Grid, {"street": "community__street_id", "community": "community_id", "grid": "id"}),
}
PERM = "area.view"
CHILD = {Level.STREET: Level.COMMUNITY, Level.COMMUNITY: Level.GRID}
MONTHS = 12


def nodes_for(user, level: str):
    """The nodes of `level` whose dashboard `user` may open (none without PERM)."""
    model, paths = LEVEL_PATHS[level]
    if not (user.is_authenticated and (user.is_superuser or user.has_role_perm(PERM))):
        return model.objects.none()
    if user.is_superuser:
        return model.objects.all()
    return restrict_to(model.objects.all(), user, paths)


def home_node(user):
    """The widest node the user may open: (level, node) or None."""
    for level in LEVELS:
        node = nodes_for(user, level).order_by("pk").first()
        if node is not None:
            return level, node
    return None


LEVELS = (Level.STREET, Level.COMMUNITY, Level.GRID)


def figures_for(user, level: str):
    """The families the user sees with their figures and rates, for a dashboard of `level` (a grid's leaves out the
    figures counted per community only)."""
    families = []
    for family, figures, rates in shell.registry.figure_families():
        if not (user.is_superuser or family.visible(user)):
            continue
        figures = [f for f in figures if f.grids or level != Level.GRID]
        keys = {f.key for f in figures}
        rates = [r for r in rates if r.part in keys and r.whole in keys]
        if figures:
            families.append((family, figures, rates))
    return families


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def live_rows(node: shell.FigureNode, figures, today: datetime.date) -> dict[str, list[tuple]]:
    """Each figure's (community id, grid id, value) rows inside `node`: a stock now, a flow this month to date.

    The figures that are shares of the same rows (core.figures.Counted: the appeals received, the care-group
    residents) are counted together, one grouped query with conditional aggregates per Counted and kind; the others
    one query each."""
    rows = {}
    shared: dict[tuple, list] = defaultdict(list)
    periods = {shell.STOCK: (today,), shell.FLOW: (month_start(today), today)}
    for figure in figures:
        if isinstance(figure.compute, Part) and figure.compute.shares(periods[figure.kind]):
            shared[(figure.compute.counted, figure.kind)].append(figure)
        elif figure.kind == shell.STOCK:
            rows[figure.key] = list(figure.compute(today, node))
        else:
            summed: dict[tuple, Decimal] = defaultdict(Decimal)
            for _day, c, g, v in figure.compute(month_start(today), today, node):
                summed[(c, g)] += Decimal(v)
            rows[figure.key] = [(c, g, v) for (c, g), v in summed.items()]
    for (counted, kind), group in shared.items():
        found = counted.tally_parts([f.compute for f in group], periods[kind], node)
        for figure, figure_rows in zip(group, found):
            if kind == shell.FLOW:  # as the per-day sums above
                figure_rows = [(c, g, Decimal(v)) for c, g, v in figure_rows]
            rows[figure.key] = figure_rows
    return rows


def number(value) -> int | float:
    """A figure as printed: whole numbers without decimals, others (hours) with their two decimals at most."""
    value = Decimal(value or 0)
    return int(value) if value == value.to_integral_value() else float(round(value, 2))


def rate_value(rate, values: dict) -> float | None:
    return percent(int(values.get(rate.part) or 0), int(values.get(rate.whole) or 0), 1)


@dataclass
class Cell:
    key: str
    label: str
    unit: str
    value: object  # a number, a percentage or None ("—")
    link: str = ""
    alarm: bool = False
    rate: bool = False
    goal: int | None = None
    change: object = None  # stocks: against the end of last month, when the rollup has it


@dataclass
class Board:
    level: str
    node: object  # the Street, Community or Grid
    today: datetime.date
    computed_at: datetime.datetime
    families: list[tuple] = field(default_factory=list)  # (family, [Cell])
    columns: list[Cell] = field(default_factory=list)  # the comparison's figures
    children: list[dict] = field(default_factory=list)  # {"name", "url", "values": {key: value}}
    child_level: str = ""
    months: list[datetime.date] = field(default_factory=list)
    trends: list[dict] = field(default_factory=list)  # per family: {"family", "series": [{label, unit, data}]}
    run: RollupRun | None = None
    sort: str = ""
    breakdowns: list = field(default_factory=list)  # (family name, [{"key", "label", "unit", "row_label", "rows"}])

    @property
    def level_label(self) -> str:
        return Level(self.level).label

    @property
    def child_label(self) -> str:
        return Level(self.child_level).label if self.child_level else ""

    def chart_data(self) -> dict:
        return {
            "months": [f"{m:%Y-%m}" for m in self.months],
            "trends": [
                {"family": t["family"], "series": [{k: s[k] for k in ("label", "unit", "data")} for s in t["series"]]}
                for t in self.trends
            ],
        }


def node_of(level: str, obj) -> shell.FigureNode:
    return shell.FigureNode(level, obj.pk)


def dashboard_url(level: str, pk: int) -> str:
    return reverse(f"dashboards:{level}_dashboard", args=[pk])


def build_board(user, level: str, obj, *, today: datetime.date | None = None, sort: str = "") -> Board:
    today = today or timezone.localdate()
    node = node_of(level, obj)
    families = figures_for(user, level)
    figures = [f for _fam, figs, _r in families for f in figs]
    keys = sorted(f.key for f in figures)
    computed = cached_report(
        "dashboard", f"{level}:{obj.pk}", {"today": today, "keys": keys}, lambda: live_rows(node, figures, today)
    )
    rows = computed.value
    totals = {key: sum((Decimal(v) for _c, _g, v in rows[key]), Decimal(0)) for key in keys}
    board = Board(level=level, node=obj, today=today, computed_at=computed.computed_at)
    start = month_start(today)
    last_month_end = start - datetime.timedelta(days=1)
    before = dict(
        DailyFigure.objects.filter(level=level, node_id=obj.pk, day=last_month_end, key__in=keys).values_list(
            "key", "value"
        )
    )
    board.run = RollupRun.objects.order_by("-day").first()
    counted_before = set(RollupRun.objects.filter(day=last_month_end).values_list("keys", flat=True).first() or ())
    for family, figs, rates in families:
        cells = []
        for f in figs:
            change = None
            if f.kind == shell.STOCK and f.key in counted_before:
                change = number(totals[f.key] - before.get(f.key, 0))
            cells.append(
                Cell(
                    f.key,
                    f.label,
                    f.unit,
                    number(totals[f.key]),
                    f.link(node, start, today) if f.link else "",
                    alarm=f.alarm and totals[f.key] > 0,
                    change=change,
                )
            )
        for r in rates:
            value = rate_value(r, totals)
            alarm = r.goal is not None and value is not None and value < r.goal
            cells.append(Cell(r.key, r.label, "%", value, alarm=alarm, rate=True, goal=r.goal))
        board.families.append((family, cells))
    board.breakdowns = breakdowns(node, families)
    board.child_level = CHILD.get(level, "")
    if board.child_level:
        board.columns = [c for _fam, cells in board.families for c in cells]
        board.children = children(board, rows, keys, sort)
    board.months = [add_months(start, -n) for n in range(MONTHS - 1, -1, -1)]
    board.trends = trends(board, families, totals)
    return board


def breakdowns(node: shell.FigureNode, families) -> list[tuple[str, list[dict]]]:
    """The registered breakdowns of the families shown (shell.dashboard_breakdown), counted live for `node`: each
    one grouped query, its rows largest first."""
    shown = {family.name for family, _figs, _rates in families}
    found: dict[str, list[dict]] = defaultdict(list)
    for item in sorted(shell.registry.dashboard_breakdowns.values(), key=lambda b: (b.order, b.key)):
        if item.family in shown and node.level in item.levels:
            rows = sorted(item.compute(node), key=lambda r: (-r[1], r[0]))
            found[item.family].append(
                {
                    "key": item.key,
                    "label": item.label,
                    "unit": item.unit,
                    "row_label": item.row_label,
                    "rows": [(n, number(v), u) for n, v, u in rows],
                }
            )
    return list(found.items())


def children(board: Board, rows, keys, sort: str) -> list[dict]:
    """The node's communities (a street's) or grids (a community's) with their figures, ranked by `sort`."""
    per: dict[object, dict] = defaultdict(lambda: defaultdict(Decimal))
    for key in keys:
        for c, g, v in rows[key]:
            per[c if board.child_level == Level.COMMUNITY else g][key] += Decimal(v)
    if board.child_level == Level.COMMUNITY:
        names = list(Community.objects.filter(street_id=board.node.pk).order_by("code").values_list("pk", "name"))
    else:
        names = list(Grid.objects.filter(community_id=board.node.pk).order_by("number").values_list("pk", "name"))
        if None in per:
            names.append((None, "未分配网格"))
    result = []
    for pk, name in names:
        values = {k: number(per[pk][k]) for k in keys} if pk in per else {k: 0 for k in keys}
        for column in board.columns:
            if column.rate:
                rate = shell.registry.dashboard_rates[column.key]
                values[column.key] = rate_value(rate, per.get(pk, {}))
        url = dashboard_url(board.child_level, pk) if pk is not None else ""
        result.append({"name": name, "url": url, "values": values})
    sort_key = sort if any(c.key == sort for c in board.columns) else (board.columns[0].key if board.columns else "")
    if sort_key:
        result.sort(key=lambda r: (r["values"].get(sort_key) is None, -(r["values"].get(sort_key) or 0)))
    for rank, row in enumerate(result, 1):
        row["rank"] = rank
        row["cells"] = [(row["values"].get(c.key), c.rate) for c in board.columns]
    board.sort = sort_key
    return result


def trends(board: Board, families, totals) -> list[dict]:
    """Per family, twelve months of each figure: a flow's monthly sum, a stock at the end of each month (the last day
    the rollup counted it), this month's from the live figures. A month without any rollup is None ("—")."""
    first = board.months[0]
    this_month = board.months[-1]
    flows = [f.key for _fam, figs, _r in families for f in figs if f.kind == shell.FLOW]
    stocks = [f.key for _fam, figs, _r in families for f in figs if f.kind == shell.STOCK]
    runs = list(RollupRun.objects.filter(day__gte=first, day__lt=this_month).values_list("day", "keys"))
    counted: dict[datetime.date, set] = defaultdict(set)
    last_day: dict[tuple[datetime.date, str], datetime.date] = {}
    for day, run_keys in runs:
        month = month_start(day)
        counted[month] |= set(run_keys)
        for key in run_keys:
            if last_day.get((month, key), datetime.date.min) < day:
                last_day[(month, key)] = day
    month_sums: dict[tuple[datetime.date, str], Decimal] = {}
    if flows:
        grouped = (
            DailyFigure.objects.filter(
                level=board.level, node_id=board.node.pk, key__in=flows, day__gte=first, day__lt=this_month
            )
            .annotate(month=TruncMonth("day"))
            .values_list("month", "key")
            .annotate(total=Sum("value"))
            .order_by()
        )
        for month, key, total in grouped:
            month_sums[(month, key)] = total
    ends = {day for (_m, key), day in last_day.items() if key in stocks}
    stock_values: dict[tuple[datetime.date, str], Decimal] = {}
    if stocks and ends:
        for day, key, value in DailyFigure.objects.filter(
            level=board.level, node_id=board.node.pk, key__in=stocks, day__in=sorted(ends)
        ).values_list("day", "key", "value"):
            if last_day.get((month_start(day), key)) == day:
                stock_values[(month_start(day), key)] = value

    def value(month, figure):
        if month == this_month:
            return totals[figure.key]
        if figure.key not in counted.get(month, ()):
            return None
        if figure.kind == shell.FLOW:
            return month_sums.get((month, figure.key), Decimal(0))
        return stock_values.get((month, figure.key), Decimal(0))

    result = []
    for family, figs, rates in families:
        series = []
        table = {}
        for f in figs:
            data = [None if (v := value(m, f)) is None else number(v) for m in board.months]
            table[f.key] = data
            series.append({"key": f.key, "label": f.label, "unit": f.unit, "data": data})
        for r in rates:
            data = [
                None if table[r.part][i] is None else percent(int(table[r.part][i]), int(table[r.whole][i] or 0), 1)
                for i in range(len(board.months))
            ]
            series.append({"key": r.key, "label": r.label, "unit": "%", "data": data})
        result.append({"family": family.label, "name": family.name, "series": series})
    return result
