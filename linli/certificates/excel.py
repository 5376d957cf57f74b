"""证明登记簿 as .xlsx: every number of the filter in order, voids included; ID numbers never (masked on the page
too); one export-log row per file."""

from __future__ import annotations

from django.utils import timezone

from linli.certificates.choices import ExportKind
from linli.core.excel.download import formula_like, safe_workbook
from linli.core.excel.exports import record_export

HEADERS = ["编号", "社区", "证明类型", "居民", "用途", "开具人", "开具时间", "有效期至", "状态", "作废原因", "替换"]
WIDTHS = [24, 12, 22, 10, 24, 10, 18, 12, 8, 24, 24]


def _row(c) -> list[str]:
    return [
        c.number,
        c.community.name,
        c.title,
        c.resident.name,
        c.purpose,
        c.issued_by_label,
        timezone.localtime(c.issued_at).strftime("%Y-%m-%d %H:%M"),
        c.valid_until.isoformat() if c.valid_until else "长期",
        c.get_status_display(),
        c.void_reason,
        c.replaces.number if c.replaces_id else "",
    ]


def write_register_xlsx(rows, *, user, out, filters: dict) -> int:
    workbook = safe_workbook(out)
    sheet = workbook.add_worksheet("证明登记簿")
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    sheet.write_row(0, 0, HEADERS, bold)
    count = 0
    for count, c in enumerate(rows, start=1):
        for col, value in enumerate(_row(c)):
            sheet.write_string(count, col, value, quoted if formula_like(value) else None)
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 1)
    workbook.close()
    record_export(user, ExportKind.REGISTER, filters=filters, row_count=count, masked=True)
    return count
