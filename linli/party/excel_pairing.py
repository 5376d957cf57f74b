"""党员服务汇总 as .xlsx: one row per member with the year's figures, a total row; phones masked; one export-log row
per file (record_export)."""

from __future__ import annotations

from linli.core.excel.download import formula_like, safe_workbook
from linli.core.excel.exports import record_export
from linli.party.choices import ExportKind

HEADERS = [
    "社区",
    "姓名",
    "所在支部",
    "党员状态",
    "工作单位",
    "联系电话",
    "志愿服务时长（小时）",
    "参加志愿活动（次）",
    "认领微心愿",
    "实现微心愿",
    "结对帮扶户数",
    "帮扶记录",
    "参加组织生活",
    "应参加",
    "出勤率",
]


def _row(member, f) -> list:
    return [
        member.community.name,
        member.name,
        member.branch.name if member.branch_id else "",
        member.get_status_display(),
        member.work_unit.name if member.work_unit_id else member.work_unit_name,
        member.masked_phone,
    ] + f.cells()


def write_service_xlsx(rows, total, year: int, *, user, out, filters: dict) -> int:
    """Write `rows` ([(member, Figures)]) and `total`; returns the number of member rows."""
    workbook = safe_workbook(out)
    sheet = workbook.add_worksheet(f"{year}年党员服务")
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    sheet.write_row(0, 0, HEADERS, bold)
    r = 0
    for r, (member, figures) in enumerate(rows, start=1):
        for c, value in enumerate(_row(member, figures)):
            if isinstance(value, str):
                sheet.write_string(r, c, value, quoted if formula_like(value) else None)
            else:
                sheet.write_number(r, c, value)
    total_row = ["合计", f"{total.members}人", "", "", "", ""] + total.cells()
    sheet.write_row(r + 1, 0, total_row, bold)
    sheet.set_column(0, 0, 12)
    sheet.set_column(1, 1, 10)
    sheet.set_column(2, 4, 18)
    sheet.set_column(5, len(HEADERS) - 1, 12)
    sheet.freeze_panes(1, 2)
    workbook.close()
    record_export(user, ExportKind.SERVICE, filters=filters, row_count=len(rows), masked=True)
    return len(rows)
