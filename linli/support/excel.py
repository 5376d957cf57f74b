"""Excel files of 帮扶与共建: the directory, the assistance ledger, the yearly table per care group and the figures
per grid. Phones masked unless the user may reveal them; one export-log row per file (record_export)."""

from __future__ import annotations

from decimal import Decimal

from linli.core.excel.download import formula_like, safe_workbook
from linli.core.excel.exports import record_export
from linli.support.choices import ExportKind
from linli.support.figures import SOURCES


def _write(workbook, title: str, headers: list[str], rows) -> int:
    sheet = workbook.add_worksheet(title)
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    sheet.write_row(0, 0, headers, bold)
    n = 0
    for n, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
                sheet.write_number(n, c, float(value))
            else:
                text = str(value)
                sheet.write_string(n, c, text, quoted if formula_like(text) else None)
    sheet.set_column(0, len(headers) - 1, 14)
    sheet.freeze_panes(1, 1)
    return n


def write_organisations(orgs, *, user, out, filters: dict) -> int:
    headers = ["社区", "类型", "名称", "联系人", "联系电话", "地址", "惠民服务", "好商家年度", "共建项目"]
    rows = (
        [
            o.community.name,
            o.get_kind_display(),
            o.name,
            o.contact_name,
            o.phone_for(user),
            o.address,
            o.offer,
            o.merchant_year or "",
            "；".join(c.title for c in o.contributions.all()),
        ]
        for o in orgs
    )
    workbook = safe_workbook(out)
    n = _write(workbook, "驻区单位名录", headers, rows)
    workbook.close()
    masked = not user.has_role_perm("resident.reveal_phone")
    record_export(user, ExportKind.ORGANISATIONS, filters=filters, row_count=n, masked=masked)
    return n


def write_assistance(records, *, user, out, filters: dict) -> int:
    headers = ["日期", "社区", "受助户", "类型", "内容", "金额（元）", "数量", "来源", "发放人"]
    rows = (
        [
            a.given_on.isoformat(),
            a.community.name,
            a.household.address,
            a.get_kind_display(),
            a.description,
            a.amount,
            a.quantity,
            a.source_text,
            a.given_by,
        ]
        for a in records
    )
    workbook = safe_workbook(out)
    n = _write(workbook, "帮扶记录", headers, rows)
    workbook.close()
    record_export(user, ExportKind.ASSISTANCE, filters=filters, row_count=n)
    return n


def care_headers() -> list[str]:
    heads = ["受助户", "帮扶对象"]
    for source in SOURCES:
        heads += [f"{source.label}（次）", f"{source.label}（元）"]
    return heads + ["合计（次）", "合计（元）", "结对"]


def write_care_table(rows, year: int, *, user, out, filters: dict) -> int:
    lines = (
        [r.household.address, "；".join(f"{name}（{'、'.join(tags)}）" for name, tags in r.people)] + r.cells()
        for r in rows
    )
    workbook = safe_workbook(out)
    n = _write(workbook, f"{year}年帮扶年度表", care_headers(), lines)
    workbook.close()
    record_export(user, ExportKind.CARE_TABLE, filters=filters, row_count=n)
    return n


def write_grid_figures(rows, total, year: int, *, user, out) -> int:
    headers = ["网格", "帮扶对象户", "结对户", "本年获得帮扶户", "本年未获帮扶户"]
    lines = [[r.label, r.need, r.paired, r.assisted, r.nothing] for r in [*rows, total]]
    workbook = safe_workbook(out)
    _write(workbook, f"{year}年网格帮扶统计", headers, lines)
    workbook.close()
    record_export(user, ExportKind.GRID_FIGURES, filters={"year": year}, row_count=len(rows))
    return len(rows)
