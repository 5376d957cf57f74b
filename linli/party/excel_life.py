"""The compliance table as a workbook: one row per branch, its community, and a column per kind (a month) or per
month (a year, each cell listing the kinds by status). Recorded in the export log (ExportKind.COMPLIANCE)."""

from __future__ import annotations

from linli.core.excel.download import safe_workbook
from linli.core.excel.exports import record_export
from linli.party import compliance
from linli.party.choices import ExportKind, MeetingKind


def write_compliance_xlsx(rows, year: int, month: int | None, *, user, out) -> int:
    book = safe_workbook(out)
    sheet = book.add_worksheet(f"{year}年{month}月" if month else f"{year}年")
    bold = book.add_format({"bold": True})
    if month:
        headers = ["社区", "党组织", "书记", *[MeetingKind(k).label for k in compliance.KINDS]]
    else:
        headers = ["社区", "党组织", "书记", *[f"{m}月" for m in range(1, 13)]]
    for col, text in enumerate(headers):
        sheet.write_string(0, col, text, bold)
    r = 0
    for r, row in enumerate(rows, start=1):
        org = row.org
        sheet.write_string(r, 0, org.community.name if org.community_id else "")
        sheet.write_string(r, 1, org.name)
        sheet.write_string(r, 2, org.secretary_name)
        if month:
            for col, cell in enumerate(row.cells(month), start=3):
                sheet.write_string(r, col, f"{cell.label} {cell.detail}".strip())
        else:
            for col, m in enumerate(range(1, 13), start=3):
                text = " ".join(f"{c.short}{c.symbol}" for c in row.cells(m))
                sheet.write_string(r, col, text)
    legend = "；".join(f"{symbol} {label}" for label, symbol in compliance.STATUS.values())
    sheet.write_string(r + 2, 0, "图例：" + legend)
    sheet.set_column(0, 1, 20)
    sheet.set_column(3, 3 + 12, 14)
    book.close()
    record_export(user, ExportKind.COMPLIANCE, row_count=len(rows), filters={"year": year, "month": month})
    return len(rows)
