"""功能室预约 as .xlsx: one row per booking of the list's filter; phones masked; one export-log row per file."""

from __future__ import annotations

from django.utils import timezone

from linli.core.excel.download import formula_like, safe_workbook
from linli.core.excel.exports import record_export
from linli.core.phone import mask_phone
from linli.places.choices import ExportKind

HEADERS = [
    "社区",
    "功能室",
    "日期",
    "开始",
    "结束",
    "状态",
    "预约方",
    "预约人/组织",
    "用途",
    "预计人数",
    "实到人数",
    "爽约",
    "联系电话",
    "周期预约",
    "取消/不通过原因",
]


def _row(b) -> list:
    start, end = timezone.localtime(b.starts_at), timezone.localtime(b.ends_at)
    return [
        b.community.name,
        b.room.name,
        f"{start:%Y-%m-%d}",
        f"{start:%H:%M}",
        f"{end:%H:%M}",
        b.get_status_display(),
        b.get_booker_kind_display(),
        b.booker_name,
        b.purpose,
        b.expected_attendance,
        "" if b.attendance is None else b.attendance,
        "是" if b.no_show else "",
        mask_phone(b.contact_phone) if b.contact_phone else "",
        "是" if b.series_id else "",
        b.cancel_reason,
    ]


def write_bookings_xlsx(rows, *, user, out, filters: dict) -> int:
    workbook = safe_workbook(out)
    sheet = workbook.add_worksheet("功能室预约")
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    sheet.write_row(0, 0, HEADERS, bold)
    count = 0
    for r, booking in enumerate(rows, start=1):
        count = r
        for c, value in enumerate(_row(booking)):
            if isinstance(value, str):
                sheet.write_string(r, c, value, quoted if formula_like(value) else None)
            else:
                sheet.write_number(r, c, value)
    sheet.set_column(0, 1, 14)
    sheet.set_column(2, 2, 11)
    sheet.set_column(7, 8, 22)
    sheet.freeze_panes(1, 3)
    workbook.close()
    record_export(user, ExportKind.BOOKINGS, filters=filters, row_count=count, masked=True)
    return count
