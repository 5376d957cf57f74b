"""Ledger (台账) import: a community's Excel/CSV resident list into the registry, in stages.

1. read_ledger(): the file's rows as text, below a header row found among the first rows
   (title rows such as "XX社区居民信息台账" and merged cells above it are skipped; linli.core.excel.read).
2. detect_mapping(): which column holds which field, by the synonyms real ledgers use; the
   web lets the user correct it before anything runs.
3. run_import(): every row is normalised and validated first (errors keyed by Excel row and
   the column's header as written in the file); then, unless it is a dry run, all valid rows
   are written in ONE transaction. Nothing of a failed or killed commit stays behind.

Decisions where the issue is silent (the web pages and the CLI rely on them):

- A row whose mapped cells are all empty (a pre-numbered template row with only 序号) is not a
  data row: it is not counted in `rows` and not reported. Rows repeating the header are dropped.
- Rows are matched to the community's residents by ID number (its keyed hash); a row without an
  ID number, or whose ID number is not registered yet, matches a resident of the same name in
  the same room who has no ID number. Anything else creates a resident. One resident can be
  matched by one row only.
- A matched resident is updated from the non-empty cells only. 人员类别 adds tags, never removes
  one (removal is a decision for the resident's page, not the absence of a word in a cell). A
  different room moves the resident. A match with nothing different counts as skipped.
- ID numbers and phones masked by an export (with "*") are not data: a matched resident keeps
  theirs; a new resident cannot be registered with one (row error).
- Several phone numbers in one cell: the first is the phone, the others are appended to 备注.
- Emergency contacts (紧急联系人, 紧急联系人关系, 紧急联系人电话; several per cell separated by "；", the columns in
  the same order): a contact whose name the resident already has gets the row's relation and phone, a new name is
  added, contacts absent from the row stay; at most MAX_CONTACTS per resident; a masked phone is not data.
- Defaults for new residents are the model's (与户主关系 户主, 居住类型 常住), as in the form.
- 建筑面积 belongs to the room, not the person: "89.5", "89.5㎡", "89.5平方米", "89.5平" are read as ㎡. A new room
  gets the row's area; an existing room's area changes only when the cell is not empty and differs (counted as
  households_updated, with a change record), like every other cell. Two rows of one room with different areas
  are a row error on the later row.
- Buildings, rooms and grids named by valid rows are created when missing. Existing buildings
  grow (entrances/floors/rooms per floor) when the ledger names rooms beyond them; an existing
  building without a grid is assigned to the grid the ledger names (its residents follow); one
  that already has a different grid is a row error, never a silent move.
- progress(done, total): `total` is the row count for a dry run and twice the row count for a
  commit (validation counts up to the row count, writing from there to twice it), so one bar
  covers the whole run.
- strict=True with rejected rows writes nothing and returns the validation report with
  dry_run=True (dry_run in a report means "nothing was written").
- Commits of one community are serialised (a PostgreSQL advisory lock; SQLite serialises
  writers anyway), and validation runs again inside the commit's transaction, so what is
  written is checked against the database as it is at that moment.

Speed: lookups (buildings, rooms, residents, tags) are loaded once into dicts, rows become
small tuples (not model instances), and rows are written in batches: COPY on PostgreSQL,
bulk_create elsewhere, change records likewise. Derived fields come from the resident services'
own helpers (apply_id_number, apply_phone, place, name_keys) and change records from
audit.snapshot/diff, so an imported resident is indistinguishable from one entered by hand.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from operator import attrgetter

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from linli.areas.floor_area import FloorAreaError, parse_floor_area
from linli.areas.models import Building, Community, Grid, Household
from linli.core import audit, crypto, versioned
from linli.core.audit import Actor
from linli.core.bulk import BulkWriter
from linli.core.excel.read import (
    HEADER_SEARCH_ROWS,
    CellError,
    Field,
    SpreadsheetError,
    Table,
    clean_name,
    clean_text,
    header_detector,
    is_masked,
    normalize_header,
    read_table,
)
from linli.core.models import ChangeAction, ChangeRecord, Source
from linli.core.phone import PhoneError, last4, mask_phone, normalize_phone
from linli.core.querysets import require_perm
from linli.core.services import save_audited
from linli.ledgers import normalize as norm
from linli.residents.choices import ContactRelation, Relation, ResidenceType, ResidentStatus
from linli.residents.idcard import IdNumberError, parse_id_number
from linli.residents.models import EmergencyContact, Resident, Tag
from linli.residents.search import name_keys
from linli.residents.services import apply_id_number, apply_phone, place
from linli.residents.services_contacts import MAX_CONTACTS

__all__ = [
    "FIELDS",
    "ImportReport",
    "RowError",
    "detect_mapping",
    "import_actor",
    "read_ledger",
    "run_import",
]

BATCH = 2000
PROGRESS_EVERY = 1000
#: pg_advisory_xact_lock key space of ledger imports ("LINL" << 32 | community id)
_LOCK_BASE = 0x4C494E4C << 32


# --------------------------------------------------------------------------- fields


FIELDS: dict[str, Field] = {
    "name": Field("姓名", ("姓名", "名字", "居民姓名", "人员姓名", "成员姓名", "家庭成员姓名"), True),
    "id_number": Field(
        "身份证号码",
        (
            "身份证号码",
            "身份证号",
            "公民身份号码",
            "证件号码",
            "身份证",
            "证件号",
            "身份号码",
            "公民身份证号码",
            "身份证件号码",
            "居民身份证号码",
            "公民身份证号",
        ),
    ),
    "phone": Field(
        "联系电话", ("联系电话", "手机号", "电话", "手机", "手机号码", "电话号码", "联系方式", "联系号码", "本人电话")
    ),
    "building": Field("楼栋", ("楼栋", "楼号", "栋", "楼", "栋号", "楼栋号", "幢", "幢号", "楼宇", "楼栋名称"), True),
    "entrance": Field("单元", ("单元", "单元号", "门洞")),
    "room": Field("房号", ("房号", "门牌号", "室", "房间号", "房屋号", "室号", "门牌", "房间", "户室号"), True),
    # The room's 建筑面积 (areas.Household.floor_area), for votes counted by households and floor area.
    "floor_area": Field(
        "建筑面积", ("建筑面积", "房屋面积", "房屋建筑面积", "住房面积", "产权面积", "面积", "建筑面积平方米")
    ),
    "relation": Field("与户主关系", ("与户主关系", "关系", "与户主的关系", "家庭关系", "与户主关系名称")),
    "residence_type": Field(
        "居住类型", ("居住类型", "居住性质", "居住情况", "居住方式", "人口类型", "人口性质", "人口类别", "居住状态")
    ),
    "tags": Field(
        "人员类别",
        (
            "人员类别",
            "标签",
            "重点人群",
            "人员类型",
            "人员标签",
            "特殊人群",
            "重点人员",
            "关爱对象",
            "人群类别",
            "重点人群类别",
        ),
    ),
    "hukou_place": Field("户籍地", ("户籍地", "户籍所在地", "户籍地址", "户口所在地", "户籍", "户口地址")),
    "grid": Field("网格", ("网格", "所属网格", "网格名称", "网格号", "网格编号", "网格序号")),
    "birth_date": Field("出生日期", ("出生日期", "出生年月日", "生日", "出生年月", "出生时间")),
    "sex": Field("性别", ("性别",)),
    "note": Field("备注", ("备注", "说明", "备注说明", "其他", "其它")),
    # Emergency contacts (residents.EmergencyContact): several in one cell separated by "；", the three
    # columns in the same order (as the export writes them).
    "contact_name": Field("紧急联系人", ("紧急联系人", "紧急联系人姓名", "联系人", "联系人姓名", "家属姓名")),
    "contact_relation": Field(
        "紧急联系人关系", ("紧急联系人关系", "联系人关系", "紧急联系人与本人关系", "与紧急联系人关系", "家属关系")
    ),
    "contact_phone": Field(
        "紧急联系人电话", ("紧急联系人电话", "紧急联系电话", "联系人电话", "家属电话", "紧急联系人手机", "家属联系电话")
    ),
}


# "居民姓名", "本人联系电话": a known header at the end of a longer one, unless it describes
# somebody else (户主姓名 is the head's name, not this person's).
_OTHER_PERSON = ("户主", "联系人", "紧急", "监护人", "配偶", "父亲", "母亲", "原", "曾用", "代办")
_detect_residents = header_detector(FIELDS, other_person=_OTHER_PERSON)


def detect_mapping(headers: list[str]) -> dict[int, str]:
    """Column index -> field key for the headers a ledger uses; each field maps to one column at
    most (the leftmost); unrecognised columns are left out. Spaces, full-width characters and
    decorations such as "（必填）" or "*" are ignored."""
    return _detect_residents(headers)


def _usable(mapping: dict[int, str]) -> bool:
    keys = set(mapping.values())
    return "name" in keys and bool(keys & {"building", "room"})


# --------------------------------------------------------------------------- reading


_NO_HEADER = (
    f"在前{HEADER_SEARCH_ROWS}行里没有找到表头：表头至少要有“姓名”和“楼栋”或“房号”这几列。"
    "请检查列名，或下载导入模板照着填写。"
)


def read_ledger(source, filename: str) -> Table:
    """The resident ledger's rows below its header (linli.core.excel.read.read_table with this ledger's fields)."""
    return read_table(source, filename, detect=detect_mapping, usable=_usable, no_header=_NO_HEADER)


# --------------------------------------------------------------------------- report


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    buildings_created: int = 0
    households_created: int = 0
    households_updated: int = 0  # existing rooms whose 建筑面积 the ledger set or changed
    grids_created: int = 0
    unassigned_buildings: list[str] = field(default_factory=list)
    dry_run: bool = True

    @property
    def rejected(self) -> int:
        """Rows refused (a row may have several errors)."""
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        data = asdict(self)
        data["errors"] = [asdict(e) for e in self.errors]
        return data


def import_actor(user, filename: str) -> Actor:
    """The Actor of an import: the user (or None for the CLI) and "导入 <file name>"."""
    return Actor(user=user, source=Source.IMPORT, label=f"导入 {os.path.basename(filename)}"[:64])


# --------------------------------------------------------------------------- run


def run_import(
    table: Table,
    mapping: dict[int, str],
    community,
    *,
    actor: Actor,
    dry_run: bool,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Validate every row and, unless `dry_run`, write the valid ones in one transaction.

    Rejected rows are reported and skipped; with `strict` nothing is written when any row is
    rejected. When `actor.user` is set it must hold ledger.import and see the community.
    Raises SpreadsheetError when the mapping lacks 姓名 or both 楼栋 and 房号.
    """
    _check_permission(actor, community)
    unknown = set(mapping.values()) - FIELDS.keys()
    if unknown:
        raise ValueError(f"unknown field keys in mapping: {sorted(unknown)}")
    if not _usable(mapping):
        raise SpreadsheetError("列对应里必须有“姓名”，以及“楼栋”或“房号”。")
    label = actor.label or f"导入 {table.filename}"[:64]
    actor = Actor(user=actor.user, source=Source.IMPORT, label=label)
    if dry_run:
        run = _Run(table, mapping, community, actor, progress, total=len(table.rows))
        run.load()
        run.validate()
        return run.report(dry_run=True)
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_BASE | (community.pk & 0xFFFFFFFF)])
        run = _Run(table, mapping, community, actor, progress, total=2 * len(table.rows))
        run.load()
        run.validate()
        if not (strict and run.errors):
            run.write()
            # Tags written in bulk bypass residents.services: bring the community's visit due dates up to date
            # (set-based SQL, inside the same transaction).
            from linli.visits.services import recompute_due_dates

            recompute_due_dates(Resident.objects.filter(community=community).values("pk"))
            # ... and which of its households are in need (Household.care_members).
            from linli.residents.care import recount_care_members

            recount_care_members(Household.objects.filter(building__community=community).values("pk"))
    if progress:
        progress(run.total, run.total)
    return run.report(dry_run=strict and bool(run.errors))


def _check_permission(actor: Actor, community) -> None:
    user = actor.user
    if user is None:
        return
    require_perm(user, "ledger.import")
    if not Community.objects.restrict(user, "view").filter(pk=community.pk).exists():
        raise PermissionDenied("这个社区不在您的管辖范围内。")


# A validated row waiting to be written: plain tuples keep 100,000 rows small.
# (row, name, id number or "", phone or None, household key, floor, relation, residence type,
#  tag pks, hukou place, note, birth date, sex, matched resident pk or None)
R_ROW, R_NAME, R_ID, R_PHONE, R_HOME, R_FLOOR, R_REL, R_TYPE, R_TAGS, R_HUKOU, R_NOTE, R_BIRTH, R_SEX, R_MATCH = range(
    14
)
#: ... and, last, the row's emergency contacts: ((name, relation, phone or None when masked), ...) or ()
R_CONTACTS = 14
_CONTACT_SPLIT = re.compile(r"[;；\n]+")
_CONTACT_PHONE_SPLIT = re.compile(r"[;；、,，/\n]+")
# Existing residents: (pk, name, id_hash, birth_date, sex, phone, household_id, relation,
# residence_type, hukou_place, note)
_EXISTING = (
    "pk",
    "name",
    "id_hash",
    "birth_date",
    "sex",
    "phone",
    "household_id",
    "relation",
    "residence_type",
    "hukou_place",
    "note",
)
E_PK, E_NAME, E_HASH, E_BIRTH, E_SEX, E_PHONE, E_HOME, E_REL, E_TYPE, E_HUKOU, E_NOTE = range(11)

_PHONE_SPLIT = re.compile(r"[/、,，;；]+|\s{2,}")
_CHANGE_FIELDS = (
    "at",
    "actor_id",
    "actor_label",
    "source",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "changes",
    "note",
)
_RESIDENT_UPDATE_FIELDS = (
    "name",
    "name_pinyin",
    "name_initials",
    "id_cipher",
    "id_hash",
    "id_masked",
    "id_last4",
    "birth_date",
    "sex",
    "phone",
    "phone_last4",
    "household_id",
    "relation",
    "residence_type",
    "hukou_place",
    "note",
    "street_id",
    "community_id",
    "grid_id",
    "building_id",
    "sort_key",
    "updated_at",
)


class _Run:
    """One validation (and perhaps commit) of a table into a community."""

    def __init__(self, table: Table, mapping: dict[int, str], community, actor: Actor, progress, total: int):
        self.table, self.community, self.actor = table, community, actor
        self.progress, self.total = progress, total
        self.headers = table.headers
        self.columns: dict[str, list[int]] = {}
        for index, key in sorted(mapping.items()):
            if 0 <= index < len(table.headers):
                self.columns.setdefault(key, []).append(index)
        self.errors: list[RowError] = []
        self.rows = 0
        self.skipped = 0
        self.creates: list[tuple] = []
        self.updates: list[tuple] = []
        self.today = timezone.localdate()

    # -- lookups
    def load(self) -> None:
        community = self.community
        tags = list(Tag.objects.for_community(community.pk))  # global tags and the community's own
        self.tag_objects = {t.pk: t for t in tags}
        self.tags = norm.TagMatcher((t.pk, t.code, t.name) for t in tags if t.is_active)
        self.grids = {g.number: g for g in Grid.objects.filter(community=community)}
        self.grid_by_name = {normalize_header(g.name): g.number for g in self.grids.values()}
        self.buildings = {b.number: b for b in Building.objects.filter(community=community).select_related("grid")}
        for b in self.buildings.values():
            b.community = community  # what `place` reads, without a query per building
        building_numbers = {b.pk: b.number for b in self.buildings.values()}
        # (building number, entrance, room) -> (household pk, floor), and back
        self.households: dict[tuple[int, int, str], tuple[int, int]] = {}
        self.household_keys: dict[int, tuple[int, int, str]] = {}
        self.household_areas: dict[tuple[int, int, str], object] = {}  # household key -> its floor_area or None
        for pk, building_id, entrance, room, floor, area in Household.objects.filter(
            building__community=community
        ).values_list("pk", "building_id", "entrance", "room", "floor", "floor_area"):
            key = (building_numbers[building_id], entrance, room)
            self.households[key] = (pk, floor)
            self.household_keys[pk] = key
            self.household_areas[key] = area
        self.existing: dict[int, tuple] = {}
        self.by_hash: dict[str, int] = {}
        self.by_home_name: dict[tuple[int, str], list[int]] = {}
        for row in Resident.objects.filter(community=community).order_by("pk").values_list(*_EXISTING):
            self.existing[row[E_PK]] = row
            if row[E_HASH]:
                self.by_hash[row[E_HASH]] = row[E_PK]
            self.by_home_name.setdefault((row[E_HOME], row[E_NAME]), []).append(row[E_PK])
        # resident pk -> {contact name: (contact pk, relation, phone)}, in the order they were added
        self.existing_contacts: dict[int, dict[str, tuple[int, str, str]]] = {}
        for pk, resident_id, name, relation, phone in (
            EmergencyContact.objects.filter(resident__community=community)
            .order_by("id")
            .values_list("pk", "resident_id", "name", "relation", "phone")
        ):
            self.existing_contacts.setdefault(resident_id, {})[name] = (pk, relation, phone)
        self.existing_tags: dict[int, set[int]] = {}
        for resident_id, tag_id in Resident.tags.through.objects.filter(resident__community=community).values_list(
            "resident_id", "tag_id"
        ):
            self.existing_tags.setdefault(resident_id, set()).add(tag_id)

    # -- validation
    def _header(self, key: str, *fallbacks: str) -> str:
        for k in (key, *fallbacks):
            cols = self.columns.get(k)
            if cols:
                return self.headers[cols[0]]
        return ""

    def validate(self) -> None:
        columns = self.columns
        single = {k: v[0] for k, v in columns.items() if len(v) == 1}
        multi = {k: v for k, v in columns.items() if len(v) > 1}
        header = {k: self._header(k) for k in FIELDS}
        header["building"] = self._header("building", "room")
        header["room"] = self._header("room", "building")
        errors = self.errors
        seen_hash: dict[str, int] = {}
        seen_home_name: dict[tuple, int] = {}
        matched: dict[int, int] = {}
        self.claims: dict[int, tuple[int, int]] = {}  # building no -> (grid no, first row)
        self.plan: dict[int, list[int]] = {}  # building no -> [entrances, floors, rooms per floor]
        self.rooms: dict[tuple[int, int, str], int] = {}  # household key -> floor
        self.areas: dict[tuple[int, int, str], tuple] = {}  # household key -> (建筑面积, first row naming it)
        home_keys: dict[tuple, tuple] = {}
        total, progress, today = self.total, self.progress, self.today
        blind_index = crypto.blind_index
        tag_match = self.tags.match
        grid_by_name = self.grid_by_name

        for done, (number, cells) in enumerate(self.table.rows, start=1):
            if progress and done % PROGRESS_EVERY == 0:
                progress(done, total)
            v = {k: cells[i] for k, i in single.items()}
            for k, idx in multi.items():
                parts = [cells[i] for i in idx if cells[i]]
                if k in ("tags", "note"):
                    v[k] = ("、" if k == "tags" else "；").join(parts)
                else:
                    v[k] = parts[0] if parts else ""
            if not any(v.values()):
                continue
            self.rows += 1
            row_errors: list[RowError] = []

            def err(key: str, message: str, _number=number, _errors=row_errors) -> None:
                _errors.append(RowError(_number, header.get(key, ""), message))

            # name
            name = clean_name(v.get("name", ""))
            if not name:
                err("name", "请填写姓名")
            elif len(name) > 64:
                err("name", "姓名太长（最多64个字）")
            # ID number
            card = None
            id_hash = ""
            id_text = v.get("id_number", "")
            masked_id = False
            if id_text:
                if is_masked(id_text):
                    masked_id = True
                else:
                    try:
                        card = parse_id_number(id_text)
                    except IdNumberError as exc:
                        err("id_number", str(exc))
                    else:
                        id_hash = blind_index(card.number)
                        first = seen_hash.get(id_hash)
                        if first is not None:
                            err("id_number", f"与第{first}行身份证号码重复")
                        else:
                            seen_hash[id_hash] = number
            # phone
            phone = None
            masked_phone = False
            extra_phones: list[str] = []
            phone_text = v.get("phone", "")
            if phone_text:
                if is_masked(phone_text):
                    masked_phone = True
                else:
                    try:
                        numbers = [normalize_phone(p) for p in _PHONE_SPLIT.split(phone_text) if p.strip()]
                    except PhoneError as exc:
                        err("phone", str(exc))
                    else:
                        numbers = [n for n in numbers if n]
                        if numbers:
                            phone, extra_phones = numbers[0], numbers[1:]
                            if len(phone) > 24:
                                err("phone", "联系电话太长")
            # address
            building_no = entrance = None
            room_ref = None
            b_text, e_text, r_text = v.get("building", ""), v.get("entrance", ""), v.get("room", "")
            b_entrance = b_room = None
            if b_text:
                try:
                    building_no, b_entrance, b_room = norm.parse_building(b_text)
                except CellError as exc:
                    err("building", str(exc))
            if r_text or b_room:
                try:
                    room_ref = norm.parse_room(r_text or b_room)
                except CellError as exc:
                    err("room", str(exc))
            if room_ref is not None and room_ref.building is not None:
                if building_no is None and not b_text:
                    building_no = room_ref.building
                elif building_no is not None and building_no != room_ref.building:
                    err("room", f"房号“{r_text}”里的楼号与楼栋“{b_text}”不一致")
            if building_no is None and not b_text:
                err("building", "请填写楼栋")
            if room_ref is None and not r_text and not b_room:
                err("room", "请填写房号")
            entrances = set()
            if e_text:
                try:
                    entrances.add(norm.parse_entrance(e_text))
                except CellError as exc:
                    err("entrance", str(exc))
            if room_ref is not None and room_ref.entrance is not None:
                entrances.add(room_ref.entrance)
            if b_entrance is not None:
                entrances.add(b_entrance)
            if len(entrances) > 1:
                err("entrance", f"单元“{e_text}”与房号“{r_text or b_text}”里的单元不一致")
            entrance = entrances.pop() if len(entrances) == 1 else 1
            # choices and tags
            relation = residence_type = None
            if v.get("relation"):
                try:
                    relation = norm.parse_relation(v["relation"])
                except CellError as exc:
                    err("relation", str(exc))
            if v.get("residence_type"):
                try:
                    residence_type = norm.parse_residence_type(v["residence_type"])
                except CellError as exc:
                    err("residence_type", str(exc))
            tag_ids: tuple[int, ...] = ()
            if v.get("tags"):
                try:
                    tag_ids = tag_match(v["tags"])
                except CellError as exc:
                    err("tags", str(exc))
            hukou = clean_text(v["hukou_place"]) if v.get("hukou_place") else None
            if hukou and len(hukou) > 128:
                err("hukou_place", "户籍地太长（最多128个字）")
            note = clean_text(v["note"]) if v.get("note") else None
            if extra_phones:
                note = "；".join(filter(None, [note, "其他电话：" + "、".join(extra_phones)]))
            if note and len(note) > 500:
                err("note", "备注太长（最多500个字）")
            # birth date and sex, which an ID number decides
            birth = sex = None
            if v.get("birth_date"):
                try:
                    birth = norm.parse_date(v["birth_date"], today=today)
                except CellError as exc:
                    err("birth_date", str(exc))
                else:
                    if card is not None and birth != card.birth_date:
                        err("birth_date", f"出生日期与身份证号码不一致（身份证号码中是{card.birth_date:%Y-%m-%d}）")
            if v.get("sex"):
                try:
                    sex = norm.parse_sex(v["sex"])
                except CellError as exc:
                    err("sex", str(exc))
                else:
                    if card is not None and sex != card.sex:
                        err("sex", f"性别与身份证号码不一致（身份证号码中是{'男' if card.sex == 'M' else '女'}）")
            # grid
            grid_no = None
            if v.get("grid"):
                grid_no = norm.parse_grid(v["grid"])
                if grid_no is None:
                    grid_no = grid_by_name.get(normalize_header(v["grid"]))
                if grid_no is None:
                    err("grid", f"网格“{v['grid']}”无法识别，请写网格序号，如“第3网格”或“3”")
            contacts = self._parse_contacts(v, err)
            area = None
            if v.get("floor_area"):
                try:
                    area = parse_floor_area(v["floor_area"])
                except FloorAreaError as exc:
                    err("floor_area", str(exc))

            if row_errors:
                errors.extend(row_errors)
                continue

            # Matching against the registry and the rows before this one.
            home = home_keys.setdefault((building_no, entrance, room_ref.room), (building_no, entrance, room_ref.room))
            existing_home = self.households.get(home)
            match = self.by_hash.get(id_hash) if id_hash else None
            if match is None and existing_home is not None:
                for pk in self.by_home_name.get((existing_home[0], name), ()):
                    if not id_hash or not self.existing[pk][E_HASH]:
                        match = pk
                        break
            if match is None:
                if masked_id:
                    err("id_number", "身份证号码是遮蔽过的（带*号），不能用来登记新居民；请填写完整号码或留空")
                if masked_phone:
                    err("phone", "联系电话是遮蔽过的（带*号），不能用来登记新居民；请填写完整号码或留空")
                if any(c[2] is None for c in contacts):
                    err("contact_phone", "紧急联系人电话是遮蔽过的（带*号），不能用来登记；请填写完整号码或留空")
                if not id_hash:
                    first = seen_home_name.get((home, name))
                    if first is not None:
                        err("name", f"与第{first}行重复：同一户里同名，且都没有身份证号码")
                    else:
                        seen_home_name[(home, name)] = number
            else:
                first = matched.get(match)
                if first is not None:
                    err("", f"与第{first}行是同一位居民（{name}）")
                else:
                    matched[match] = number
                existing = self.existing[match]
                if card is None and existing[E_HASH]:
                    if birth is not None and birth != existing[E_BIRTH]:
                        err("birth_date", "出生日期与已登记的身份证号码不一致")
                    if sex is not None and sex != existing[E_SEX]:
                        err("sex", "性别与已登记的身份证号码不一致")
            if grid_no is not None:
                self._claim(building_no, grid_no, number, err)
            if area is not None:
                first = self.areas.get(home)
                if first is not None and first[0] != area:
                    err("floor_area", f"同一户在第{first[1]}行填的建筑面积是{first[0].normalize():f}㎡，与本行不一致")
            if contacts:
                known = self.existing_contacts.get(match, {}) if match is not None else {}
                total_contacts = len(known) + len({c[0] for c in contacts if c[0] not in known and c[2] is not None})
                if total_contacts > MAX_CONTACTS:
                    err(
                        "contact_name",
                        f"每位居民最多登记{MAX_CONTACTS}位紧急联系人（加上已登记的共{total_contacts}位）",
                    )
            if row_errors:
                errors.extend(row_errors)
                continue

            # The row is accepted: what it needs built, and what it changes.
            dims = self.plan.get(building_no)
            if dims is None:
                self.plan[building_no] = [entrance, room_ref.floor, room_ref.index]
            else:
                if entrance > dims[0]:
                    dims[0] = entrance
                if room_ref.floor > dims[1]:
                    dims[1] = room_ref.floor
                if room_ref.index > dims[2]:
                    dims[2] = room_ref.index
            if home not in self.rooms:
                self.rooms[home] = room_ref.floor
            if area is not None and home not in self.areas:
                self.areas[home] = (area, number)
            if grid_no is not None and building_no not in self.claims:
                self.claims[building_no] = (grid_no, number)
            record = (
                number,
                name,
                card.number if card else "",
                phone,
                home,
                room_ref.floor,
                relation,
                residence_type,
                tag_ids,
                hukou,
                note,
                None if card else birth,
                None if card else sex,
                match,
                contacts,
            )
            if match is None:
                self.creates.append(record)
            elif self._changes(record, self.existing[match], existing_home):
                self.updates.append(record)
            else:
                self.skipped += 1
        if progress:
            progress(len(self.table.rows), total)
        # What the accepted rows need that the community does not have yet.
        self.new_grids = sorted({g for g, _ in self.claims.values()} - self.grids.keys())
        self.new_buildings = sorted(self.plan.keys() - self.buildings.keys())
        self.new_rooms = sorted(self.rooms.keys() - self.households.keys())
        self.area_changes = sorted(
            key
            for key, (area, _) in self.areas.items()
            if key in self.households and self.household_areas.get(key) != area
        )
        self.unassigned = []
        for number in sorted(self.plan):
            building = self.buildings.get(number)
            if (building is None or building.grid_id is None) and number not in self.claims:
                self.unassigned.append(building.name if building is not None else f"{number}栋")

    def _claim(self, building_no: int, grid_no: int, number: int, err) -> None:
        building = self.buildings.get(building_no)
        if building is not None and building.grid_id is not None:
            if building.grid.number != grid_no:
                err(
                    "grid",
                    f"{building.name}已属于{building.grid.name}，与本行的网格不一致（调整网格请在楼栋页面操作）",
                )
            return
        claim = self.claims.get(building_no)
        if claim is not None and claim[0] != grid_no:
            err("grid", f"{building_no}栋在第{claim[1]}行填的是第{claim[0]}网格，与本行不一致")

    def _changes(self, record: tuple, existing: tuple, existing_home) -> bool:
        if record[R_NAME] != existing[E_NAME]:
            return True
        if record[R_ID] and not existing[E_HASH]:
            return True
        if record[R_PHONE] is not None and record[R_PHONE] != existing[E_PHONE]:
            return True
        if existing_home is None or existing_home[0] != existing[E_HOME]:
            return True
        for r, e in ((R_REL, E_REL), (R_TYPE, E_TYPE), (R_HUKOU, E_HUKOU), (R_NOTE, E_NOTE)):
            if record[r] is not None and record[r] != existing[e]:
                return True
        if not existing[E_HASH]:
            if record[R_BIRTH] is not None and record[R_BIRTH] != existing[E_BIRTH]:
                return True
            if record[R_SEX] is not None and record[R_SEX] != existing[E_SEX]:
                return True
        if record[R_TAGS] and not set(record[R_TAGS]) <= self.existing_tags.get(existing[E_PK], set()):
            return True
        known = self.existing_contacts.get(existing[E_PK], {})
        for name, relation, phone in record[R_CONTACTS]:
            if phone is not None and (name not in known or known[name][1:] != (relation, phone)):
                return True
        return False

    def _parse_contacts(self, v: dict, err) -> tuple:
        """The row's emergency contacts; errors keyed by the contact columns. Several contacts in a cell are
        separated by "；", the three columns in the same order. A masked phone (an export's) is None."""
        names = [n for n in (clean_name(x) for x in _CONTACT_SPLIT.split(v.get("contact_name", ""))) if n]
        relations = [r.strip() for r in _CONTACT_SPLIT.split(v.get("contact_relation", "")) if r.strip()]
        phones = [p.strip() for p in _CONTACT_PHONE_SPLIT.split(v.get("contact_phone", "")) if p.strip()]
        if not (names or relations or phones):
            return ()
        if not names:
            err("contact_name", "填了紧急联系人的关系或电话，请填写紧急联系人姓名")
            return ()
        if len(phones) != len(names):
            err(
                "contact_phone",
                f"紧急联系人{len(names)}位、电话{len(phones)}个，请一人一个电话，多位之间用“；”分隔",
            )
            return ()
        if len(relations) > len(names):
            err("contact_relation", f"紧急联系人{len(names)}位、关系{len(relations)}个，请一一对应")
            return ()
        contacts = []
        for i, name in enumerate(names):
            if len(name) > 64:
                err("contact_name", "紧急联系人姓名太长（最多64个字）")
                continue
            relation = ContactRelation.OTHER
            if i < len(relations):
                try:
                    relation = norm.parse_contact_relation(relations[i])
                except CellError as exc:
                    err("contact_relation", str(exc))
                    continue
            phone = None
            if not is_masked(phones[i]):
                try:
                    phone = normalize_phone(phones[i])
                except PhoneError as exc:
                    err("contact_phone", f"{name}的电话：{exc}")
                    continue
            contacts.append((name, str(relation), phone))
        return tuple(contacts)

    def report(self, *, dry_run: bool) -> ImportReport:
        return ImportReport(
            rows=self.rows,
            created=len(self.creates),
            updated=len(self.updates),
            skipped=self.skipped,
            errors=sorted(self.errors, key=lambda e: e.row),
            buildings_created=len(self.new_buildings),
            households_created=len(self.new_rooms),
            households_updated=len(self.area_changes),
            grids_created=len(self.new_grids),
            unassigned_buildings=self.unassigned,
            dry_run=dry_run,
        )

    # -- writing
    def write(self) -> None:
        self.writer = BulkWriter()
        self.now = timezone.now()
        self.ct = {m: ContentType.objects.get_for_model(m).pk for m in (Grid, Building, Household, Resident)}
        self.actor_id = getattr(self.actor.user, "pk", None)
        self._tag_querysets: dict[tuple[int, ...], object] = {}
        self._names: dict[str, tuple[str, str]] = {}
        self.spool = _RecordSpool(self.writer)
        self.contact_adds: list[EmergencyContact] = []
        self.contact_changes: list[EmergencyContact] = []
        try:
            self._write_areas()
            self._write_creates()
            self._write_updates()
            self._write_contacts()
            self.spool.flush()
        finally:
            self.spool.close()

    def _record(self, obj, action: str, before: dict | None, after: dict, note: str = "") -> tuple:
        """The row audit.record() would write, for a bulk insert."""
        return (
            self.now,
            self.actor_id,
            self.actor.label[:64],
            self.actor.source,
            action,
            self.ct[type(obj)],
            obj.pk,
            str(obj)[:200],
            json.dumps(audit.diff(before, after), ensure_ascii=False),
            note[:200],
        )

    def _write_records(self, records: list[tuple]) -> None:
        self.spool.add(records)

    def _write_areas(self) -> None:
        community, records = self.community, []
        new_grids = [Grid(community=community, number=n, name=f"第{n}网格") for n in self.new_grids]
        if new_grids:
            Grid.objects.bulk_create(new_grids)
            versioned.touched(Grid)  # bulk inserts send no post_save
            if new_grids[0].pk is None:  # backends that cannot return ids from a bulk insert
                by_number = {g.number: g for g in Grid.objects.filter(community=community, number__in=self.new_grids)}
                new_grids = [by_number[g.number] for g in new_grids]
            for g in new_grids:
                self.grids[g.number] = g
                records.append(self._record(g, ChangeAction.CREATE, None, audit.snapshot(g)))

        def grid_of(number):
            claim = self.claims.get(number)
            return self.grids[claim[0]] if claim else None

        new_buildings = []
        for number in self.new_buildings:
            entrances, floors, per_floor = self.plan[number]
            new_buildings.append(
                Building(
                    community=community,
                    grid=grid_of(number),
                    number=number,
                    name=f"{number}栋",
                    entrances=entrances,
                    floors=max(floors, 1),
                    rooms_per_floor=per_floor,
                )
            )
        if new_buildings:
            Building.objects.bulk_create(new_buildings)
            versioned.touched(Building)  # bulk inserts send no post_save
            if new_buildings[0].pk is None:
                numbers = [b.number for b in new_buildings]
                by_number = {b.number: b for b in Building.objects.filter(community=community, number__in=numbers)}
                for b in new_buildings:
                    b.pk = by_number[b.number].pk
            for b in new_buildings:
                self.buildings[b.number] = b
                records.append(self._record(b, ChangeAction.CREATE, None, audit.snapshot(b)))
        self._write_records(records)

        # Existing buildings the ledger assigns to a grid or names rooms beyond.
        created = set(self.new_buildings)
        for number, (entrances, floors, per_floor) in sorted(self.plan.items()):
            if number in created:
                continue
            building = self.buildings[number]
            grid = grid_of(number) if building.grid_id is None else None
            grown = entrances > building.entrances or floors > building.floors or per_floor > building.rooms_per_floor
            if grid is None and not grown:
                continue
            note = ""
            if grid is not None:
                moved = Resident.objects.filter(building=building).update(grid=grid)
                building.grid = grid
                note = f"导入时分到{grid.name}：{moved}名居民随楼栋分配"
            building.entrances = max(building.entrances, entrances)
            building.floors = max(building.floors, floors)
            building.rooms_per_floor = max(building.rooms_per_floor, per_floor)
            save_audited(building, self.actor, note=note)
            building.community = community

        # Rooms.
        new_rooms = self.new_rooms
        self.household_objects: dict[tuple[int, int, str], Household] = {}
        if new_rooms:
            ids = self.writer.reserve_ids(Household, len(new_rooms))
            households = []
            for pk, key in zip(ids, new_rooms):
                number, entrance, room = key
                area = self.areas.get(key)
                h = Household(
                    pk=pk,
                    building=self.buildings[number],
                    entrance=entrance,
                    floor=self.rooms[key],
                    room=room,
                    floor_area=area[0] if area else None,
                )
                households.append(h)
                self.households[key] = (pk, h.floor)
                self.household_keys[pk] = key
                self.household_objects[key] = h
            for start in range(0, len(households), BATCH):
                chunk = households[start : start + BATCH]
                self.writer.insert(Household, chunk)
                self._write_records([self._record(h, ChangeAction.CREATE, None, audit.snapshot(h)) for h in chunk])
        self._write_areas_of_existing_rooms()

    def _write_areas_of_existing_rooms(self) -> None:
        """Existing rooms whose 建筑面积 the ledger sets or changes: one UPDATE per batch, a change record each."""
        for start in range(0, len(self.area_changes), BATCH):
            chunk, records = [], []
            for key in self.area_changes[start : start + BATCH]:
                h = self._household(key)
                h.floor_area = self.household_areas[key]
                before = audit.snapshot(h)
                h.floor_area = self.household_areas[key] = self.areas[key][0]
                chunk.append(h)
                records.append(self._record(h, ChangeAction.UPDATE, before, audit.snapshot(h), "导入台账的建筑面积"))
            Household.objects.bulk_update(chunk, ["floor_area"])
            self._write_records(records)

    def _household(self, key: tuple[int, int, str]) -> Household:
        h = self.household_objects.get(key)
        if h is None:
            pk, floor = self.households[key]
            h = Household(pk=pk, building=self.buildings[key[0]], entrance=key[1], floor=floor, room=key[2])
            self.household_objects[key] = h
        return h

    def _tag_cache(self, tag_ids) -> object:
        """A ready `resident.tags.all()` result, so that snapshot() lists tags without a query."""
        key = tuple(sorted(tag_ids))
        qs = self._tag_querysets.get(key)
        if qs is None:
            qs = Tag.objects.filter(pk__in=key)
            qs._result_cache = sorted((self.tag_objects[pk] for pk in key), key=lambda t: (t.order, t.pk))
            qs._prefetch_done = True
            self._tag_querysets[key] = qs
        return qs

    def _name_keys(self, name: str) -> tuple[str, str]:
        keys = self._names.get(name)
        if keys is None:
            keys = self._names[name] = name_keys(name)
        return keys

    def _snapshot(self, resident: Resident, tag_ids) -> dict:
        resident._prefetched_objects_cache = {"tags": self._tag_cache(tag_ids)}
        try:
            return audit.snapshot(resident)
        finally:
            del resident._prefetched_objects_cache

    def _tick(self, written: int) -> None:
        if self.progress:
            rows = len(self.table.rows)
            share = written * rows // max(1, len(self.creates) + len(self.updates))
            self.progress(rows + share, self.total)

    def _write_creates(self) -> None:
        """New residents, built with the services' helpers and streamed to the database.

        On PostgreSQL one COPY stays open for all of them, so that the server stores (and
        indexes) one batch while Python prepares the next; their change records wait in the
        spool meanwhile, tag links in a list (two integers each)."""
        creates = self.creates
        if not creates:
            return
        ids = self.writer.reserve_ids(Resident, len(creates))
        fields = Resident._meta.concrete_fields
        # Model(*values) in field order is Django's fast path, several times quicker than keywords.
        template = [None if f.primary_key else f.get_default() for f in fields]
        slot = {f.attname: i for i, f in enumerate(fields)}
        i_pk, i_name, i_rel, i_type = slot["id"], slot["name"], slot["relation"], slot["residence_type"]
        i_status, i_hukou, i_note = slot["status"], slot["hukou_place"], slot["note"]
        template[slot["created_at"]] = template[slot["updated_at"]] = self.now
        links: list[tuple[int, int]] = []
        with self._resident_stream() as put:
            for start in range(0, len(creates), BATCH):
                residents, records = [], []
                for pk, rec in zip(ids[start : start + BATCH], creates[start : start + BATCH]):
                    values = template.copy()
                    values[i_pk], values[i_name] = pk, rec[R_NAME]
                    values[i_rel] = rec[R_REL] or Relation.HEAD
                    values[i_type] = rec[R_TYPE] or ResidenceType.PERMANENT
                    values[i_status] = ResidentStatus.ACTIVE
                    values[i_hukou] = rec[R_HUKOU] or ""
                    values[i_note] = rec[R_NOTE] or ""
                    r = Resident(*values)
                    place(r, self._household(rec[R_HOME]))
                    apply_id_number(r, rec[R_ID])
                    apply_phone(r, rec[R_PHONE] or "")
                    if not rec[R_ID]:
                        r.birth_date = rec[R_BIRTH]
                        r.sex = rec[R_SEX] or ""
                    r.name_pinyin, r.name_initials = self._name_keys(r.name)
                    residents.append(r)
                    links.extend((pk, tag_id) for tag_id in rec[R_TAGS])
                    after = self._snapshot(r, rec[R_TAGS])
                    if rec[R_CONTACTS]:
                        after["紧急联系人"] = self._merge_contacts(pk, rec[R_CONTACTS])[1]
                    records.append(self._record(r, ChangeAction.CREATE, None, after))
                put(residents)
                self._write_records(records)
                self._tick(start + len(residents))
        self.writer.insert_rows(Resident.tags.through, ("resident_id", "tag_id"), links)

    def _merge_contacts(self, resident_id: int, contacts: tuple) -> tuple[list[str], list[str]]:
        """Queue the row's contacts for writing: a new name is added, a known name gets the row's relation and
        phone; a contact not in the row stays (as 人员类别 adds tags and never removes one). Returns the
        change log's before and after lists."""
        known = self.existing_contacts.get(resident_id, {})
        before = [_contact_label(name, rel, phone) for name, (_, rel, phone) in known.items()]
        after = dict(known)
        for name, relation, phone in contacts:
            if phone is None:  # masked by an export: not data
                continue
            if name in known:
                pk, old_relation, old_phone = known[name]
                if (old_relation, old_phone) != (relation, phone):
                    self.contact_changes.append(
                        EmergencyContact(pk=pk, relation=relation, phone=phone, phone_last4=last4(phone))
                    )
                    after[name] = (pk, relation, phone)
            elif name not in after:
                self.contact_adds.append(
                    EmergencyContact(
                        resident_id=resident_id, name=name, relation=relation, phone=phone, phone_last4=last4(phone)
                    )
                )
                after[name] = (None, relation, phone)
        return before, [_contact_label(name, rel, phone) for name, (_, rel, phone) in after.items()]

    def _write_contacts(self) -> None:
        if self.contact_adds:
            EmergencyContact.objects.bulk_create(self.contact_adds, batch_size=BATCH)
        if self.contact_changes:
            EmergencyContact.objects.bulk_update(
                self.contact_changes, ["relation", "phone", "phone_last4"], batch_size=BATCH
            )

    @contextmanager
    def _resident_stream(self):
        """put(residents): one open COPY on PostgreSQL, batched bulk_create elsewhere."""
        if not self.writer.postgres:
            yield partial(self.writer.insert, Resident)
            return
        opts, qn = Resident._meta, connection.ops.quote_name
        fields = [f.attname for f in opts.concrete_fields]
        columns = ", ".join(qn(f.column) for f in opts.concrete_fields)
        getter = attrgetter(*fields)
        with connection.connection.cursor() as cur:
            with cur.copy(f"COPY {qn(opts.db_table)} ({columns}) FROM STDIN") as copy:
                write = copy.write_row

                def put(residents):
                    for r in residents:
                        write(getter(r))

                yield put

    def _write_updates(self) -> None:
        updates = self.updates
        through = Resident.tags.through
        done = len(self.creates)
        for start in range(0, len(updates), BATCH):
            chunk = updates[start : start + BATCH]
            current = Resident.objects.in_bulk([rec[R_MATCH] for rec in chunk])
            changed, links, records = [], [], []
            for rec in chunk:
                r = current[rec[R_MATCH]]
                old_home = self._household(self.household_keys[r.household_id])
                place(r, old_home)  # the cached objects, so that snapshots need no queries
                old_tags = self.existing_tags.get(r.pk, set())
                new_tags = old_tags | set(rec[R_TAGS])
                before = self._snapshot(r, old_tags)
                old_phone = r.phone
                if rec[R_NAME] != r.name:
                    r.name = rec[R_NAME]
                    r.name_pinyin, r.name_initials = self._name_keys(r.name)
                if rec[R_ID] and not r.id_hash:
                    apply_id_number(r, rec[R_ID])
                if rec[R_PHONE] is not None:
                    apply_phone(r, rec[R_PHONE])
                home = self._household(rec[R_HOME])
                if home.pk != r.household_id:
                    place(r, home)
                for attr, index in (
                    ("relation", R_REL),
                    ("residence_type", R_TYPE),
                    ("hukou_place", R_HUKOU),
                    ("note", R_NOTE),
                ):
                    if rec[index] is not None:
                        setattr(r, attr, rec[index])
                if not r.id_hash:
                    if rec[R_BIRTH] is not None:
                        r.birth_date = rec[R_BIRTH]
                    if rec[R_SEX] is not None:
                        r.sex = rec[R_SEX]
                r.updated_at = self.now
                after = self._snapshot(r, new_tags)
                if rec[R_CONTACTS]:
                    before["紧急联系人"], after["紧急联系人"] = self._merge_contacts(r.pk, rec[R_CONTACTS])
                note = "联系电话已更新" if r.phone != old_phone and not audit.diff(before, after) else ""
                records.append(self._record(r, ChangeAction.UPDATE, before, after, note))
                links.extend((r.pk, tag_id) for tag_id in sorted(new_tags - old_tags))
                changed.append(r)
            _bulk_update(Resident, changed, _RESIDENT_UPDATE_FIELDS, self.writer)
            self.writer.insert_rows(through, ("resident_id", "tag_id"), links)
            self._write_records(records)
            done += len(chunk)
            self._tick(done)


def _contact_label(name: str, relation: str, phone: str) -> str:
    """As residents.services_contacts.contacts_label writes a contact into the change log."""
    return f"{name}（{ContactRelation(relation).label}） {mask_phone(phone)}"


class _RecordSpool:
    """Change records on their way to the database.

    PostgreSQL: rows are formatted for COPY into a temporary file and sent in one COPY at the
    end, so that 100,000 records cost no memory and the residents' COPY can stay open meanwhile.
    Elsewhere: bulk_create per batch. Either way inside the import's transaction.
    """

    def __init__(self, writer: BulkWriter):
        self.writer = writer
        # Change records name residents: spooled in the media area like uploads, never the system temp dir (the
        # file has no name from the start, so nothing is left behind even by kill -9).
        spool = getattr(settings, "FILE_UPLOAD_TEMP_DIR", None)
        spool = spool if spool and os.path.isdir(spool) else None
        self.file = tempfile.TemporaryFile(dir=spool) if writer.postgres else None

    def add(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if self.file is None:
            self.writer.insert_rows(ChangeRecord, _CHANGE_FIELDS, rows)
            return
        self.file.write("".join("\t".join(map(_copy_text, row)) + "\n" for row in rows).encode("utf-8"))

    def flush(self) -> None:
        if self.file is None or not self.file.tell():
            return
        self.file.seek(0)
        opts, qn = ChangeRecord._meta, connection.ops.quote_name
        columns = ", ".join(qn(opts.get_field(f).column) for f in _CHANGE_FIELDS)
        with connection.connection.cursor() as cur:
            with cur.copy(f"COPY {qn(opts.db_table)} ({columns}) FROM STDIN") as copy:
                while chunk := self.file.read(1 << 20):
                    copy.write(chunk)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()


_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_text(value) -> str:
    """One field in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)


def _bulk_update(model, objs: list, fields: tuple[str, ...], writer: BulkWriter) -> None:
    """UPDATE many rows: one COPY into a temporary table and one UPDATE ... FROM on PostgreSQL,
    Django's bulk_update elsewhere."""
    if not objs:
        return
    if not writer.postgres:
        model.objects.bulk_update(objs, [f.removesuffix("_id") if f.endswith("_id") else f for f in fields], 500)
        return
    opts, qn = model._meta, connection.ops.quote_name
    columns = [opts.get_field(f).column for f in fields]
    pk = opts.pk.column
    table = qn(opts.db_table)
    temp = qn(f"_linli_update_{opts.db_table}")
    column_list = ", ".join(qn(c) for c in (pk, *columns))
    with connection.cursor() as cur:
        cur.execute(f"CREATE TEMPORARY TABLE {temp} ON COMMIT DROP AS SELECT {column_list} FROM {table} WITH NO DATA")
    getter = attrgetter("pk", *fields)
    with connection.connection.cursor() as cur:
        with cur.copy(f"COPY {temp} ({column_list}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row(getter(obj))
    assignments = ", ".join(f"{qn(c)} = u.{qn(c)}" for c in columns)
    with connection.cursor() as cur:
        cur.execute(f"UPDATE {table} AS t SET {assignments} FROM {temp} AS u WHERE t.{qn(pk)} = u.{qn(pk)}")
        cur.execute(f"DROP TABLE {temp}")
