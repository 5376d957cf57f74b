"""Replies back to the 12345 hotline: one row per work order whose appeal is resolved or closed.

Columns are the ones the hotline's 回复导入 accepts: 工单编号, 办理结果, 办结时间, 回访情况.
An appeal merged into another (已合并, a neighbour's report of the same matter) is answered with the
main appeal's result, which is what its caller is told too.

Every cell is data, never a formula: xlsxwriter is told not to turn strings into formulas, links or
numbers (as the ledger export), and a text starting with = + - @ is written with Excel's quote prefix,
so the hotline's clerk who opens and edits the sheet does not run "=HYPERLINK(...)" from a resident's
text either (linli.core.excel.download). Exports are recorded (HotlineExport; a user's download also in the
export log, record_export)
and each order's exported_at is set; re-exporting is allowed (the hotline takes the latest reply).
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from linli.appeals.choices import Outcome, Rating, ReplyMethod, Status
from linli.core.excel.download import formula_like, safe_workbook
from linli.core.excel.exports import record_export
from linli.core.querysets import require_perm
from linli.hotline.choices import ExportKind
from linli.hotline.models import HotlineExport, HotlineOrder

__all__ = ["HEADERS", "export_rows", "reply_rows", "write_replies_xlsx"]

HEADERS = ("工单编号", "办理结果", "办结时间", "回访情况")
WIDTHS = (22, 60, 20, 50)
ANSWERED = (Status.RESOLVED, Status.CLOSED)
NOT_REPLIED = "未回访"


def export_rows(community, *, user=None, since: datetime.date | None = None, only_new: bool = False):
    """The orders of `community` with an answer, restricted to `user` (appeal.export) when given."""
    if user is not None:
        require_perm(user, "appeal.export")
        orders = HotlineOrder.objects.restrict(user, "export")
    else:
        orders = HotlineOrder.objects.all()
    orders = orders.filter(community=community).filter(
        Q(appeal__status__in=ANSWERED) | Q(appeal__status=Status.MERGED, appeal__merged_into__status__in=ANSWERED)
    )
    if since is not None:
        start = timezone.make_aware(datetime.datetime.combine(since, datetime.time(0)))
        orders = orders.filter(
            Q(appeal__resolved_at__gte=start)
            | Q(appeal__status=Status.MERGED, appeal__merged_into__resolved_at__gte=start)
        )
    if only_new:
        orders = orders.filter(exported_at__isnull=True)
    return orders.select_related("appeal", "appeal__merged_into").order_by("imported_at", "id")


def _result(appeal) -> str:
    if not appeal.outcome:
        return ""
    text = f"{Outcome(appeal.outcome).label}：{appeal.resolution}"
    if appeal.explanation:
        text += f"（说明：{appeal.explanation}）"
    return text


def _reply(appeal, answer) -> str:
    """回访情况 of the order's own appeal; a merged one was replied to with the main appeal's reply."""
    source = appeal if appeal.replied_at else answer
    if not source.replied_at or not source.reply_text:
        return NOT_REPLIED
    method = ReplyMethod(source.reply_method).label if source.reply_method else "回访"
    rating = Rating(appeal.rating or Rating.NONE).label if source is appeal else Rating.NONE.label
    text = f"{method}，{rating}：{source.reply_text}"
    if source is appeal and appeal.rating_note:
        text += f"（{appeal.rating_note}）"
    return text


def reply_rows(orders) -> list[tuple[str, str, datetime.datetime | None, str]]:
    rows = []
    for order in orders:
        appeal = order.appeal
        answer = appeal.merged_into if appeal.status == Status.MERGED and appeal.merged_into_id else appeal
        result = _result(answer)
        if answer is not appeal:
            result = f"{result}（与诉求{answer.number}合并办理）"
        resolved = (
            timezone.localtime(answer.resolved_at).replace(tzinfo=None, microsecond=0) if answer.resolved_at else None
        )
        rows.append((order.order_no, result, resolved, _reply(appeal, answer)))
    return rows


def write_replies_xlsx(
    community, out, *, user=None, label: str = "", since: datetime.date | None = None, only_new: bool = False
) -> int:
    """Write the reply sheet of `community` to `out` (path or binary file); mark and record the export."""
    orders = list(export_rows(community, user=user, since=since, only_new=only_new))
    rows = reply_rows(orders)
    workbook = safe_workbook(out)
    workbook.set_properties({"title": "12345工单办理结果", "comments": f"由邻里导出：{community.name}"})
    sheet = workbook.add_worksheet("办理结果")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss", "valign": "top"})
    text_col = workbook.add_format({"num_format": "@", "valign": "top"})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width, text_col if col == 0 else None)
    sheet.freeze_panes(1, 0)
    for col, title in enumerate(HEADERS):
        sheet.write_string(0, col, title, header)

    def put(r, c, text):
        fmt = quoted if formula_like(text) else (text_col if c == 0 else wrap)
        sheet.write_string(r, c, text, fmt)

    for r, (order_no, result, resolved, reply) in enumerate(rows, start=1):
        put(r, 0, order_no)
        put(r, 1, result)
        if resolved is not None:
            sheet.write_datetime(r, 2, resolved, when)
        put(r, 3, reply)
    workbook.close()

    now = timezone.now()
    HotlineOrder.objects.filter(pk__in=[o.pk for o in orders]).update(exported_at=now)
    HotlineExport.objects.create(
        user=user, label=label[:64], community=community, since=since, only_new=only_new, row_count=len(rows)
    )
    if user is not None:  # the export log of a person's downloads; the CLI's are in HotlineExport only
        record_export(
            user,
            ExportKind.HOTLINE_REPLIES,
            filters={"community": community, "since": since, "only_new": only_new or None},
            row_count=len(rows),
        )
    return len(rows)
