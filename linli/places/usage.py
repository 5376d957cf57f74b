"""使用统计: a year of each room's use by month — the seed's 人气 — for the rooms a user reads.

What counts, by the month the booking starts in (local time):
- 预约次数: confirmed bookings (待审核 ones are not yet a use; cancelled and rejected ones are counted apart);
- 预约时长: their hours;
- 预计人数 / 实到人数: expected attendance of the confirmed bookings, and the attendance recorded on them;
- 爽约: confirmed bookings marked as no-show;
- 取消: cancelled bookings (by the booker, by the staff, by a closure).

One grouped query whatever the number of rooms (the rooms themselves are a second)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from linli.places.choices import BookingStatus
from linli.places.models import Room
from linli.places.timetable import local_start, readable_bookings

METRICS = [
    ("bookings", "预约次数"),
    ("hours", "预约时长（小时）"),
    ("expected", "预计人数"),
    ("attended", "实到人数"),
    ("no_shows", "爽约"),
    ("cancelled", "取消"),
]


@dataclass
class Cell:
    bookings: int = 0
    hours: float = 0.0
    expected: int = 0
    attended: int = 0
    recorded: int = 0  # bookings whose attendance is recorded
    recorded_expected: int = 0  # their expected attendance (the 出勤率's base)
    no_shows: int = 0
    cancelled: int = 0

    def add(self, other: Cell) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def hours_text(self) -> str:
        return f"{self.hours:g}"

    def values(self) -> list:
        return [self.bookings, round(self.hours, 1), self.expected, self.attended, self.no_shows, self.cancelled]


@dataclass
class RoomUsage:
    room: Room
    months: list[Cell] = field(default_factory=lambda: [Cell() for _ in range(12)])
    total: Cell = field(default_factory=Cell)

    @property
    def rate(self) -> str:
        return rate(self.total)


@dataclass
class Usage:
    year: int
    rows: list[RoomUsage]
    months: list[Cell]  # every room together, by month
    total: Cell

    @property
    def peak(self) -> int:
        """The largest monthly count of bookings of one room (the shading's scale)."""
        return max((c.bookings for r in self.rows for c in r.months), default=0)

    @property
    def rate(self) -> str:
        return rate(self.total)


def usage(user, rooms, year: int) -> Usage:
    """The figures of `rooms` (already restricted and filtered) in `year`."""
    rooms = list(rooms.select_related("community").order_by("community__name", "community_id", "sort", "name", "id"))
    by_room = {r.pk: RoomUsage(r) for r in rooms}
    start, end = local_start(datetime.date(year, 1, 1)), local_start(datetime.date(year + 1, 1, 1))
    confirmed = Q(status=BookingStatus.CONFIRMED)
    length = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    grouped = (
        readable_bookings(user, by_room)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .annotate(month=TruncMonth("starts_at", tzinfo=timezone.get_current_timezone()))
        .values("room_id", "month")
        .annotate(
            bookings=Count("id", filter=confirmed),
            length=Sum(length, filter=confirmed),
            expected=Sum("expected_attendance", filter=confirmed),
            attended=Sum("attendance", filter=confirmed),
            recorded=Count("id", filter=confirmed & Q(attendance__isnull=False)),
            recorded_expected=Sum("expected_attendance", filter=confirmed & Q(attendance__isnull=False)),
            no_shows=Count("id", filter=confirmed & Q(no_show=True)),
            cancelled=Count("id", filter=Q(status=BookingStatus.CANCELLED)),
        )
        .order_by()
    )
    months = [Cell() for _ in range(12)]
    total = Cell()
    for g in grouped:
        month = g["month"]
        index = (month.month if hasattr(month, "month") else int(str(month)[5:7])) - 1
        length_of = g["length"] or datetime.timedelta()
        cell = Cell(
            bookings=g["bookings"],
            hours=round(length_of.total_seconds() / 3600, 2),
            expected=g["expected"] or 0,
            attended=g["attended"] or 0,
            recorded=g["recorded"],
            recorded_expected=g["recorded_expected"] or 0,
            no_shows=g["no_shows"],
            cancelled=g["cancelled"],
        )
        row = by_room[g["room_id"]]
        row.months[index].add(cell)
        row.total.add(cell)
        months[index].add(cell)
        total.add(cell)
    figures = Usage(year=year, rows=list(by_room.values()), months=months, total=total)
    peak = figures.peak
    for row in figures.rows:
        for cell in row.months:  # the 人气 table's shading, 0 (none) to 4 (the busiest room-month)
            cell.heat = 0 if not cell.bookings else 1 + min(3, 4 * cell.bookings // (peak + 1))
    return figures


def write_usage_xlsx(figures: Usage, out) -> int:
    """The figures as a workbook: 按功能室 (a year's totals per room), 按月 (room × month, every metric). Returns the
    number of data rows written (the export log's row count)."""
    from linli.core.excel.download import formula_like, safe_workbook

    book = safe_workbook(out)
    bold = book.add_format({"bold": True})
    text = book.add_format({"quote_prefix": True})
    heads = [label for _, label in METRICS]

    def name_cell(sheet, row, col, value):
        sheet.write_string(row, col, value, text if formula_like(value) else None)

    sheet = book.add_worksheet("按功能室")
    sheet.write_row(0, 0, ["社区", "功能室", *heads, "出勤率"], bold)
    for i, r in enumerate(figures.rows, start=1):
        name_cell(sheet, i, 0, r.room.community.name)
        name_cell(sheet, i, 1, r.room.name)
        sheet.write_row(i, 2, [*r.total.values(), rate(r.total) or ""])
    last = len(figures.rows) + 1
    sheet.write_row(last, 0, ["合计", "", *figures.total.values(), rate(figures.total) or ""], bold)
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 8, 12)

    sheet = book.add_worksheet("按月")
    sheet.write_row(0, 0, ["社区", "功能室", "月份", *heads], bold)
    n = 0
    for r in figures.rows:
        for m, cell in enumerate(r.months, start=1):
            n += 1
            name_cell(sheet, n, 0, r.room.community.name)
            name_cell(sheet, n, 1, r.room.name)
            sheet.write_string(n, 2, f"{figures.year}-{m:02d}")
            sheet.write_row(n, 3, cell.values())
    sheet.set_column(0, 2, 14)
    sheet.set_column(3, 8, 12)
    book.close()
    return len(figures.rows)


def rate(cell: Cell) -> str:
    """实到/预计 over the bookings whose attendance was recorded, as a percent; "" when none was."""
    if not cell.recorded or not cell.recorded_expected:
        return ""
    return f"{round(100 * cell.attended / cell.recorded_expected)}%"
