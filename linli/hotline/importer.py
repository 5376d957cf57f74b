"""12345 work orders in, in stages (the ledger importer's reading and header search, hotline fields).

1. read_orders(): the sheet's rows as text below a header row found among the first rows
   (linli.core.excel.read.read_table: .xlsx/.xls with python-calamine, CSV in UTF-8/GB18030).
2. detect(): which column holds which field, by the names hotline systems use; the web lets the
   user correct it.
3. check(): every row validated (errors keyed by Excel row and the column's header as written),
   nothing written. linli.hotline.services.commit_import() writes the accepted rows in ONE
   transaction after checking them again inside it.

Decisions (the pages, the CLI and docs/hotline.md rely on them):

- Required columns: 工单编号, 来电时间, 诉求内容, 地址, 办理时限. Missing ones are named and nothing is
  checked further. 联系人, 联系电话 and 类别 are optional.
- 工单编号 is unique in the whole system. A number already imported (in this community or another)
  is reported as "已导入，跳过": not an error, nothing changes. A number twice in the same file is
  an error on every row that carries it (neither is imported: which one is right is for a person).
- A row with any error is not imported; the others are (the CLI's --strict refuses all). Re-importing
  the corrected file imports the rest, because what is in already is skipped.
- The address is matched to a building of the community (and a room of it) when it names one
  (3栋2单元502, 3号楼502室, 3-2-502: linli.areas.addresses.match_address, with one index of the
  community's buildings and rooms for the whole file); otherwise the appeal keeps the free address and the row is
  counted as 未匹配楼栋. The reporter is linked to a registered resident when the phone belongs to
  exactly one active resident of the community and the address matched a building (linking
  without a place would put the appeal at the resident's home, which the hotline did not say).
- No name and no phone: the appeal is anonymous (the hotline keeps the caller's identity).
- A masked phone (138****5678) is not stored; the row is imported with a warning.
- 类别: matched to a category by name or code when the column exists; an unknown one is a warning
  and the category stays empty for the dispatcher (and the routing suggestion) to decide.
- 办理时限 already past is a warning (the appeal is overdue for the hotline from the start).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from linli.appeals.models import Category
from linli.appeals.services import MAX_TEXT
from linli.areas.addresses import BuildingIndex
from linli.areas.models import Building, Community, Household
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
    missing_columns_message,
    normalize_header,
    read_table,
)
from linli.core.phone import PhoneError, normalize_phone
from linli.core.querysets import require_perm
from linli.hotline import normalize as hnorm
from linli.hotline.models import HotlineOrder
from linli.residents.choices import ResidentStatus
from linli.residents.models import Resident

__all__ = ["FIELDS", "REQUIRED", "HotlineFileError", "HotlineReport", "check", "detect", "read_orders"]

FIELDS: dict[str, Field] = {
    "order_no": Field(
        "工单编号",
        ("工单编号", "工单号", "工单编码", "工单流水号", "受理编号", "受理单号", "单号", "编号", "工单id", "工单标识"),
        True,
    ),
    "called_at": Field(
        "来电时间",
        ("来电时间", "来电日期", "受理时间", "登记时间", "诉求时间", "创建时间", "接听时间", "呼入时间", "来电时刻"),
        True,
    ),
    "text": Field(
        "诉求内容",
        (
            "诉求内容",
            "来电内容",
            "工单内容",
            "反映内容",
            "问题描述",
            "诉求描述",
            "事项内容",
            "具体内容",
            "内容",
            "诉求",
            "主要内容",
            "来电诉求",
        ),
        True,
    ),
    "address": Field(
        "地址",
        (
            "地址",
            "事发地址",
            "诉求地址",
            "事发地点",
            "发生地址",
            "问题地址",
            "地点",
            "详细地址",
            "来电人地址",
            "联系地址",
        ),
        True,
    ),
    "contact": Field(
        "联系人", ("联系人", "来电人", "来电人姓名", "市民姓名", "诉求人", "反映人", "姓名", "联系人姓名", "来电者")
    ),
    "phone": Field(
        "联系电话",
        (
            "联系电话",
            "来电号码",
            "来电电话",
            "联系方式",
            "电话",
            "手机",
            "手机号码",
            "联系号码",
            "回访电话",
            "主叫号码",
        ),
    ),
    "due": Field(
        "办理时限",
        (
            "办理时限",
            "办结时限",
            "处理时限",
            "承办时限",
            "办理期限",
            "截止时间",
            "要求办结时间",
            "到期时间",
            "办结期限",
            "时限",
            "限办时间",
        ),
        True,
    ),
    "category": Field("类别", ("类别", "问题类别", "诉求类别", "问题分类", "业务类别", "事项类别", "工单类别", "分类")),
}
REQUIRED = tuple(key for key, f in FIELDS.items() if f.required)

detect = header_detector(FIELDS)

_NO_HEADER = (
    f"在前{HEADER_SEARCH_ROWS}行里没有找到12345工单的表头。表头应有这些列："
    f"{'、'.join(FIELDS[k].label for k in REQUIRED)}（联系人、联系电话可选）。"
)


class HotlineFileError(SpreadsheetError):
    """The sheet cannot be used at all (wrong type, corrupt, no header, required columns missing)."""


def _usable(mapping: dict[int, str]) -> bool:
    # A row counts as the header when it names at least two required columns: a sheet that lacks
    # the others is then reported column by column ("缺少必需的列：办理时限") rather than as "no header".
    return len(set(mapping.values()) & set(REQUIRED)) >= 2


def read_orders(source, filename: str) -> Table:
    try:
        return read_table(source, filename, detect=detect, usable=_usable, no_header=_NO_HEADER)
    except HotlineFileError:
        raise
    except SpreadsheetError as exc:
        raise HotlineFileError(str(exc)) from exc


def missing_columns(mapping: dict[int, str]) -> list[str]:
    """Labels of the required fields the mapping lacks, in FIELDS order."""
    present = set(mapping.values())
    return [FIELDS[k].label for k in REQUIRED if k not in present]


def require_columns(mapping: dict[int, str]) -> None:
    missing = missing_columns(mapping)
    if missing:
        raise HotlineFileError(missing_columns_message(missing))


# --------------------------------------------------------------------------- report


@dataclass
class RowNote:
    row: int
    column: str
    message: str
    order_no: str = ""


@dataclass
class HotlineReport:
    rows: int = 0
    created: int = 0  # imported (or, for a check, to be imported)
    skipped: int = 0  # already imported
    errors: list[RowNote] = field(default_factory=list)
    skipped_orders: list[RowNote] = field(default_factory=list)
    warnings: list[RowNote] = field(default_factory=list)
    buildings_matched: int = 0
    unmatched_buildings: int = 0  # 未匹配楼栋 N 条
    residents_linked: int = 0
    past_due: int = 0
    dry_run: bool = True
    orders: list[str] = field(default_factory=list)  # order numbers imported (or to be)

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rejected"] = self.rejected
        return data


# --------------------------------------------------------------------------- records


@dataclass
class OrderRecord:
    """A validated row, ready for create_appeal."""

    row: int
    order_no: str
    received_at: object
    due_at: object
    text: str
    address: str
    contact: str
    phone: str
    category: Category | None
    raw: dict
    building: Building | None = None
    household: Household | None = None
    reporter: Resident | None = None


def check_scope(user, community) -> None:
    """Who may import into `community`: a role that registers appeals, with the whole community in scope."""
    if user is None:
        return
    require_perm(user, "appeal.add")
    if not Community.objects.restrict(user).filter(pk=community.pk).exists():
        raise PermissionDenied("这个社区不在您的管辖范围内。")


_PHONE_SPLIT = re.compile(r"[/、,，;；]+|\s{2,}")


def check(table: Table, mapping: dict[int, str], community, *, user=None) -> tuple[HotlineReport, list[OrderRecord]]:
    """Validate every row against the database as it is now; write nothing.

    Returns the report (dry_run=True) and the accepted rows. Raises HotlineFileError when a
    required column is not mapped, PermissionDenied when `user` may not import into `community`.
    """
    check_scope(user, community)
    unknown = set(mapping.values()) - FIELDS.keys()
    if unknown:
        raise ValueError(f"unknown field keys in mapping: {sorted(unknown)}")
    require_columns(mapping)
    return _Check(table, mapping, community).run()


class _Check:
    def __init__(self, table: Table, mapping: dict[int, str], community):
        self.table, self.community = table, community
        self.columns = {
            key: index for index, key in sorted(mapping.items(), reverse=True) if index < len(table.headers)
        }
        self.header = {key: table.headers[index] for key, index in self.columns.items()}
        self.report = HotlineReport()
        self.now = timezone.now()

    def _load(self, rows):
        community = self.community
        numbers = {r[1] for r in rows if r[1]}
        self.imported = dict(HotlineOrder.objects.filter(order_no__in=numbers).values_list("order_no", "community_id"))
        self.places = BuildingIndex.of(community, with_rooms=True)
        self.categories = {}
        for c in Category.objects.filter(is_active=True):
            self.categories.setdefault(normalize_header(c.name), c)
            self.categories.setdefault(normalize_header(c.code), c)
        self.by_phone: dict[str, list[Resident]] = {}

    def _load_residents(self, phones: set[str]) -> None:
        if not phones:
            return
        for r in Resident.objects.filter(
            community=self.community, status=ResidentStatus.ACTIVE, phone__in=phones
        ).select_related("household__building"):
            self.by_phone.setdefault(r.phone, []).append(r)

    def run(self) -> tuple[HotlineReport, list[OrderRecord]]:
        report, columns = self.report, self.columns
        rows = []
        for number, cells in self.table.rows:
            v = {key: cells[index] if index < len(cells) else "" for key, index in columns.items()}
            if not any(v.values()):
                continue
            order_no, order_error = "", None
            try:
                order_no = hnorm.clean_order_no(v.get("order_no", ""))
            except CellError as exc:
                order_error = str(exc)
            rows.append((number, order_no, order_error, v, cells))
        report.rows = len(rows)
        self._load(rows)
        seen: dict[str, list[int]] = {}
        for number, order_no, _error, _v, _cells in rows:
            if order_no:
                seen.setdefault(order_no, []).append(number)

        candidates = []
        phones = set()
        for number, order_no, order_error, v, cells in rows:
            errors: list[RowNote] = []

            def err(key: str, message: str, _n=number, _o=order_no, _errors=errors) -> None:
                _errors.append(RowNote(_n, self.header.get(key, FIELDS[key].label if key else ""), message, _o))

            if order_error:
                err("order_no", order_error)
            elif not order_no:
                err("order_no", "请填写工单编号")
            else:
                others = [n for n in seen[order_no] if n != number]
                if others:
                    err(
                        "order_no",
                        f"工单编号“{order_no}”在本文件中重复（第{'、'.join(map(str, others))}行也是这个编号），"
                        "同一工单只能出现一次，这几行都没有导入",
                    )
            if not errors and order_no in self.imported:
                where = "" if self.imported[order_no] == self.community.pk else "（由其他社区导入）"
                report.skipped_orders.append(RowNote(number, self.header["order_no"], f"已导入，跳过{where}", order_no))
                report.skipped += 1
                continue
            record = self._row(number, order_no, v, cells, err)
            if errors:
                report.errors.extend(errors)
                continue
            candidates.append(record)
            if record.phone:
                phones.add(record.phone)
        self._load_residents(phones)
        accepted = []
        for record in candidates:
            self._place(record)
            accepted.append(record)
            report.orders.append(record.order_no)
        report.created = len(accepted)
        report.errors.sort(key=lambda e: e.row)
        report.warnings.sort(key=lambda e: e.row)
        return report, accepted

    def _warn(self, number: int, key: str, message: str, order_no: str) -> None:
        self.report.warnings.append(RowNote(number, self.header.get(key, ""), message, order_no))

    def _row(self, number: int, order_no: str, v: dict, cells: list[str], err) -> OrderRecord:
        # 来电时间
        received_at = None
        text = v.get("called_at", "")
        if not text:
            err("called_at", "请填写来电时间")
        else:
            try:
                received_at, _ = hnorm.parse_datetime(text, label="来电时间")
            except CellError as exc:
                err("called_at", str(exc))
            else:
                if received_at > self.now + datetime.timedelta(minutes=5):
                    err("called_at", f"来电时间“{text}”晚于现在，请检查")
        # 诉求内容
        content = v.get("text", "").strip()
        if not content:
            err("text", "诉求内容为空")
        elif len(content) > MAX_TEXT:
            err("text", f"诉求内容太长（{len(content)}字，最多{MAX_TEXT}字）")
        # 地址
        address = clean_text(v.get("address", ""))
        if not address:
            err("address", "请填写地址")
        elif len(address) > 200:
            err("address", f"地址太长（{len(address)}字，最多200字）")
        # 联系人、联系电话
        contact = clean_name(v.get("contact", ""))
        if len(contact) > 40:
            err("contact", "联系人太长（最多40个字）")
        phone = ""
        phone_text = v.get("phone", "")
        if phone_text:
            if is_masked(phone_text):
                self._warn(number, "phone", "联系电话已遮蔽（带*号），没有保存", order_no)
            else:
                try:
                    numbers = [normalize_phone(p) for p in _PHONE_SPLIT.split(phone_text) if p.strip()]
                except PhoneError as exc:
                    err("phone", f"联系电话“{phone_text}”：{exc}")
                else:
                    numbers = [n for n in numbers if n]
                    if numbers:
                        phone = numbers[0]
                    if len(numbers) > 1:
                        self._warn(number, "phone", f"有多个电话，只保存第一个（{phone}）", order_no)
        # 办理时限
        due_at = None
        due_text = v.get("due", "")
        if not due_text:
            err("due", "请填写办理时限")
        else:
            try:
                due_at = hnorm.parse_due(due_text, called_at=received_at)
            except CellError as exc:
                err("due", str(exc))
            else:
                if received_at is not None and due_at < received_at:
                    err("due", f"办理时限“{due_text}”早于来电时间")
                elif due_at < self.now:
                    self.report.past_due += 1
                    self._warn(number, "due", "办理时限已过，导入后即为超期", order_no)
        # 类别 (optional)
        category = None
        if v.get("category"):
            category = self.categories.get(normalize_header(v["category"]))
            if category is None:
                self._warn(number, "category", f"类别“{v['category']}”不在问题类别目录里，留空由派单员选择", order_no)
        raw = {h or f"第{i + 1}列": c for i, (h, c) in enumerate(zip(self.table.headers, cells)) if c}
        return OrderRecord(
            row=number,
            order_no=order_no,
            received_at=received_at,
            due_at=due_at,
            text=content,
            address=address,
            contact=contact,
            phone=phone,
            category=category,
            raw=raw,
        )

    def _place(self, record: OrderRecord) -> None:
        """Building and room from the address; the reporter from the phone (see the module docstring)."""
        found = self.places.match(record.address)
        report = self.report
        if found.building is None:
            report.unmatched_buildings += 1
            self._warn(record.row, "address", f"未匹配楼栋（{found.why}），按原地址保存", record.order_no)
            return
        record.building, record.household = found.building, found.household
        report.buildings_matched += 1
        people = self.by_phone.get(record.phone, []) if record.phone else []
        if len(people) == 1:
            record.reporter = people[0]
            report.residents_linked += 1
