"""A work report as .xlsx, for the street to edit: the figures with their comparisons as numbers, the unresolved
items, the notable cases and the staff's text. One export-log row per file."""

from __future__ import annotations

from linli.core.excel.download import formula_like, safe_workbook
from linli.core.excel.exports import record_export
from linli.workreports.choices import ExportKind
from linli.workreports.render import report_view


def _change_label(label: str) -> str:
    return f"较{label}" if not label.startswith("去年") else "较去年同期"


def write_report_xlsx(report, *, user, out) -> int:
    v = report_view(report, user=user)
    figures = v.figures
    book = safe_workbook(out)
    sheet = book.add_worksheet("工作报告")
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    quoted = book.add_format({"quote_prefix": True, "text_wrap": True, "valign": "top"})

    def text(row, col, value, fmt=None):
        value = str(value or "")
        sheet.write_string(row, col, value, quoted if formula_like(value) else fmt)

    row = 0
    text(row, 0, str(report), title)
    row += 1
    status = f"{report.get_status_display()}" + (f" {report.number}" if report.number else "")
    text(row, 0, f"报告期：{figures['period']}　状态：{status}")
    row += 2
    if report.foreword:
        text(row, 0, "综述", bold)
        text(row, 1, report.foreword, wrap)
        row += 2
    headers = ["栏目", "指标", "单位", figures["period"]]
    for c in figures["compare"]:
        headers += [f"{c['label']}（{c['period']}）", _change_label(c["label"])]
    sheet.write_row(row, 0, headers, bold)
    row += 1
    count = 0
    for section in v.sections:
        for r in section["rows"]:
            text(row, 0, section["label"])
            text(row, 1, r["label"] + (f"（目标{r['goal']}%）" if r.get("goal") else ""))
            text(row, 2, r["unit"])
            col = 3
            for value in [r["value"], *[x for c in r["compare"] for x in (c["value"], c["change"])]]:
                if value is None:
                    text(row, col, "—")
                else:
                    sheet.write_number(row, col, value)
                col += 1
            row += 1
            count += 1
        if section["paragraph"]:
            text(row, 0, section["label"])
            text(row, 1, "工作情况说明")
            text(row, 3, section["paragraph"], wrap)
            row += 1
    row += 1
    text(row, 0, "待解决事项", bold)
    row += 1
    for label, item in v.unresolved or [("", {"label": "无", "value": None, "unit": ""})]:
        text(row, 0, label)
        text(row, 1, item["label"])
        text(row, 2, item["unit"])
        if item["value"] is not None:
            sheet.write_number(row, 3, item["value"])
        row += 1
    row += 1
    text(row, 0, "典型案例", bold)
    row += 1
    sheet.write_row(row, 0, ["编号", "事项", "办理结果", "说明"], bold)
    row += 1
    for case in v.cases:
        for col, value in enumerate([case.number, case.title, case.outcome, case.note]):
            text(row, col, value, wrap)
        row += 1
    if report.closing:
        row += 1
        text(row, 0, "下一步工作", bold)
        text(row, 1, report.closing, wrap)
    for col, width in enumerate([14, 24, 8, 14, 16, 10, 16, 10]):
        sheet.set_column(col, col, width)
    book.close()
    record_export(user, ExportKind.XLSX, filters={"sheet": str(report)}, row_count=count, masked=True)
    return count
