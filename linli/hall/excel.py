"""The hall's lists as .xlsx (appointments, 代办, tickets): phones masked; one export-log row per file."""

from __future__ import annotations

from django.utils import timezone

from linli.core.excel.download import formula_like, safe_workbook
from linli.core.excel.exports import record_export
from linli.core.phone import mask_phone
from linli.hall.choices import ExportKind


def _write(title: str, headers: list[str], rows: list[list], out) -> None:
    workbook = safe_workbook(out)
    sheet = workbook.add_worksheet(title)
    bold = workbook.add_format({"bold": True})
    quoted = workbook.add_format({"quote_prefix": True})
    sheet.write_row(0, 0, headers, bold)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            if isinstance(value, (int, float)):
                sheet.write_number(r, c, value)
            else:
                text = "" if value is None else str(value)
                sheet.write_string(r, c, text, quoted if formula_like(text) else None)
    sheet.set_column(0, len(headers) - 1, 14)
    sheet.freeze_panes(1, 0)
    workbook.close()


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def write_appointments_xlsx(appointments, *, user, out, filters: dict) -> int:
    headers = ["社区", "预约时段", "窗口", "办理事项", "姓名", "联系电话", "状态", "备注"]
    rows = [
        [a.community.name, _when(a.starts_at), a.counter.name, a.matter.name, a.name, mask_phone(a.phone),
         a.get_status_display(), a.note]
        for a in appointments
    ]  # fmt: skip
    _write("便民服务预约", headers, rows, out)
    record_export(user, ExportKind.APPOINTMENTS, filters=filters, row_count=len(rows), masked=True)
    return len(rows)


def write_errands_xlsx(errands, *, user, out, filters: dict) -> int:
    headers = ["社区", "居民", "事项", "方式", "受理日期", "办结期限", "状态", "是否超期", "办结/退回日期", "办理结果",
               "结果交给", "交还日期", "经办人"]  # fmt: skip
    today = timezone.localdate()
    rows = [
        [e.community.name, e.resident.name, e.matter.name, e.get_kind_display(), str(e.accepted_on), str(e.due_on),
         e.get_status_display(), "超期" if e.is_overdue(today) else "", str(e.finished_on or ""), e.result,
         e.handed_to, str(e.handed_on or ""), str(e.handled_by or "")]
        for e in errands
    ]  # fmt: skip
    _write("代办帮办", headers, rows, out)
    record_export(user, ExportKind.ERRANDS, filters=filters, row_count=len(rows), masked=True)
    return len(rows)


def write_tickets_xlsx(tickets, *, user, out, filters: dict) -> int:
    headers = ["社区", "日期", "窗口", "号码", "办理事项", "状态", "取号时间", "叫号时间", "结束时间"]
    rows = [
        [t.community.name, str(t.day), t.counter.name, t.label, t.matter.name if t.matter_id else "",
         t.get_status_display(), _when(t.taken_at), _when(t.called_at), _when(t.finished_at)]
        for t in tickets
    ]  # fmt: skip
    _write("取号记录", headers, rows, out)
    record_export(user, ExportKind.TICKETS, filters=filters, row_count=len(rows), masked=True)
    return len(rows)
