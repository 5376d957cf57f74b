"""Printable and exportable tables (走访台账, 民情日记, 走访统计, 问题清单): one description, two outputs.

A feature app builds a `Ledger` (title, sections of rows, each with its headers) from rows it has already
restricted to the user; `print_response` renders it as A4 pages in the style of the printed resident ledger
(ledgers/print_ledger.html, static linli/print.css) and `xlsx_response` as an .xlsx attachment through
linli.core.excel.download.xlsx_download. Both write the export log (record_export: who, what, filters, rows),
so every copy of personal data that leaves the screen is in it.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from linli.core.excel.download import safe_workbook, xlsx_download
from linli.core.excel.exports import record_export

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def parse_month(value, *, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """'2026-05' -> (first day, first day of the next month); blank is this month; anything else a 404 in Chinese."""
    today = today or timezone.localdate()
    text = (value or "").strip()
    if not text:
        start = today.replace(day=1)
    else:
        m = _MONTH.match(text) if text.isascii() else None
        if m is None or not (2000 <= int(m.group(1)) <= 2100 and 1 <= int(m.group(2)) <= 12):
            raise Http404("月份格式不正确，应为“2026-05”这样的年-月。")
        start = datetime.date(int(m.group(1)), int(m.group(2)), 1)
    end = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start, end


@dataclass
class Section:
    """One printed page group (a grid, a list) and one block of the sheet."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    meta: str = ""
    empty: str = "没有记录。"


@dataclass
class Ledger:
    title: str
    sections: list[Section]
    #: xlsx column widths (characters) by header; others get 12
    widths: dict[str, int] = field(default_factory=dict)
    #: export kinds (registered by the app) and the filters as applied
    print_kind: str = ""
    xlsx_kind: str = ""
    filters: dict = field(default_factory=dict)
    filename: str = "台账"
    ascii_name: str = "ledger"
    footer: str = "内含居民个人信息，请妥善保管，不得拍照外传。"
    #: page controls (grid and month pickers), rendered on screen only
    controls: dict = field(default_factory=dict)
    back_url: str = ""

    @property
    def row_count(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def print_response(request, ledger: Ledger, *, xlsx_url: str = "", template: str = "core/print_table.html"):
    """The ledger as A4 pages (one section per page), recorded in the export log."""
    record_export(request.user, ledger.print_kind, row_count=ledger.row_count, filters=ledger.filters)
    ctx = {"ledger": ledger, "printed_on": timezone.localdate(), "xlsx_url": xlsx_url}
    return render(request, template, ctx)


def write_ledger_xlsx(ledger: Ledger, out) -> None:
    """One sheet: the title, then each section's title, headers and rows."""
    workbook = safe_workbook(out)
    workbook.set_properties({"title": ledger.title, "comments": "由邻里导出，请妥善保管。"})
    sheet = workbook.add_worksheet(ledger.title[:31].replace("/", "-"))
    title = workbook.add_format({"bold": True, "font_size": 14})
    section = workbook.add_format({"bold": True, "font_size": 12})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    cell = workbook.add_format({"text_wrap": True, "valign": "top", "border": 1})
    date_cell = workbook.add_format({"num_format": "yyyy-mm-dd", "valign": "top", "border": 1})
    widest = max((len(s.headers) for s in ledger.sections), default=1)
    for col in range(widest):
        names = {s.headers[col] for s in ledger.sections if col < len(s.headers)}
        sheet.set_column(col, col, max((ledger.widths.get(n, 12) for n in names), default=12))
    row = 0
    sheet.write_string(row, 0, ledger.title, title)
    for s in ledger.sections:
        row += 2
        sheet.write_string(row, 0, s.title + (f"　{s.meta}" if s.meta else ""), section)
        row += 1
        for col, name in enumerate(s.headers):
            sheet.write_string(row, col, name, header)
        for values in s.rows:
            row += 1
            for col, value in enumerate(values):
                if value is None or value == "":
                    sheet.write_blank(row, col, None, cell)
                elif isinstance(value, datetime.datetime):
                    sheet.write_string(row, col, timezone.localtime(value).strftime("%Y-%m-%d %H:%M"), cell)
                elif isinstance(value, datetime.date):
                    sheet.write_datetime(row, col, datetime.datetime.combine(value, datetime.time()), date_cell)
                elif isinstance(value, bool):
                    sheet.write_string(row, col, "是" if value else "", cell)
                elif isinstance(value, (int, float)):
                    sheet.write_number(row, col, value, cell)
                else:
                    sheet.write_string(row, col, str(value), cell)
    workbook.close()


def xlsx_response(request, ledger: Ledger):
    """The ledger as an .xlsx attachment, recorded in the export log."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = xlsx_download(
        lambda out: write_ledger_xlsx(ledger, out),
        f"{ledger.filename}_{stamp}.xlsx",
        f"{ledger.ascii_name}_{stamp}.xlsx",
    )
    record_export(request.user, ledger.xlsx_kind, row_count=ledger.row_count, filters=ledger.filters)
    return response
