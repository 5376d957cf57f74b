"""Printable and exportable 走访台账 (visits by grid and month), 民情日记 (diary by grid and month) and the
走访统计 table, for the roles that see those pages, over their own scope (linli.core.excel.tables).

?grid=<id> narrows to one grid in scope (anything else is a 404), ?month=YYYY-MM picks the month
(this month when blank). Each grid is one printed page group and one block of the sheet.
"""

from __future__ import annotations

from collections import defaultdict

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.views import View

from linli.accounts.directory import grid_workers
from linli.areas.models import Grid
from linli.core.excel.tables import Ledger, Section, parse_month, print_response, xlsx_response
from linli.core.filtersets import error_list
from linli.core.params import parse_id
from linli.core.views import ScopedMixin
from linli.visits.choices import ExportKind
from linli.visits.coverage import FIELD_DAYS_GOAL, HOUSEHOLDS_GOAL_PCT, coverage_report
from linli.visits.filtersets import FieldNoteFilterSet
from linli.visits.models import FieldNote, Visit
from linli.visits.views_coverage import CoverageView

NO_GRID_LABEL = "未分配网格"
#: The diary page's text filters, as the printed title names them.
DIARY_NARROWED = {"q": "搜索", "tag": "标签"}


class _TableView(ScopedMixin, View):
    """GET renders the print page; with `xlsx=True` (its own URL) the .xlsx attachment."""

    xlsx = False
    url_name = ""

    def build(self) -> Ledger:
        raise NotImplementedError

    def get(self, request):
        ledger = self.build()
        if self.xlsx:
            return xlsx_response(request, ledger)
        query = request.GET.urlencode()
        xlsx_url = reverse(f"visits:{self.url_name}_xlsx") + (f"?{query}" if query else "")
        return print_response(request, ledger, xlsx_url=xlsx_url)

    # -- shared parameters
    def grids_in_scope(self):
        """The user's grids, of one community when ?community= names one of theirs (a dashboard's link)."""
        grids = (
            Grid.objects.restrict(self.request.user)
            .select_related("community")
            .order_by("community__name", "number", "id")
        )
        raw = self.request.GET.get("community", "")
        if raw:
            community_id = parse_id(raw)
            grids = grids.filter(community_id=community_id) if community_id else grids.none()
            if not grids.exists():
                raise Http404("找不到这个社区，或不在您的管辖范围内。")
        return grids

    def chosen_grid(self, grids):
        raw = self.request.GET.get("grid", "")
        if not raw:
            return None
        grid_id = parse_id(raw)
        grid = grids.filter(pk=grid_id).first() if grid_id else None
        if grid is None:
            raise Http404("找不到这个网格，或不在您的管辖范围内。")
        return grid

    def period(self):
        start, end = parse_month(self.request.GET.get("month"))
        return start, end, f"{start.year}年{start.month}月"


def _workers_meta(grid, workers) -> str:
    people = workers.get(grid.pk, []) if grid else []
    names = "、".join(f"{u.full_name or u.username}{' ' + u.phone if u.phone else ''}" for u in people)
    return f"网格员：{names}" if names else ""


class VisitLedgerView(_TableView):
    """走访台账: every visit of the month, grid by grid, in date order."""

    model = Visit
    url_name = "visit_ledger"

    def build(self) -> Ledger:
        user = self.request.user
        grids = self.grids_in_scope()
        grid = self.chosen_grid(grids)
        start, end, label = self.period()
        visits = (
            Visit.objects.restrict(user)
            .filter(visited_on__gte=start, visited_on__lt=end)
            .select_related("resident", "building", "visitor", "grid__community")
            .order_by("grid__community__name", "grid__number", "visited_on", "id")
        )
        if grid is not None:
            visits = visits.filter(grid=grid)
        elif self.request.GET.get("community"):
            visits = visits.filter(grid__in=grids)
        headers = ["日期", "居民", "住址", "走访人", "走访结果", "身心状况", "发现情况", "居民诉求"]
        by_grid: dict = defaultdict(list)
        grid_of = {}
        for v in visits.prefetch_related("resident__household"):
            grid_of[v.grid_id] = v.grid
            h = v.resident.household
            by_grid[v.grid_id].append(
                [
                    v.visited_on,
                    v.resident.name,
                    f"{v.building.name}{h.entrance}单元{h.room}",
                    str(v.visitor) if v.visitor else "",
                    v.get_outcome_display(),
                    v.get_wellbeing_display() if v.wellbeing else "",
                    v.findings,
                    v.need,
                ]
            )
        shown = [grid] if grid is not None else [g for g in grids if g.pk in by_grid]
        workers = grid_workers([g.pk for g in shown])
        sections = [
            Section(
                title=f"{g.community.name} {g.name} 走访台账（{label}）",
                headers=headers,
                rows=by_grid.get(g.pk, []),
                meta=_workers_meta(g, workers),
                empty="本月没有走访记录。",
            )
            for g in shown
        ]
        if grid is None and None in by_grid:
            sections.append(Section(title=f"{NO_GRID_LABEL} 走访台账（{label}）", headers=headers, rows=by_grid[None]))
        if not sections:
            sections = [Section(title=f"走访台账（{label}）", headers=headers, empty="本月没有走访记录。")]
        return Ledger(
            title=f"走访台账 {label}" + (f" {grid.community.name} {grid.name}" if grid else ""),
            sections=sections,
            widths={"日期": 11, "居民": 10, "住址": 14, "走访人": 10, "发现情况": 40, "居民诉求": 30},
            print_kind=ExportKind.VISITS_PRINT,
            xlsx_kind=ExportKind.VISITS_XLSX,
            filters={"grid": grid, "period": f"{start:%Y-%m}"},
            filename=f"走访台账_{start:%Y%m}",
            ascii_name=f"visits_{start:%Y%m}",
            controls={"grids": list(grids), "grid": grid.pk if grid else None, "month": f"{start:%Y-%m}"},
            back_url=reverse("visits:worklist"),
        )


class DiaryLedgerView(_TableView):
    """民情日记: the month's diary entries, grid by grid (entries kept at community level last)."""

    model = FieldNote
    filterset_class = FieldNoteFilterSet
    url_name = "diary_ledger"

    def build(self) -> Ledger:
        """The diary page's notes (same query string, through FieldNoteFilterSet) of one month, this one if none
        is asked for; a value the filter refuses is a 404 with its message (a print page has no form)."""
        user = self.request.user
        data = self.request.GET.copy()
        if not data.get("month", "").strip():
            data["month"] = f"{timezone.localdate():%Y-%m}"
        filterset = self.filterset_class(data, FieldNote.objects.restrict(user), user=user)
        if not filterset.is_valid():
            raise Http404(error_list(filterset)[0])
        grids = filterset.filters["grid"].queryset
        grid, start = filterset.form.cleaned_data["grid"], filterset.form.cleaned_data["month"]
        label = f"{start.year}年{start.month}月"
        narrowed = {k: v for k in DIARY_NARROWED if (v := filterset.form.cleaned_data.get(k, "").strip())}
        notes = (
            filterset.qs.select_related("author", "grid", "community")
            .prefetch_related("residents")
            .order_by("written_on", "id")
        )
        headers = ["日期", "记录人", "标签", "相关居民", "内容"]
        by_grid: dict = defaultdict(list)
        communities = {}
        for n in notes:
            key = n.grid_id or f"c{n.community_id}"
            communities[key] = n.community
            by_grid[key].append(
                [
                    n.written_on,
                    str(n.author) if n.author else "",
                    "、".join(n.tag_list),
                    "、".join(r.name for r in n.residents.all()),
                    n.text,
                ]
            )
        shown = [grid] if grid is not None else [g for g in grids if g.pk in by_grid]
        sections = [
            Section(
                title=f"{g.community.name} {g.name} 民情日记（{label}）",
                headers=headers,
                rows=by_grid.get(g.pk, []),
                empty="本月没有民情日记。",
            )
            for g in shown
        ]
        if grid is None:
            for key, rows in by_grid.items():
                if isinstance(key, str):
                    sections.append(
                        Section(
                            title=f"{communities[key].name}（未指定网格）民情日记（{label}）",
                            headers=headers,
                            rows=rows,
                        )
                    )
        if not sections:
            sections = [Section(title=f"民情日记（{label}）", headers=headers, empty="本月没有民情日记。")]
        return Ledger(
            title=f"民情日记 {label}"
            + (f" {grid.community.name} {grid.name}" if grid else "")
            + "".join(f" {DIARY_NARROWED[k]}“{v}”" for k, v in narrowed.items()),
            sections=sections,
            widths={"日期": 11, "记录人": 10, "标签": 14, "相关居民": 16, "内容": 60},
            print_kind=ExportKind.DIARY_PRINT,
            xlsx_kind=ExportKind.DIARY_XLSX,
            filters={"grid": grid, "period": f"{start:%Y-%m}", **narrowed},
            filename=f"民情日记_{start:%Y%m}",
            ascii_name=f"diary_{start:%Y%m}",
            controls={
                "grids": list(grids),
                "grid": grid.pk if grid else None,
                "month": f"{start:%Y-%m}",
                "keep": narrowed,
            },
            back_url=reverse("visits:diary_list"),
        )


class CoverageLedgerView(_TableView):
    """走访统计 as a table: the coverage page's figures per grid, and the workers' last 7 days."""

    model = Visit
    permission = CoverageView.permission
    url_name = "coverage_ledger"

    def build(self) -> Ledger:
        report = coverage_report(self.request.user)

        def pct(value):
            return "" if value is None else f"{value}%"

        grid_rows = [
            [
                row.label,
                row.care,
                row.on_time,
                pct(row.on_time_pct),
                row.late_1_7,
                row.late_8_30,
                row.late_31,
                row.households,
                row.known,
                pct(row.known_pct),
            ]
            for row in [*report.grids, report.total]
        ]
        worker_rows = [
            [w.user.full_name or w.user.username, w.visits, w.field_days, "达标" if w.meets_goal else "未达标"]
            for w in report.workers
        ]
        today = f"{report.today:%Y-%m-%d}"
        return Ledger(
            title=f"走访统计 {today}",
            sections=[
                Section(
                    title=f"走访统计（截至{today}）",
                    headers=[
                        "网格",
                        "关爱对象",
                        "按期走访",
                        "按期率",
                        "逾期1-7天",
                        "逾期8-30天",
                        "逾期30天以上",
                        "户数",
                        "已知户",
                        "知户率",
                    ],
                    rows=grid_rows,
                    meta=f"知户率目标{HOUSEHOLDS_GOAL_PCT}%",
                ),
                Section(
                    title=f"网格员近7天走访（截至{today}）",
                    headers=["走访人", "走访次数", "入户天数", f"每周入户{FIELD_DAYS_GOAL}天"],
                    rows=worker_rows,
                    empty="近7天没有走访记录。",
                ),
            ],
            widths={"网格": 22, "走访人": 12},
            print_kind=ExportKind.COVERAGE_PRINT,
            xlsx_kind=ExportKind.COVERAGE_XLSX,
            filters={"period": today},
            filename="走访统计",
            ascii_name="coverage",
            footer="统计口径见“走访统计”页说明。",
            back_url=reverse("visits:coverage"),
        )
