"""Appeals out of Linli: any queue or filtered list of appeals as .xlsx.

Rows are restricted to the user once more here, so no caller can export what the user may not see.
The reporter's phone is masked unless the role may see residents' phones (resident.reveal_phone,
as on the resident pages); anonymous appeals say 匿名. Every export is recorded (record_export).

Rows come from one values_list() query streamed with .iterator(); xlsxwriter's constant_memory
mode flushes each row to disk, so a street's year of appeals takes seconds and little memory.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.appeals.choices import Channel, ExportKind, Outcome, Rating, Status, Urgency
from linli.core.excel.download import safe_workbook
from linli.core.excel.exports import record_export
from linli.core.phone import mask_phone

#: the export log's kind of an appeal export
EXPORT_KIND = ExportKind.APPEALS_XLSX
CHUNK = 2000

HEADERS = (
    "编号",
    "受理时间",
    "来源渠道",
    "问题类别",
    "紧急程度",
    "诉求内容",
    "地点",
    "反映人",
    "承办单位",
    "承办机构",
    "状态",
    "签收时限",
    "是否超期签收",
    "办结时限",
    "办结时间",
    "是否超期办结",
    "办理结果",
    "回访时间",
    "评价",
    "重办次数",
    "督办",
)
WIDTHS = (16, 17, 10, 12, 8, 50, 24, 20, 12, 20, 8, 17, 10, 17, 17, 10, 10, 17, 9, 8, 6)
DATETIME_COLUMNS = {"受理时间", "签收时限", "办结时限", "办结时间", "回访时间"}

_FIELDS = (
    "number",
    "received_at",
    "channel",
    "category__name",
    "urgency",
    "text",
    "community__name",
    "building__name",
    "household__entrance",
    "household__room",
    "address",
    "anonymous",
    "reporter__name",
    "reporter_name",
    "reporter_phone",
    "unit__name",
    "assigned_org__name",
    "status",
    "sign_due",
    "signed_late",
    "resolve_due",
    "resolved_at",
    "resolved_late",
    "outcome",
    "replied_at",
    "rating",
    "reopen_count",
    "supervised",
)


def _late(flag, due, now, still_waiting: bool) -> str:
    """是/否 once the step happened; 是（未完成）while waiting past the deadline; blank otherwise."""
    if flag is not None:
        return "是" if flag else "否"
    if still_waiting and due and due < now:
        return "是（尚未完成）"
    return ""


def place_of(community, building, entrance, room, address) -> str:
    if building and room:
        where = f"{building}{entrance}单元{room}"
    elif building:
        where = f"{building} {address}".strip()
    else:
        where = address
    return f"{community} {where}".strip()


def reporter_of(anonymous, resident_name, name, phone, *, full_phone: bool) -> str:
    if anonymous:
        return "匿名"
    shown = phone if full_phone else mask_phone(phone)
    return " ".join(x for x in (resident_name or name, shown) if x)


def write_appeals_xlsx(queryset, *, user, out, now: datetime.datetime | None = None, filters=None) -> int:
    """Write the appeals of `queryset` (filtered and ordered by the caller) to `out`; return the row count."""
    now = now or timezone.now()
    queryset = queryset.restrict(user)
    full_phone = user.is_superuser or user.has_role_perm("resident.reveal_phone")
    channels, urgencies, statuses = dict(Channel.choices), dict(Urgency.choices), dict(Status.choices)
    outcomes, ratings = dict(Outcome.choices), dict(Rating.choices)

    # A resident's text "=..." stays text.
    workbook = safe_workbook(out, constant_memory=True, remove_timezone=True)
    workbook.set_properties({"title": "诉求", "comments": "由邻里导出，内含反映人信息，请妥善保管。"})
    sheet = workbook.add_worksheet("诉求")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    when = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for col, width in enumerate(WIDTHS):
        sheet.set_column(col, col, width, when if HEADERS[col] in DATETIME_COLUMNS else None)
    sheet.freeze_panes(1, 0)
    for col, title in enumerate(HEADERS):
        sheet.write_string(0, col, title, header)

    def put_time(r, c, value):
        if value:
            sheet.write_datetime(r, c, timezone.localtime(value).replace(tzinfo=None), when)

    r = 0
    for (
        number,
        received_at,
        channel,
        category,
        urgency,
        text,
        community,
        building,
        entrance,
        room,
        address,
        anonymous,
        resident_name,
        reporter_name,
        reporter_phone,
        unit,
        org,
        status,
        sign_due,
        signed_late,
        resolve_due,
        resolved_at,
        resolved_late,
        outcome,
        replied_at,
        rating,
        reopen_count,
        supervised,
    ) in queryset.values_list(*_FIELDS).iterator(chunk_size=CHUNK):
        r += 1
        sheet.write_string(r, 0, number or "")
        put_time(r, 1, received_at)
        sheet.write_string(r, 2, channels.get(channel, channel))
        sheet.write_string(r, 3, category or "未分类")
        sheet.write_string(r, 4, urgencies.get(urgency, urgency))
        sheet.write_string(r, 5, text)
        sheet.write_string(r, 6, place_of(community, building, entrance, room, address))
        sheet.write_string(
            r, 7, reporter_of(anonymous, resident_name, reporter_name, reporter_phone, full_phone=full_phone)
        )
        sheet.write_string(r, 8, unit or "")
        sheet.write_string(r, 9, org or "")
        sheet.write_string(r, 10, statuses.get(status, status))
        put_time(r, 11, sign_due)
        sheet.write_string(r, 12, _late(signed_late, sign_due, now, status == Status.PENDING_SIGN))
        put_time(r, 13, resolve_due)
        put_time(r, 14, resolved_at)
        waiting = status in (Status.PENDING_SIGN, Status.IN_PROGRESS)
        sheet.write_string(r, 15, _late(resolved_late, resolve_due, now, waiting))
        sheet.write_string(r, 16, outcomes.get(outcome, "") if outcome else "")
        put_time(r, 17, replied_at)
        sheet.write_string(r, 18, ratings.get(rating, "") if rating else "")
        sheet.write_number(r, 19, reopen_count)
        sheet.write_string(r, 20, "是" if supervised else "")
    sheet.autofilter(0, 0, max(r, 1), len(HEADERS) - 1)
    workbook.close()

    record_export(user, EXPORT_KIND, filters=filters, row_count=r)
    return r
