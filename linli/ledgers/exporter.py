"""Resident ledgers out of Linli: the .xlsx export of any filtered resident list.

The file follows the page's rules, not looser ones: ID numbers masked (full numbers only on
explicit request by a role that may reveal them, and then recorded), phones masked unless the
role may see them, sensitive care groups left out for roles that may not see them. Every export
is recorded in the export log (record_export: who, which filter, how many rows, masked or not).

Speed and memory: rows come from one values_list() query streamed with .iterator(), tags from
one query per chunk of rows, and xlsxwriter's constant_memory mode flushes each row to disk as
soon as it is written, so 100,000 rows take seconds and a few MB of memory.
"""

from __future__ import annotations

import datetime
from itertools import islice

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from linli.core import crypto
from linli.core.excel.download import safe_workbook
from linli.core.excel.exports import record_export
from linli.core.phone import mask_phone
from linli.core.querysets import require_perm
from linli.ledgers.choices import ExportKind
from linli.residents.choices import ContactRelation, Relation, ResidenceType, ResidentStatus, Sex
from linli.residents.filtersets import LIST_ORDERING
from linli.residents.idcard import age_on
from linli.residents.models import EmergencyContact, Resident, Tag

__all__ = ["HEADERS", "LIST_ORDERING", "write_residents_xlsx"]

HEADERS = (
    "姓名",
    "性别",
    "出生日期",
    "年龄",
    "身份证号码",
    "联系电话",
    "楼栋",
    "单元",
    "房号",
    "建筑面积",
    "与户主关系",
    "居住类型",
    "人员类别",
    "户籍地",
    "网格",
    "状态",
    "备注",
    "紧急联系人",
    "紧急联系人关系",
    "紧急联系人电话",
)
#: column widths in characters, in HEADERS order
WIDTHS = (10, 5, 11, 5, 20, 15, 8, 5, 7, 9, 10, 8, 24, 20, 14, 7, 30, 14, 14, 28)
#: several emergency contacts in one cell, in the same order in the three columns (what the importer splits on)
CONTACT_SEPARATOR = "；"

CHUNK = 2000
TAG_SEPARATOR = "、"  # what the importer splits 人员类别 on
_EXCEL_EPOCH = datetime.date(1899, 12, 30)

_FIELDS = (
    "pk",
    "name",
    "sex",
    "birth_date",
    "id_masked",
    "phone",
    "building__name",
    "household__entrance",
    "household__room",
    "household__floor_area",
    "relation",
    "residence_type",
    "hukou_place",
    "grid__name",
    "status",
    "note",
)


def write_residents_xlsx(queryset, *, user, out, reveal_ids: bool = False, filters: dict | None = None) -> int:
    """Write the residents of `queryset` (filtered and ordered by the caller) to `out`; return the row count.

    `out` is a path or a binary file object. The queryset is restricted to `user`'s scope once
    more here, so that no caller can export rows the user may not see. `reveal_ids` writes full
    ID numbers and needs resident.reveal_id. The export is recorded with `filters` as given.
    """
    require_perm(user, "export.residents")
    if reveal_ids and not user.has_role_perm("resident.reveal_id"):
        raise PermissionDenied("您的角色不能导出完整的身份证号码。")
    queryset = queryset.restrict(user)

    full_phones = user.has_role_perm("resident.reveal_phone")
    own_id = getattr(user, "resident_id", None)  # a resident always sees their own phone, as on the page
    visible = Tag.objects.visible_to(user)  # sensitive groups only for roles that may see them
    tag_names = {pk: name for pk, name in visible.order_by("order", "id").values_list("pk", "name")}
    tag_rank = {pk: i for i, pk in enumerate(tag_names)}
    sexes, relations = dict(Sex.choices), dict(Relation.choices)
    residence_types, statuses = dict(ResidenceType.choices), dict(ResidentStatus.choices)
    today = timezone.localdate()
    fields = _FIELDS + (("id_cipher",) if reveal_ids else ())

    # Cell text is data, never a formula or a link (a note "=HYPERLINK(...)" stays text).
    workbook = safe_workbook(out, constant_memory=True)
    workbook.set_properties({"title": "居民台账", "comments": "由邻里导出，内含居民个人信息，请妥善保管。"})
    sheet = workbook.add_worksheet("居民台账")
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center"})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    text_format = workbook.add_format({"num_format": "@"})
    for col, width in enumerate(WIDTHS):
        # ID numbers and phones as text columns: Excel would turn 18 digits into 4.20107E+17.
        sheet.set_column(
            col, col, width, text_format if HEADERS[col] in ("身份证号码", "联系电话", "紧急联系人电话") else None
        )
    sheet.freeze_panes(1, 0)
    for col, title in enumerate(HEADERS):
        sheet.write_string(0, col, title, header)

    # write_string/write_number minus their A1-notation wrapper: a quarter of the export's time at
    # 100,000 rows. Same signature; the public methods are used if a release renames these.
    put = getattr(sheet, "_write_string", sheet.write_string)
    put_number = getattr(sheet, "_write_number", sheet.write_number)
    through = Resident.tags.through.objects
    contact_relations = dict(ContactRelation.choices)
    rows = queryset.values_list(*fields).iterator(chunk_size=CHUNK)
    r = 0
    while chunk := list(islice(rows, CHUNK)):
        tags: dict[int, list[int]] = {}
        for resident_id, tag_id in through.filter(
            resident_id__in=[row[0] for row in chunk], tag_id__in=tag_names
        ).values_list("resident_id", "tag_id"):
            tags.setdefault(resident_id, []).append(tag_id)
        contacts: dict[int, list[tuple[str, str, str]]] = {}
        for resident_id, c_name, c_relation, c_phone in (
            EmergencyContact.objects.filter(resident_id__in=[row[0] for row in chunk])
            .order_by("id")
            .values_list("resident_id", "name", "relation", "phone")
        ):
            contacts.setdefault(resident_id, []).append((c_name, c_relation, c_phone))
        for (
            pk,
            name,
            sex,
            birth_date,
            id_masked,
            phone,
            building,
            entrance,
            room,
            floor_area,
            relation,
            residence_type,
            hukou_place,
            grid,
            status,
            note,
            *cipher,
        ) in chunk:
            r += 1
            put(r, 0, name)
            if sex:
                put(r, 1, sexes.get(sex, sex))
            if birth_date:
                put_number(r, 2, (birth_date - _EXCEL_EPOCH).days, date_format)
                if birth_date <= today:
                    put_number(r, 3, age_on(birth_date, today))
            number = crypto.decrypt_text(cipher[0]) if cipher and cipher[0] else id_masked
            if number:
                put(r, 4, number, text_format)
            if phone:
                put(r, 5, phone if full_phones or pk == own_id else mask_phone(phone), text_format)
            put(r, 6, building)
            put_number(r, 7, entrance)
            put(r, 8, room)
            if floor_area is not None:
                put_number(r, 9, float(floor_area))  # a number, so that Excel can sum it; re-imported as is
            put(r, 10, relations.get(relation, relation))
            put(r, 11, residence_types.get(residence_type, residence_type))
            if pk in tags:
                put(r, 12, TAG_SEPARATOR.join(tag_names[t] for t in sorted(tags[pk], key=tag_rank.__getitem__)))
            if hukou_place:
                put(r, 13, hukou_place)
            if grid:
                put(r, 14, grid)
            put(r, 15, statuses.get(status, status))
            if note:
                put(r, 16, note)
            if pk in contacts:
                people = contacts[pk]
                put(r, 17, CONTACT_SEPARATOR.join(c[0] for c in people))
                put(r, 18, CONTACT_SEPARATOR.join(contact_relations.get(c[1], c[1]) for c in people))
                put(
                    r,
                    19,
                    CONTACT_SEPARATOR.join(c[2] if full_phones or pk == own_id else mask_phone(c[2]) for c in people),
                    text_format,
                )
    sheet.autofilter(0, 0, max(r, 1), len(HEADERS) - 1)
    workbook.close()

    record_export(user, ExportKind.RESIDENTS_XLSX, filters=filters, row_count=r, masked=not reveal_ids)
    return r
