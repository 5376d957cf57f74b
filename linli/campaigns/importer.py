"""A department's list of people (人社局's 待认证人员名单, 医保's 未参保名单 …) in as a campaign's targets, in stages
(linli.core.jobs: upload → preview and column mapping → check, nothing written → commit in one transaction).

Decisions (docs/campaigns.md):
- Columns: 姓名 (required), 身份证号 and 地址 (at least one of them). Every other column of the sheet is kept with
  the person (CampaignTarget.source_row) so that the export can give the department its own columns back; the ID
  number is kept masked there (the registry holds it encrypted).
- A row is matched to an active resident of the campaign's community by ID number (the registry's keyed hash,
  no decryption), else by name and address (the address names a building and room of the community:
  linli.areas.addresses, and exactly one resident of that name lives there).
- Rows that cannot be matched are listed with their row number and the reason before anything is added; the
  commit adds the matched rows only, all in one transaction (nothing half-written). A person already on the list,
  or twice in the sheet, is added once (reported as skipped).
- An ID number that does not match the name in the registry is a problem of its row (a typo in one of them).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404

from linli.areas.addresses import BuildingIndex
from linli.campaigns.models import Campaign, CampaignTarget
from linli.core import crypto
from linli.core.excel.read import (
    HEADER_SEARCH_ROWS,
    Field,
    SpreadsheetError,
    Table,
    clean_name,
    clean_text,
    header_detector,
    mask_cell,
    missing_columns_message,
    read_table,
)
from linli.core.querysets import require_perm
from linli.residents.choices import ResidentStatus
from linli.residents.idcard import IdNumberError, mask_id_number, parse_id_number
from linli.residents.models import Resident

FIELDS: dict[str, Field] = {
    "name": Field("姓名", ("姓名", "居民姓名", "人员姓名", "参保人姓名", "待遇领取人", "领取人姓名", "名字"), True),
    "id_number": Field(
        "身份证号", ("身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码", "证件号", "社会保障号码")
    ),
    "address": Field("地址", ("地址", "住址", "居住地址", "现住址", "家庭住址", "联系地址", "详细地址", "门牌号")),
}
detect = header_detector(FIELDS)
_NO_HEADER = f"在前{HEADER_SEARCH_ROWS}行里没有找到名单的表头。表头应有“姓名”列，以及“身份证号”或“地址”列。"


class CampaignFileError(SpreadsheetError):
    """The sheet cannot be used at all (wrong type, no header, required columns missing)."""


def _usable(mapping: dict[int, str]) -> bool:
    return "name" in mapping.values()


def read_people(source, filename: str) -> Table:
    try:
        return read_table(source, filename, detect=detect, usable=_usable, no_header=_NO_HEADER)
    except CampaignFileError:
        raise
    except SpreadsheetError as exc:
        raise CampaignFileError(str(exc)) from exc


def missing_columns(mapping: dict[int, str]) -> list[str]:
    present = set(mapping.values())
    missing = [] if "name" in present else ["姓名"]
    if not present & {"id_number", "address"}:
        missing.append("身份证号或地址")
    return missing


def require_columns(mapping: dict[int, str]) -> None:
    missing = missing_columns(mapping)
    if missing:
        raise CampaignFileError(missing_columns_message(missing))


@dataclass
class RowNote:
    row: int
    column: str
    message: str
    name: str = ""


@dataclass
class CampaignImportReport:
    rows: int = 0
    matched: int = 0  # rows matched to a resident
    created: int = 0  # added to the list (or, for a check, to be added)
    by_id: int = 0
    by_address: int = 0
    skipped: int = 0  # already on the list, or twice in the sheet
    errors: list[RowNote] = field(default_factory=list)  # could not be matched: row, reason
    skipped_rows: list[RowNote] = field(default_factory=list)
    dry_run: bool = True

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def as_dict(self) -> dict:
        data = asdict(self)
        data["rejected"] = self.rejected
        return data


def check_scope(user, campaign: Campaign) -> None:
    """Who may import into a campaign: campaign.manage with the campaign in scope."""
    if user is None:
        return
    require_perm(user, "campaign.manage")
    if not Campaign.objects.restrict(user, "manage").filter(pk=campaign.pk).exists():
        raise Http404("不在您的管辖范围内。")


def check(table: Table, mapping: dict[int, str], campaign: Campaign, *, user=None):
    """Match every row against the registry as it is now; write nothing. Returns (report, {resident id: source
    row}) for the rows to add. Raises CampaignFileError when a required column is not mapped."""
    check_scope(user, campaign)
    unknown = set(mapping.values()) - FIELDS.keys()
    if unknown:
        raise ValueError(f"unknown field keys in mapping: {sorted(unknown)}")
    require_columns(mapping)
    return _Check(table, mapping, campaign).run()


class _Check:
    def __init__(self, table: Table, mapping: dict[int, str], campaign: Campaign):
        self.table, self.campaign = table, campaign
        self.columns = {key: i for i, key in sorted(mapping.items(), reverse=True) if i < len(table.headers)}
        self.header = {key: table.headers[i] for key, i in self.columns.items()}
        self.report = CampaignImportReport()
        self.residents = Resident.objects.filter(community_id=campaign.community_id, status=ResidentStatus.ACTIVE)

    def _note(self, number, key, message, name):
        self.report.errors.append(RowNote(number, self.header.get(key, FIELDS[key].label), message, name))

    def run(self):
        report = self.report
        parsed = []
        for number, cells in self.table.rows:
            v = {key: cells[i] if i < len(cells) else "" for key, i in self.columns.items()}
            if not any(v.values()):
                continue
            parsed.append((number, v, cells))
        report.rows = len(parsed)
        hashes = {}
        for number, v, _ in parsed:
            raw = (v.get("id_number") or "").strip()
            if raw:
                try:
                    hashes[number] = crypto.blind_index(parse_id_number(raw).number)
                except IdNumberError:
                    hashes[number] = None
        by_hash = {
            h: (pk, name)
            for pk, h, name in self.residents.filter(id_hash__in=[h for h in hashes.values() if h]).values_list(
                "pk", "id_hash", "name"
            )
        }
        places = BuildingIndex.of(self.campaign.community, with_rooms=True) if "address" in self.columns else None
        already = set(CampaignTarget.objects.filter(campaign=self.campaign).values_list("resident_id", flat=True))
        found: dict[int, dict] = {}
        for number, v, cells in parsed:
            name = clean_name(v.get("name", ""))
            if not name:
                self._note(number, "name", "姓名为空", "")
                continue
            pk = self._match(number, v, name, hashes, by_hash, places)
            if pk is None:
                continue
            report.matched += 1
            if pk in already or pk in found:
                why = "已在名单中，跳过" if pk in already else "与前面的行是同一人，跳过"
                report.skipped_rows.append(RowNote(number, "", why, name))
                report.skipped += 1
                continue
            found[pk] = self._source_row(cells)
        report.created = len(found)
        report.errors.sort(key=lambda e: e.row)
        return report, found

    def _match(self, number, v, name, hashes, by_hash, places) -> int | None:
        raw = (v.get("id_number") or "").strip()
        if raw:
            h = hashes.get(number)
            if h is None:
                why = f"身份证号“{mask_cell(raw)}”格式不对（应为18位，最后一位可以是X）"
                self._note(number, "id_number", why, name)
                return None
            if h in by_hash:
                pk, registered = by_hash[h]
                if registered != name:
                    self._note(number, "name", f"身份证号对应的居民是“{registered}”，与姓名“{name}”不一致", name)
                    return None
                self.report.by_id += 1
                return pk
            if not v.get("address"):
                self._note(number, "id_number", "本社区居民库中没有这个身份证号（可能已迁出或未登记）", name)
                return None
        address = clean_text(v.get("address", ""))
        if not address:
            self._note(number, "address", "没有身份证号，也没有地址，无法确定是哪位居民", name)
            return None
        place = places.match(address)
        if place.building is None:
            self._note(number, "address", f"地址“{address}”找不到本社区的楼栋（{place.why}）", name)
            return None
        people = self.residents.filter(name=name)
        people = people.filter(household=place.household) if place.household else people.filter(building=place.building)
        pks = list(people.values_list("pk", flat=True)[:2])
        if not pks:
            where = "这户" if place.household else place.building.name
            self._note(number, "address", f"{where}没有叫“{name}”的在册居民", name)
            return None
        if len(pks) > 1:
            why = f"{place.building.name}有不止一位叫“{name}”的居民，请补充身份证号或房号"
            self._note(number, "address", why, name)
            return None
        self.report.by_address += 1
        return pks[0]

    def _source_row(self, cells: list[str]) -> dict:
        """The sheet's own columns for this person; an ID number only masked."""
        id_col = self.columns.get("id_number")
        row = {}
        for i, (header, cell) in enumerate(zip(self.table.headers, cells)):
            if not cell:
                continue
            key = (header or f"第{i + 1}列")[:40]
            if i == id_col:
                try:
                    cell = mask_id_number(parse_id_number(cell).number)
                except IdNumberError:
                    cell = mask_cell(cell)
            row[key] = str(cell)[:200]
        return row


def guard_user(user, campaign) -> None:
    """PermissionDenied as a Chinese message for the pages (the import needs campaign.manage)."""
    try:
        check_scope(user, campaign)
    except Http404 as exc:
        raise PermissionDenied(str(exc)) from exc
