"""心愿统计: claims and fulfilments by claimer and by month of a year, on screen and as .xlsx.

Counts come from the claims of the wishes the user may manage (restricted once more here, so the export
cannot show what the page would not). A claim counts in the month it was made; a fulfilment in the month
staff confirmed it; released claims count as released, not as claims kept.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.db.models.functions import ExtractMonth
from django.utils import timezone

from linli.core.excel.download import safe_workbook
from linli.wishes.choices import ClaimerKind
from linli.wishes.models import Wish, WishClaim


@dataclass
class ClaimerRow:
    name: str
    kind: str
    workplace: str
    in_service: bool
    claimed: int = 0
    released: int = 0
    fulfilled: int = 0


@dataclass
class Report:
    year: int
    claimers: list[ClaimerRow] = field(default_factory=list)
    #: month (1-12) -> (wishes recorded, claims made, fulfilled)
    months: list[tuple[int, int, int, int]] = field(default_factory=list)

    @property
    def totals(self) -> tuple[int, int, int]:
        return tuple(sum(m[i] for m in self.months) for i in (1, 2, 3))


def _year_range(year: int):
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=tz)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=tz)


def build_report(user, year: int) -> Report:
    """Three grouped queries, whatever the number of claimers."""
    start, end = _year_range(year)
    wishes = Wish.objects.restrict(user, "manage")
    claims = WishClaim.objects.filter(wish__in=wishes.values("pk"), claimed_at__gte=start, claimed_at__lt=end)
    report = Report(year=year)
    rows = (
        claims.values("claimer_id", "claimer__name", "claimer__kind", "claimer__workplace", "claimer__in_service")
        .annotate(
            claimed=Count("pk"),
            released=Count("pk", filter=Q(released_at__isnull=False)),
            fulfilled=Count("pk", filter=Q(fulfilled=True)),
        )
        .order_by("-fulfilled", "-claimed", "claimer__name")
    )
    for r in rows:
        report.claimers.append(
            ClaimerRow(
                name=r["claimer__name"],
                kind=ClaimerKind(r["claimer__kind"]).label,
                workplace=r["claimer__workplace"],
                in_service=r["claimer__in_service"],
                claimed=r["claimed"],
                released=r["released"],
                fulfilled=r["fulfilled"],
            )
        )

    def by_month(qs, field_name):
        return dict(
            qs.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
            .annotate(m=ExtractMonth(field_name))
            .values_list("m")
            .annotate(n=Count("pk"))
            .values_list("m", "n")
        )

    recorded = by_month(wishes, "created_at")
    claimed = by_month(WishClaim.objects.filter(wish__in=wishes.values("pk")), "claimed_at")
    fulfilled = by_month(wishes, "fulfilled_at")
    report.months = [(m, recorded.get(m, 0), claimed.get(m, 0), fulfilled.get(m, 0)) for m in range(1, 13)]
    return report


def report_xlsx(report: Report, out) -> None:
    """Two sheets, 按认领人 and 按月份, written to `out` (a path or a binary file); every cell is data (no formulas,
    links or strings taken as either)."""
    book = safe_workbook(out)
    bold = book.add_format({"bold": True})
    sheet = book.add_worksheet("按认领人")
    headers = ("认领人", "类型", "工作单位/所属组织", "在职党员双报到", "认领", "取消认领", "已实现")
    sheet.write_row(0, 0, headers, bold)
    sheet.set_column(0, 0, 20)
    sheet.set_column(2, 2, 24)
    sheet.set_column(3, 3, 14)
    for i, c in enumerate(report.claimers, start=1):
        sheet.write_row(
            i, 0, (c.name, c.kind, c.workplace, "是" if c.in_service else "", c.claimed, c.released, c.fulfilled)
        )
    sheet = book.add_worksheet("按月份")
    sheet.write_row(0, 0, ("月份", "登记心愿", "认领", "实现"), bold)
    for i, (m, recorded, claimed, fulfilled) in enumerate(report.months, start=1):
        sheet.write_row(i, 0, (f"{report.year}年{m}月", recorded, claimed, fulfilled))
    sheet.write_row(13, 0, ("合计", *report.totals), bold)
    book.close()
