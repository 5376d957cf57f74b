"""Cell values of real ledgers (台账) turned into registry values.

Every community office keeps its ledger its own way: full-width digits from Chinese input
methods, "3号楼" in one row and "三栋" in the next, dates typed as 1950.3.5 or stored as Excel
serial numbers, several care groups in one cell. The functions here accept all of that and
either return the canonical value or raise CellError with a message a clerk can act on. The generic
cell normalisers (cell text, names, free text, headers, masked values) are linli.core.excel.read's.

They are pure (no database) and cached where the same text repeats thousands of times in a
ledger (building, room, relation, tags), because the importer calls them for every cell of
100,000-row files. ID numbers and phones are not handled here: linli.residents.idcard and
linli.core.phone own those rules.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from linli.areas.addresses import chinese_number, parse_address, parse_building_number
from linli.core.excel.read import CellError, fold
from linli.residents.choices import ContactRelation, Relation, ResidenceType, Sex

__all__ = [
    "RoomRef",
    "TagMatcher",
    "parse_building",
    "parse_date",
    "parse_entrance",
    "parse_grid",
    "parse_relation",
    "parse_residence_type",
    "parse_room",
    "parse_sex",
    "split_tags",
]


# --------------------------------------------------------------------------- places

_BUILDING_CODE = re.compile(r"(\d+|[零〇一二两三四五六七八九十百]+)-(\d+|[零〇一二两三四五六七八九十百]+)-(\d{3,4})")


@lru_cache(maxsize=4096)
def parse_building(text: str) -> tuple[int, int | None, str | None]:
    """(building number, entrance or None, room or None).

    '3栋', '3号楼', '三栋', '3幢', '3座', '3' all give 3 (the same building); a whole address
    typed into the building column ('3栋2单元502', '3-2-502') also gives its entrance and room.
    """
    folded = fold(text)
    number = parse_building_number(folded)
    if number is not None and number > 0:
        return number, None, None
    address = parse_address(folded)
    if address is not None and address.building > 0:
        return address.building, address.entrance, address.room
    m = _BUILDING_CODE.fullmatch(folded)
    if m:
        return chinese_number(m.group(1)), chinese_number(m.group(2)), m.group(3)
    raise CellError(f"楼栋“{text}”无法识别，请写楼号，如“3栋”或“3”")


_ENTRANCE = re.compile(r"(?:第)?(\d+|[零〇一二两三四五六七八九十]+)(?:单元|门|号)?")


@lru_cache(maxsize=1024)
def parse_entrance(text: str) -> int:
    """'2', '2单元', '二单元', '第2单元' -> 2."""
    m = _ENTRANCE.fullmatch(fold(text))
    number = chinese_number(m.group(1)) if m else None
    if not number or number > 99:
        raise CellError(f"单元“{text}”无法识别，请写单元号，如“2”或“2单元”")
    return number


@dataclass(frozen=True, slots=True)
class RoomRef:
    """A room as written, split up: '2-502' is entrance 2, room 502 on floor 5."""

    room: str
    floor: int
    index: int
    entrance: int | None = None
    building: int | None = None


_N = r"\d+|[零〇一二两三四五六七八九十百]+"
_ROOM = re.compile(
    rf"(?:(?P<building>{_N})(?:栋|号楼|幢|座)|(?P<building2>{_N})-(?=(?:{_N})-))?"
    rf"(?:(?P<entrance>{_N})(?:单元|-))?"
    r"(?P<room>\d{3,4})(?:室|号|房|号房)?"
)


@lru_cache(maxsize=16384)
def parse_room(text: str) -> RoomRef:
    """'502', '502室', '0502', '2-502', '2单元502', '3栋2单元502' -> room 502, floor 5 (and
    entrance/building when written). The floor is what the room number says: 502 -> 5,
    1203 -> 12; the last two digits are the room's place on its floor."""
    m = _ROOM.fullmatch(fold(text))
    if not m:
        raise CellError(f"房号“{text}”无法识别，请写成“502”或“2-502”（单元-房号）")
    digits = m.group("room").lstrip("0")
    if len(digits) < 3:
        raise CellError(f"房号“{text}”无法识别，请写成“502”或“2-502”（单元-房号）")
    floor, index = int(digits[:-2]), int(digits[-2:])
    if index == 0:
        raise CellError(f"房号“{text}”无法识别：最后两位是本层的房间序号，不能是00")
    entrance = chinese_number(m.group("entrance")) if m.group("entrance") else None
    building_text = m.group("building") or m.group("building2")
    building = chinese_number(building_text) if building_text else None
    if entrance == 0 or building == 0:
        raise CellError(f"房号“{text}”无法识别，请写成“502”或“2-502”（单元-房号）")
    return RoomRef(room=digits, floor=floor, index=index, entrance=entrance, building=building)


_GRID = re.compile(rf"(?:第)?({_N})(?:号)?(?:网格)?|网格({_N})(?:号)?")


@lru_cache(maxsize=1024)
def parse_grid(text: str) -> int | None:
    """'第3网格', '3网格', '三网格', '网格3', '3' -> 3; None for a grid written by name only."""
    m = _GRID.fullmatch(fold(text))
    if not m:
        return None
    number = chinese_number(m.group(1) or m.group(2))
    return number if number and number <= 32767 else None


# --------------------------------------------------------------------------- dates

_EXCEL_EPOCH = datetime.date(1899, 12, 30)
_DATE = re.compile(
    r"(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?(?:\s*[t ]?\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?",
    re.IGNORECASE,
)
_PARTIAL_DATE = re.compile(r"(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*月?")
_MIN_DATE = datetime.date(1900, 1, 1)


def parse_date(text: str, *, today: datetime.date) -> datetime.date:
    """1950.3.5, 1950-03-05, 1950/3/5, 1950年3月5日, 19500305, an Excel serial (18327) or a
    date cell -> date. Months or days that do not exist (1950-02-30) are refused, not rolled
    over, and so are dates before 1900 or after `today`."""
    folded = unicodedata.normalize("NFKC", text).strip()
    m = _DATE.fullmatch(folded)
    if m:
        parts = tuple(map(int, m.groups()))
    elif folded.isdigit() and len(folded) == 8:
        parts = (int(folded[:4]), int(folded[4:6]), int(folded[6:]))
    elif _PARTIAL_DATE.fullmatch(folded) or (len(folded) == 4 and folded.isdigit() and int(folded) >= 1900):
        # A year (and month) alone, not an Excel serial: serials of 1900-2100 are dates in 1905.
        raise CellError(f"出生日期“{text}”不完整，请写年月日，如“1950-03-05”")
    elif re.fullmatch(r"\d{1,6}(?:\.\d+)?", folded):
        serial = int(float(folded))
        if not 1 <= serial <= 2958465:
            raise CellError(f"出生日期“{text}”无法识别，请写成“1950-03-05”")
        # Excel counts 1900-02-29, a day that never was; serials from 61 on are offset by it.
        date = _EXCEL_EPOCH + datetime.timedelta(days=serial if serial >= 61 else serial + 1)
        parts = (date.year, date.month, date.day)
    else:
        raise CellError(f"出生日期“{text}”无法识别，请写成“1950-03-05”")
    try:
        date = datetime.date(*parts)
    except ValueError:
        raise CellError(f"出生日期“{text}”不存在") from None
    if date < _MIN_DATE:
        raise CellError("出生日期不能早于1900年")
    if date > today:
        raise CellError("出生日期不能晚于今天")
    return date


# --------------------------------------------------------------------------- choices


def _lookup(table: dict[str, str]) -> dict[str, str]:
    return {fold(k).lower(): v for k, v in table.items()}


_SEXES = _lookup(
    {
        "男": Sex.MALE,
        "男性": Sex.MALE,
        "m": Sex.MALE,
        "male": Sex.MALE,
        "女": Sex.FEMALE,
        "女性": Sex.FEMALE,
        "f": Sex.FEMALE,
        "female": Sex.FEMALE,
    }
)


def parse_sex(text: str) -> str:
    sex = _SEXES.get(fold(text).lower())
    if sex is None:
        raise CellError(f"性别“{text}”无法识别，请写“男”或“女”")
    return sex


_RELATIONS = _lookup(
    {
        **{label: value for value, label in Relation.choices},
        **{value: value for value in Relation.values},
        **dict.fromkeys(("本人", "户主本人", "自己", "户主"), Relation.HEAD),
        **dict.fromkeys(("妻", "妻子", "夫", "丈夫", "配偶", "老伴", "爱人", "夫妻", "之妻", "之夫"), Relation.SPOUSE),
        **dict.fromkeys(
            ("子", "女", "儿子", "女儿", "子女", "儿", "养子", "养女", "继子", "继女", "独子", "独女", "之子", "之女"),
            Relation.CHILD,
        ),
        **dict.fromkeys(
            ("父亲", "母亲", "父", "母", "父母", "岳父", "岳母", "公公", "婆婆", "继父", "继母", "养父", "养母"),
            Relation.PARENT,
        ),
        **dict.fromkeys(
            ("孙子", "孙女", "外孙", "外孙子", "外孙女", "孙", "孙子女", "曾孙", "曾孙女"), Relation.GRANDCHILD
        ),
        **dict.fromkeys(
            ("祖父", "祖母", "爷爷", "奶奶", "外祖父", "外祖母", "外公", "外婆", "祖父母", "外祖父母"),
            Relation.GRANDPARENT,
        ),
        **dict.fromkeys(
            ("兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹", "兄弟姐妹", "兄妹", "姐弟"),
            Relation.SIBLING,
        ),
        **dict.fromkeys(("儿媳", "儿媳妇", "媳妇", "女婿", "儿媳/女婿", "儿媳女婿"), Relation.CHILD_IN_LAW),
        **dict.fromkeys(("租户", "租客", "租住", "租住人员", "承租人", "租房", "租赁"), Relation.TENANT),
        **dict.fromkeys(("其他", "其它", "亲属", "其他亲属", "朋友", "同住", "保姆", "借住"), Relation.OTHER),
    }
)
# 长子, 次女, 三儿子, 小女儿: birth order in front of a child.
_ORDINAL = re.compile(r"^(?:长|次|大|二|小|三|四|五|六|幼)(?=子|女|儿)")


@lru_cache(maxsize=512)
def parse_relation(text: str) -> str:
    key = fold(text).lower()
    relation = _RELATIONS.get(key) or _RELATIONS.get(_ORDINAL.sub("", key))
    if relation is None:
        raise CellError(f"与户主关系“{text}”无法识别，可填：{'、'.join(Relation.labels)}")
    return relation


_CONTACT_RELATIONS = _lookup(
    {
        **{label: value for value, label in ContactRelation.choices},
        **{value: value for value in ContactRelation.values},
        **dict.fromkeys(
            ("子", "女", "儿子", "女儿", "儿", "子女", "儿女", "儿媳", "女婿", "儿媳妇", "养子", "养女", "继子"),
            ContactRelation.CHILD,
        ),
        **dict.fromkeys(("夫", "妻", "丈夫", "妻子", "老伴", "爱人", "夫妻", "老公", "老婆"), ContactRelation.SPOUSE),
        **dict.fromkeys(
            ("兄", "弟", "姐", "妹", "哥哥", "弟弟", "姐姐", "妹妹", "兄弟", "姐妹", "兄妹", "姐弟"),
            ContactRelation.SIBLING,
        ),
        **dict.fromkeys(
            ("亲属", "亲戚", "孙子", "孙女", "外孙", "外孙女", "侄子", "侄女", "外甥", "外甥女", "父亲", "母亲"),
            ContactRelation.RELATIVE,
        ),
        **dict.fromkeys(("邻居", "邻里", "楼上邻居", "楼下邻居", "对门", "隔壁"), ContactRelation.NEIGHBOUR),
        **dict.fromkeys(("其它", "朋友", "同事", "保姆", "护工", "监护人", "楼长"), ContactRelation.OTHER),
    }
)


@lru_cache(maxsize=256)
def parse_contact_relation(text: str) -> str:
    """紧急联系人关系: 儿子 → 子女, 老伴 → 配偶, 隔壁 → 邻居."""
    key = fold(text).lower()
    relation = _CONTACT_RELATIONS.get(key) or _CONTACT_RELATIONS.get(_ORDINAL.sub("", key))
    if relation is None:
        raise CellError(f"紧急联系人关系“{text}”无法识别，可填：{'、'.join(ContactRelation.labels)}")
    return relation


_RESIDENCE_TYPES = _lookup(
    {
        **{label: value for value, label in ResidenceType.choices},
        **{value: value for value in ResidenceType.values},
        **dict.fromkeys(
            ("户籍人口", "户籍居民", "本地户籍", "户籍户", "人户一致", "户在人不在", "本地户口"),
            ResidenceType.REGISTERED,
        ),
        **dict.fromkeys(("常住人口", "常住居民", "常住户", "人在户不在", "寄住"), ResidenceType.PERMANENT),
        **dict.fromkeys(("流动人口", "外来人口", "暂住", "暂住人口", "流入人口", "外来务工"), ResidenceType.MIGRANT),
        **dict.fromkeys(("租住", "租赁", "出租", "租房", "租户", "承租", "租住户", "公租房"), ResidenceType.TENANT),
    }
)


@lru_cache(maxsize=256)
def parse_residence_type(text: str) -> str:
    kind = _RESIDENCE_TYPES.get(fold(text).lower())
    if kind is None:
        raise CellError(f"居住类型“{text}”无法识别，可填：{'、'.join(ResidenceType.labels)}")
    return kind


# --------------------------------------------------------------------------- tags

_TAG_SPLIT = re.compile(r"[、，,;；/\\|\s]+")
_NO_TAGS = {"无", "没有", "-", "--", "/", "否", "none", "null"}


def split_tags(text: str) -> list[str]:
    """Several care groups in one cell: 独居老人、低保户 / 独居老人,低保户 / 独居老人 低保户 ..."""
    if fold(text).lower() in _NO_TAGS:
        return []
    return [part for part in _TAG_SPLIT.split(unicodedata.normalize("NFKC", text)) if part]


# Names ledgers use for the default tags; a key only counts when its tag exists.
_TAG_ALIASES = {
    "party_member": ("中共党员", "共产党员", "党员"),
    "veteran": ("退伍军人", "复员军人", "转业军人", "退役军人"),
    "disabled": ("残疾", "残疾人员", "残障人士", "残障", "持证残疾人"),
    "mental_disorder": ("精神病人", "精神病患者", "严重精神障碍患者", "精神障碍", "精神病", "精神残疾"),
    "dibao": ("低保", "低保人员", "低保对象", "城市低保", "低保家庭"),
    "low_income": ("低收入", "低收入家庭", "低收入人员"),
    "living_alone": ("独居", "独居老年人"),
    "empty_nest": ("空巢", "空巢老年人"),
    "left_behind_child": ("留守",),
    "hardship": ("困难户", "困难家庭", "困难群众", "困难人员"),
    "elderly60": ("60岁以上", "60周岁以上老人", "60岁以上老年人", "老年人", "高龄老人"),
}
_TAG_SUFFIXES = ("人员", "患者", "家庭", "户", "人")


class TagMatcher:
    """Finds a tag by what a ledger calls it: its name, its name without the 户/人员/患者
    ending (低保 for 低保户), a common alias (中共党员 for 党员) or its code."""

    def __init__(self, tags: Iterable[tuple[int, str, str]]):
        """`tags`: (pk, code, name) of the tags that may be assigned."""
        exact: dict[str, int] = {}
        loose: dict[str, int] = {}
        self.names: list[str] = []
        for pk, code, name in tags:
            self.names.append(name)
            exact[fold(name).lower()] = pk
            loose.setdefault(fold(code).lower(), pk)
            for suffix in _TAG_SUFFIXES:
                if name.endswith(suffix) and len(name) > len(suffix) + 1:
                    loose.setdefault(fold(name[: -len(suffix)]).lower(), pk)
            for alias in _TAG_ALIASES.get(code, ()):
                loose.setdefault(fold(alias).lower(), pk)
        self._map = {**loose, **exact}  # a tag's own name beats another tag's alias
        self._cache: dict[str, tuple[int, ...]] = {}

    def _one(self, word: str) -> int | None:
        key = fold(word).lower()
        pk = self._map.get(key)
        if pk is None:
            for suffix in _TAG_SUFFIXES:  # 低保户 written for a tag named 低保
                if key.endswith(suffix) and key[: -len(suffix)] in self._map:
                    return self._map[key[: -len(suffix)]]
        return pk

    def match(self, text: str) -> tuple[int, ...]:
        """Tag pks for a cell, in the cell's order without repeats; CellError for an unknown name."""
        found = self._cache.get(text)
        if found is not None:
            return found
        pks: list[int] = []
        unknown: list[str] = []
        for word in split_tags(text):
            pk = self._one(word)
            if pk is None:
                unknown.append(word)
            elif pk not in pks:
                pks.append(pk)
        if unknown:
            names = "、".join(f"“{w}”" for w in unknown)
            raise CellError(f"人员类别{names}不存在，可填：{'、'.join(self.names)}")
        found = self._cache[text] = tuple(pks)
        return found
