"""A community's existing party member roster (党员名册) from Excel, in stages (linli.core.jobs: upload → preview and
column mapping → check, nothing written → commit in one transaction).

Decisions (docs/party-members.md):
- Columns: 姓名 (required), 身份证号, 联系电话, 所在支部 (required), 党小组, 党员类别, 党员状态, 入党日期, 工作单位,
  特长, 可服务时间. The ID number is used to find the resident and never kept (the registry holds it encrypted).
- A row is matched to an active resident of the community by ID number (the registry's keyed hash), else by name
  and phone (exactly one resident); a row matching none is a member who only serves here (name and phone).
- 所在支部 and 党小组 are names of the community's organisations; 工作单位 names a registered unit when one has
  that name, else it is kept as text.
- Every problem is listed by row and column before anything is added, and a sheet with any problem adds nothing
  (services_members.commit_import): a roster half in would pass for the whole.
- A resident already on the roster, or twice in the sheet, is a problem of its row.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from linli.areas.models import Community
from linli.core import crypto
from linli.core.excel.read import (
    HEADER_SEARCH_ROWS,
    CellError,
    Field,
    SpreadsheetError,
    Table,
    clean_name,
    clean_text,
    fold,
    header_detector,
    mask_cell,
    missing_columns_message,
    read_table,
)
from linli.party.choices import MemberKind, MemberStatus, OrgKind
from linli.party.models import PartnerUnit, PartyMember, PartyOrg
from linli.residents.choices import ResidentStatus
from linli.residents.idcard import IdNumberError, parse_id_number
from linli.residents.models import Resident

FIELDS: dict[str, Field] = {
    "name": Field("姓名", ("姓名", "党员姓名", "名字"), True),
    "id_number": Field("身份证号", ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码")),
    "phone": Field("联系电话", ("联系电话", "手机号", "手机号码", "电话", "手机", "联系方式")),
    "branch": Field("所在支部", ("所在支部", "支部", "所在党支部", "党支部", "所属支部", "所在党组织"), True),
    "group": Field("党小组", ("党小组", "所在党小组")),
    "kind": Field("党员类别", ("党员类别", "类别", "正式/预备", "党员类型")),
    "status": Field("党员状态", ("党员状态", "状态")),
    "joined_on": Field("入党日期", ("入党日期", "入党时间", "入党年月")),
    "work_unit": Field("工作单位", ("工作单位", "单位", "工作单位及职务")),
    "skills": Field("特长", ("特长", "专长", "技能")),
    "availability": Field("可服务时间", ("可服务时间", "服务时间", "空闲时间")),
}
detect = header_detector(FIELDS)
_NO_HEADER = f"在前{HEADER_SEARCH_ROWS}行里没有找到名册的表头。表头应有“姓名”和“所在支部”列。"

KINDS = {fold(label): value for value, label in MemberKind.choices} | {
    "正式": MemberKind.FULL,
    "预备": MemberKind.PROBATIONARY,
}
STATUSES = {fold(label): value for value, label in MemberStatus.choices} | {
    "在册": MemberStatus.REGISTERED,
    "流出": MemberStatus.FLOATING_OUT,
    "流动党员外出": MemberStatus.FLOATING_OUT,
    "外出": MemberStatus.FLOATING_OUT,
    "流入": MemberStatus.FLOATING_IN,
    "流动党员流入": MemberStatus.FLOATING_IN,
    "在职": MemberStatus.IN_SERVICE,
    "在职党员": MemberStatus.IN_SERVICE,
    "双报到": MemberStatus.IN_SERVICE,
}


class MemberFileError(SpreadsheetError):
    """The sheet cannot be used at all (wrong type, no header, required columns missing)."""


def _usable(mapping: dict[int, str]) -> bool:
    return "name" in mapping.values()


def read_roster(source, filename: str) -> Table:
    try:
        return read_table(source, filename, detect=detect, usable=_usable, no_header=_NO_HEADER)
    except MemberFileError:
        raise
    except SpreadsheetError as exc:
        raise MemberFileError(str(exc)) from exc


def missing_columns(mapping: dict[int, str]) -> list[str]:
    present = set(mapping.values())
    return [f.label for key, f in FIELDS.items() if f.required and key not in present]


@dataclass
class RowNote:
    row: int
    column: str
    message: str
    name: str = ""


@dataclass
class MemberImportReport:
    rows: int = 0
    created: int = 0  # to be added (check) or added (commit)
    residents: int = 0  # rows matched to a resident of the registry
    by_id: int = 0
    by_phone: int = 0
    errors: list[RowNote] = field(default_factory=list)
    dry_run: bool = True

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rejected"] = self.rejected
        return data


def check_scope(user, community: Community) -> None:
    """Who may import a community's roster: party.manage over the community (403, then 404)."""
    from linli.areas.scope import require_community
    from linli.core.audit import actor_of

    if user is not None:
        require_community(actor_of(user), "party.manage", community.pk)


def guard_user(user, community) -> None:
    try:
        check_scope(user, community)
    except Http404 as exc:
        raise PermissionDenied(str(exc)) from exc


def check(table: Table, mapping: dict[int, str], community: Community, *, user=None, today=None):
    """Check every row against the registry and the community's organisations as they are now; write nothing.
    Returns (report, [PartyMember field dicts]) for the rows without problems."""
    check_scope(user, community)
    unknown = set(mapping.values()) - FIELDS.keys()
    if unknown:
        raise ValueError(f"unknown field keys in mapping: {sorted(unknown)}")
    missing = missing_columns(mapping)
    if missing:
        raise MemberFileError(missing_columns_message(missing))
    return _Check(table, mapping, community, today or timezone.localdate()).run()


def parse_joined(text: str, today: datetime.date) -> datetime.date:
    from linli.ledgers.normalize import parse_date

    try:
        return parse_date(text, today=today)
    except CellError as exc:
        raise CellError(str(exc).replace("出生日期", "入党日期").replace("1950", "1998")) from None


class _Check:
    def __init__(self, table: Table, mapping: dict[int, str], community: Community, today: datetime.date):
        self.table, self.community, self.today = table, community, today
        self.columns = {key: i for i, key in sorted(mapping.items(), reverse=True) if i < len(table.headers)}
        self.header = {key: table.headers[i] for key, i in self.columns.items()}
        self.report = MemberImportReport()
        self.residents = Resident.objects.filter(community_id=community.pk, status=ResidentStatus.ACTIVE)
        orgs = list(PartyOrg.objects.filter(community=community, is_active=True))
        self.branches = {fold(o.name): o for o in orgs if o.kind in (OrgKind.COMMUNITY_ORG, OrgKind.GRID_BRANCH)}
        self.groups = {(o.parent_id, fold(o.name)): o for o in orgs if o.kind == OrgKind.GROUP}
        self.units = {fold(u.name): u for u in PartnerUnit.objects.filter(community=community, is_active=True)}
        self.on_roster = set(
            PartyMember.objects.filter(community=community, is_active=True, resident__isnull=False).values_list(
                "resident_id", flat=True
            )
        )

    def _note(self, number, key, message, name):
        self.report.errors.append(RowNote(number, self.header.get(key, FIELDS[key].label), message, name))

    def run(self):
        report, records, seen = self.report, [], {}
        for number, cells in self.table.rows:
            v = {key: clean_text(cells[i]) if i < len(cells) else "" for key, i in self.columns.items()}
            if not any(v.values()):
                continue
            report.rows += 1
            record = self._row(number, v)
            if record is None:
                continue
            key = ("resident", record["resident"].pk) if record.get("resident") else ("phone", record.get("phone"))
            if key[1] and key in seen:
                self._note(number, "name", f"与第{seen[key]}行是同一人", record["name"])
                continue
            seen[key] = number
            records.append(record)
        report.errors.sort(key=lambda e: e.row)
        bad = {e.row for e in report.errors}
        report.created = 0 if bad else len(records)
        return report, records

    def _row(self, number, v) -> dict | None:
        name = clean_name(v.get("name", ""))
        problems = len(self.report.errors)
        if not name:
            self._note(number, "name", "姓名为空", "")
            return None
        record = {"name": name}
        resident = self._resident(number, v, name)
        if resident is not None:
            record["resident"] = resident
            if resident.pk in self.on_roster:
                self._note(number, "name", "已在本社区党员名册中", name)
        else:
            phone = "".join(ch for ch in v.get("phone", "") if ch.isascii() and ch.isdigit())
            if v.get("phone") and len(phone) not in (7, 8, 11, 12):
                self._note(number, "phone", f"联系电话“{mask_cell(v['phone'])}”格式不对", name)
            record["phone"] = phone
        branch_name = v.get("branch", "")
        branch = self.branches.get(fold(branch_name))
        if not branch_name:
            self._note(number, "branch", "所在支部为空", name)
        elif branch is None:
            self._note(number, "branch", f"本社区没有叫“{branch_name}”的党组织（请写支部全称）", name)
        record["branch"] = branch
        group_name = v.get("group", "")
        if group_name and branch is not None:
            group = self.groups.get((branch.pk, fold(group_name)))
            if group is None:
                self._note(number, "group", f"{branch.name}下没有叫“{group_name}”的党小组", name)
            record["group"] = group
        if v.get("kind"):
            kind = KINDS.get(fold(v["kind"]))
            if kind is None:
                self._note(number, "kind", f"党员类别“{v['kind']}”应为“正式”或“预备”", name)
            record["kind"] = kind or MemberKind.FULL
        if v.get("status"):
            status = STATUSES.get(fold(v["status"]))
            if status is None:
                self._note(number, "status", f"党员状态“{v['status']}”应为在册、流出、流入或在职", name)
            record["status"] = status or MemberStatus.REGISTERED
        if v.get("joined_on"):
            try:
                record["joined_on"] = parse_joined(v["joined_on"], self.today)
            except CellError as exc:
                self._note(number, "joined_on", str(exc), name)
        unit_name = v.get("work_unit", "")
        if unit_name:
            unit = self.units.get(fold(unit_name))
            if unit is not None:
                record["work_unit"] = unit
            else:
                record["work_unit_name"] = unit_name[:100]
        record["skills"] = v.get("skills", "")[:200]
        record["availability"] = v.get("availability", "")[:200]
        return record if len(self.report.errors) == problems else None

    def _resident(self, number, v, name) -> Resident | None:
        raw = v.get("id_number", "")
        if raw:
            try:
                digest = crypto.blind_index(parse_id_number(raw).number)
            except IdNumberError:
                why = f"身份证号“{mask_cell(raw)}”格式不对（应为18位，最后一位可以是X）"
                self._note(number, "id_number", why, name)
                return None
            resident = self.residents.filter(id_hash=digest).first()
            if resident is not None:
                if resident.name != name:
                    why = f"身份证号对应的居民是“{resident.name}”，与姓名“{name}”不一致"
                    self._note(number, "name", why, name)
                    return None
                self.report.by_id += 1
                self.report.residents += 1
                return resident
        phone = "".join(ch for ch in v.get("phone", "") if ch.isascii() and ch.isdigit())
        if phone:
            found = list(self.residents.filter(name=name, phone=phone)[:2])
            if len(found) == 1:
                self.report.by_phone += 1
                self.report.residents += 1
                return found[0]
        return None
