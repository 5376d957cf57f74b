"""A campaign's list out of Linli in the department's own column layout (Campaign.export_columns).

The layout is an ordered list of {"header": what the department's sheet calls the column, "field": what goes in
it}. Fields (FIELDS): 姓名, 身份证号, 性别, 年龄, 出生日期, 地址, 电话, 网格, 楼栋, 结果, 是否完成, 登记人, 登记时间,
备注, and "row:<原表列名>" for a column kept from the department's imported sheet (CampaignTarget.source_row).

The file follows the registry export's rules (linli.ledgers.exporter): ID numbers masked unless the role holds
resident.reveal_id and asks for full numbers (then recorded as unmasked); phones masked unless the role holds
resident.reveal_phone. Every export is recorded (record_export).
"""

from __future__ import annotations

from itertools import islice

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from linli.campaigns.choices import ExportKind
from linli.campaigns.models import Campaign, CampaignTarget
from linli.core import crypto
from linli.core.excel.download import safe_workbook
from linli.core.excel.exports import record_export
from linli.core.phone import mask_phone
from linli.core.querysets import require_perm
from linli.residents.choices import Sex
from linli.residents.idcard import age_on

#: field -> the header a new layout gives it
FIELDS: dict[str, str] = {
    "name": "姓名",
    "id_number": "身份证号",
    "sex": "性别",
    "age": "年龄",
    "birth_date": "出生日期",
    "address": "地址",
    "phone": "电话",
    "grid": "网格",
    "building": "楼栋",
    "outcome": "结果",
    "done": "是否完成",
    "recorded_by": "登记人",
    "recorded_at": "登记时间",
    "note": "备注",
}
DEFAULT_LAYOUT = (
    "name",
    "id_number",
    "sex",
    "age",
    "address",
    "phone",
    "grid",
    "outcome",
    "recorded_by",
    "recorded_at",
    "note",
)
ROW_PREFIX = "row:"
MAX_COLUMNS = 60
CHUNK = 2000


def sheet_headers(campaign: Campaign) -> list[str]:
    """The imported sheets' own column names (in the order first seen), for the layout page."""
    seen: dict[str, None] = {}
    rows = CampaignTarget.objects.filter(campaign=campaign).exclude(source_row={}).values_list("source_row", flat=True)
    for row in rows[:200]:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def field_choices(campaign: Campaign) -> list[tuple[str, str]]:
    return [*FIELDS.items(), *((f"{ROW_PREFIX}{h}", f"原表：{h}") for h in sheet_headers(campaign))]


def layout(campaign: Campaign) -> list[dict]:
    """The saved layout, or the default one (with the imported sheet's columns after it)."""
    if campaign.export_columns:
        return list(campaign.export_columns)
    cols = [{"header": FIELDS[f], "field": f} for f in DEFAULT_LAYOUT]
    return cols + [{"header": h, "field": f"{ROW_PREFIX}{h}"} for h in sheet_headers(campaign)]


def check_columns(campaign: Campaign, columns: list[dict]) -> list[dict]:
    """The layout cleaned, or ValidationError in Chinese (no header, unknown field, repeated header)."""
    cleaned, seen, problems = [], set(), []
    for n, column in enumerate(columns, 1):
        header = " ".join(str(column.get("header") or "").split())
        field = str(column.get("field") or "").strip()
        if not header and not field:
            continue
        if not header:
            problems.append(f"第{n}列没有填写列名。")
        elif len(header) > 40:
            problems.append(f"第{n}列的列名太长（最多40个字）。")
        elif header in seen:
            problems.append(f"列名“{header}”重复了。")
        if field not in FIELDS and not (field.startswith(ROW_PREFIX) and len(field) > len(ROW_PREFIX)):
            problems.append(f"第{n}列“{header}”：请选择这一列填什么内容。")
        seen.add(header)
        cleaned.append({"header": header, "field": field})
    if not cleaned:
        problems.append("请至少设置一列。")
    if len(cleaned) > MAX_COLUMNS:
        problems.append(f"最多{MAX_COLUMNS}列。")
    if problems:
        raise ValidationError(problems)
    return cleaned


def _address(building, entrance, room) -> str:
    return f"{building}{entrance}单元{room}"


def write_targets_xlsx(campaign: Campaign, queryset, *, user, out, reveal_ids: bool = False, filters=None) -> int:
    """Write the targets of `queryset` (the campaign's, filtered by the caller) in the campaign's layout; returns
    the row count. The queryset is restricted to `user` once more here."""
    require_perm(user, "campaign.export")
    if reveal_ids and not user.has_role_perm("resident.reveal_id"):
        raise PermissionDenied("您的角色不能导出完整的身份证号码。")
    columns = layout(campaign)
    fields = [c["field"] for c in columns]
    full_phones = user.has_role_perm("resident.reveal_phone")
    today = timezone.localdate()
    sexes = dict(Sex.choices)
    rows = (
        queryset.restrict(user, "export")
        .filter(campaign=campaign)
        .values_list(
            "resident__name",
            "resident__id_masked",
            "resident__id_cipher" if reveal_ids and "id_number" in fields else "resident__id_last4",
            "resident__sex",
            "resident__birth_date",
            "building__name",
            "household__entrance",
            "household__room",
            "resident__phone",
            "grid__name",
            "outcome__label",
            "done",
            "recorded_by__full_name",
            "recorded_by__username",
            "recorded_at",
            "note",
            "source_row",
        )
        .order_by("building__number", "household__entrance", "household__floor", "household__room", "id")
    )
    workbook = safe_workbook(out, constant_memory=True)
    workbook.set_properties({"title": campaign.name, "comments": "由邻里导出，内含居民个人信息，请妥善保管。"})
    sheet = workbook.add_worksheet("名单"[:31])
    header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    text = workbook.add_format({"num_format": "@"})
    for col, column in enumerate(columns):
        width = 20 if column["field"] in ("id_number", "address", "recorded_at", "note") else 12
        sheet.set_column(col, col, width, text if column["field"] in ("id_number", "phone") else None)
        sheet.write_string(0, col, column["header"], header_format)
    sheet.freeze_panes(1, 0)
    r = 0
    iterator = rows.iterator(chunk_size=CHUNK)
    while chunk := list(islice(iterator, CHUNK)):
        for (
            name,
            id_masked,
            cipher,
            sex,
            birth,
            building,
            entrance,
            room,
            phone,
            grid,
            outcome,
            done,
            by_name,
            by_username,
            recorded_at,
            note,
            source_row,
        ) in chunk:
            r += 1
            values = {
                "name": name,
                "id_number": (crypto.decrypt_text(cipher) if reveal_ids and cipher else id_masked) or "",
                "sex": sexes.get(sex, sex or ""),
                "age": str(age_on(birth, today)) if birth and birth <= today else "",
                "birth_date": birth.isoformat() if birth else "",
                "address": _address(building, entrance, room),
                "phone": (phone if full_phones else mask_phone(phone)) if phone else "",
                "grid": grid or "",
                "building": building,
                "outcome": outcome or "未完成",
                "done": "是" if done else "否",
                "recorded_by": by_name or by_username or "",
                "recorded_at": timezone.localtime(recorded_at).strftime("%Y-%m-%d %H:%M") if recorded_at else "",
                "note": note or "",
            }
            for col, field in enumerate(fields):
                value = (
                    str((source_row or {}).get(field[len(ROW_PREFIX) :], ""))
                    if field.startswith(ROW_PREFIX)
                    else values.get(field, "")
                )
                if value:
                    sheet.write_string(r, col, value)
    sheet.autofilter(0, 0, max(r, 1), max(len(columns) - 1, 0))
    workbook.close()
    record_export(user, ExportKind.TARGETS, filters=filters, row_count=r, masked=not reveal_ids)
    return r
