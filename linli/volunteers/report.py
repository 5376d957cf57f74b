"""服务时长统计: each volunteer's confirmed hours in a period, by activity type, on screen and as .xlsx.

Rows are the volunteers the user may view (Volunteer.objects.restrict, once more here so that the export
cannot show what the page would not). An attendance counts in the period its activity started in (local
dates, both ends included); only confirmed attendance counts, also on an activity cancelled afterwards.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from linli.core.excel.download import safe_workbook
from linli.volunteers.choices import ActivityKind, AttendanceStatus
from linli.volunteers.models import Attendance, TeamMembership, Volunteer

KINDS = list(ActivityKind)


@dataclass
class HoursRow:
    volunteer_id: int
    name: str
    community: str
    teams: str = ""
    #: ActivityKind value -> hours
    by_kind: dict = field(default_factory=dict)
    count: int = 0

    @property
    def total(self) -> Decimal:
        return sum(self.by_kind.values(), Decimal("0"))

    @property
    def kind_hours(self) -> list[Decimal]:
        return [self.by_kind.get(k.value, Decimal("0")) for k in KINDS]


@dataclass
class HoursReport:
    start: datetime.date
    end: datetime.date
    rows: list[HoursRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end == self.start.replace(month=12, day=31):
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"

    @property
    def kinds(self) -> list[str]:
        return [k.label for k in KINDS]

    @property
    def totals(self) -> list[Decimal]:
        return [sum((r.kind_hours[i] for r in self.rows), Decimal("0")) for i in range(len(KINDS))]

    @property
    def total(self) -> Decimal:
        return sum((r.total for r in self.rows), Decimal("0"))

    @property
    def count(self) -> int:
        return sum(r.count for r in self.rows)


def _bounds(start: datetime.date, end: datetime.date):
    tz = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    return since, datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)


def build_hours_report(user, start: datetime.date, end: datetime.date) -> HoursReport:
    """Three queries whatever the number of volunteers: hours by volunteer and type, names, teams."""
    since, until = _bounds(start, end)
    volunteers = Volunteer.objects.restrict(user)
    grouped = (
        Attendance.objects.filter(
            volunteer__in=volunteers.values("pk"),
            status=AttendanceStatus.CONFIRMED,
            activity__starts_at__gte=since,
            activity__starts_at__lt=until,
        )
        .values("volunteer_id", "activity__kind")
        .annotate(hours=Sum("hours"), n=Count("id"))
        .order_by()
    )
    rows: dict[int, HoursRow] = {}
    people = {}
    for g in grouped:
        people.setdefault(g["volunteer_id"], []).append(g)
    names = volunteers.filter(pk__in=list(people)).values_list("pk", "name", "community__name")
    for pk, name, community in names:
        row = rows[pk] = HoursRow(volunteer_id=pk, name=name, community=community)
        for g in people[pk]:
            row.by_kind[g["activity__kind"]] = g["hours"]
            row.count += g["n"]
    teams: dict[int, list[str]] = {}
    memberships = TeamMembership.objects.filter(volunteer_id__in=list(rows)).order_by("team__name")
    for volunteer_id, team in memberships.values_list("volunteer_id", "team__name"):
        teams.setdefault(volunteer_id, []).append(team)
    for pk, row in rows.items():
        row.teams = "、".join(teams.get(pk, []))
    ordered = sorted(rows.values(), key=lambda r: (-r.total, r.name, r.volunteer_id))
    return HoursReport(start=start, end=end, rows=ordered)


def hours_xlsx(report: HoursReport, out) -> None:
    """One sheet, written to `out` (a path or a binary file); every cell is data (names and team names never become
    formulas or links)."""
    book = safe_workbook(out)
    book.set_properties({"title": f"志愿服务时长统计 {report.title}", "comments": "由邻里导出。"})
    bold = book.add_format({"bold": True})
    hours = book.add_format({"num_format": "0.00"})
    bold_hours = book.add_format({"bold": True, "num_format": "0.00"})
    sheet = book.add_worksheet("服务时长")
    sheet.write_string(0, 0, f"志愿服务时长统计（{report.title}，按活动开始日期，已确认的时长，单位：小时）", bold)
    headers = ["姓名", "社区", "服务队", *report.kinds, "合计时长", "活动次数"]
    sheet.write_row(2, 0, headers, bold)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 2, 20)
    sheet.set_column(3, 3 + len(KINDS), 10)
    r = 2
    for r, row in enumerate(report.rows, start=3):
        sheet.write_string(r, 0, row.name)
        sheet.write_string(r, 1, row.community)
        sheet.write_string(r, 2, row.teams)
        for c, value in enumerate([*row.kind_hours, row.total], start=3):
            sheet.write_number(r, c, float(value), hours)
        sheet.write_number(r, 4 + len(KINDS), row.count)
    r += 1
    sheet.write_string(r, 0, "合计", bold)
    for c, value in enumerate([*report.totals, report.total], start=3):
        sheet.write_number(r, c, float(value), bold_hours)
    sheet.write_number(r, 4 + len(KINDS), report.count, bold)
    book.close()
