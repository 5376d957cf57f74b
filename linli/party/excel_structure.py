"""A 双报到 unit's yearly service summary as .xlsx (phones masked; cell text never a formula)."""

from __future__ import annotations

from linli.core.excel.download import safe_workbook

HEADERS = [
    "姓名",
    "联系电话",
    "所在支部",
    "志愿服务时长（小时）",
    "参加活动（次）",
    "认领心愿（个）",
    "完成心愿（个）",
    "结对帮扶（户）",
    "帮扶记录（次）",
    "参加组织生活（次）",
    "应参加（次）",
    "参会率",
]


def _row(name, phone, branch, f) -> list:
    return [name, phone, branch, *f.cells(no_rate="—")]


def unit_summary_xlsx(summary, year: int, out) -> None:
    """`summary`: a linli.party.service.UnitFigures."""
    book = safe_workbook(out)
    sheet = book.add_worksheet(f"{year}年服务汇总")
    bold = book.add_format({"bold": True})
    unit = summary.unit
    sheet.write_row(0, 0, [f"{unit.name} {year}年在职党员到社区报到服务汇总"], bold)
    sheet.write_row(1, 0, [f"社区：{unit.community.name}", f"单位党组织：{unit.party_org_name or '—'}"])
    sheet.write_row(3, 0, HEADERS, bold)
    row = 4
    for member, figures in summary.members:
        branch = member.branch.name if member.branch_id else ""
        sheet.write_row(row, 0, _row(member.name, member.masked_phone, branch, figures))
        row += 1
    sheet.write_row(row, 0, _row(f"合计（{summary.total.members}人）", "", "", summary.total), bold)
    sheet.set_column(0, 2, 16)
    sheet.set_column(3, len(HEADERS) - 1, 12)
    book.close()
