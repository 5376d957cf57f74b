"""Addresses as residents write them: 3栋2单元502, 3号楼2-502, 三栋502."""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass, replace

from django.db.models import Q

from linli.areas.models import Building, Household

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def chinese_number(text: str) -> int | None:
    """'3', '三', '十二', '二十三' -> int; None when it is not a number."""
    if text.isdecimal():  # not isdigit(): '²' is a digit that int() refuses
        return int(text)
    if not text or any(c not in _CN_DIGITS and c not in "十百" for c in text):
        return None
    total, current = 0, 0
    for char in text:
        if char == "百":
            total += (current or 1) * 100
            current = 0
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = current * 10 + _CN_DIGITS[char] if current else _CN_DIGITS[char]
    return total + current


_NUM = r"(\d+|[零〇一二两三四五六七八九十百]+)"
_BUILDING = rf"{_NUM}\s*(?:栋|号楼|幢|号|座)"
_ADDRESS = re.compile(rf"^{_BUILDING}(?:\s*{_NUM}\s*(?:单元|-|－))?(?:\s*(\d+)\s*(?:室|号)?)?$")


@dataclass(frozen=True)
class Address:
    building: int
    entrance: int | None = None
    room: str | None = None

    def as_resident_q(self, prefix: str = "") -> Q:
        q = Q(**{f"{prefix}building__number": self.building})
        if self.entrance is not None:
            q &= Q(**{f"{prefix}household__entrance": self.entrance})
        if self.room is not None:
            q &= Q(**{f"{prefix}household__room": self.room})
        return q


def parse_building_number(text: str) -> int | None:
    """'3栋', '3号楼', '三栋', '3幢', '3' -> 3."""
    text = (text or "").strip()
    m = re.fullmatch(rf"{_NUM}\s*(?:栋|号楼|幢|号|座)?", text)
    return chinese_number(m.group(1)) if m else None


def parse_address(text: str) -> Address | None:
    m = _ADDRESS.match((text or "").strip())
    if not m:
        return None
    building = chinese_number(m.group(1))
    entrance = chinese_number(m.group(2)) if m.group(2) else None
    if building is None:
        return None
    return Address(building=building, entrance=entrance, room=m.group(3))


# --------------------------------------------------------------------------- free addresses
#
# One matcher for every free address Linli reads: 12345 hotline rows, Open311 address_string, the
# staff intake's address and room boxes, residents' tracking pages. Text is folded (full-width to
# half-width, dashes to "-"), then the LAST building it names wins ("3栋旁边的5栋2单元" is building 5):
#
#   3栋 / 3号楼 / 3幢 / 3座 / 三栋 / 十二栋     a number and a building word ("88号" alone is a street number)
#   3号2单元502                                 "号" is a building word only when an entrance follows
#   3-2-502                                     building-entrance-room
#   综合楼, A座, 青山苑1栋                        a building name of the index that is not just a number
#
# followed by an optional entrance (2单元, 2门, 2-), floor (3楼, 3层) and room (502, 502室). A compound
# (Building.compound, 青和居) or community name written before the building narrows the choice: in a
# community with several compounds "青山苑1栋" is the building named 1栋 of 青山苑, whatever its number.

_CN = "零〇一二两三四五六七八九十百"
_N = rf"(?:\d+|[{_CN}]+)"
# 两 is left out of building numbers: "两栋楼之间" is two buildings, not building 2.
_BN = r"(?:\d+|[零〇一二三四五六七八九十百]+)"
_BUILDING_WORD = re.compile(
    rf"(?<![\d{_CN}])(?P<number>{_BN})\s*(?:号楼|号院楼|栋|幢|座|号(?=\s*{_N}\s*(?:单元|门洞)))"
)
_CODE = re.compile(r"(?<![\d-])(\d{1,3})\s*-\s*(\d{1,2})\s*-\s*(\d{1,4})(?![\d-])\s*(?:室|号|房)?")


def _tail(room_digits: str) -> re.Pattern:
    return re.compile(
        rf"\s*(?:(?:第\s*)?(?P<entrance>{_N})\s*(?:单元|门洞|门(?![口前外])|-))?"
        rf"\s*(?:(?P<floor>{_N})\s*(?:楼|层)(?![道梯顶]))?"
        rf"\s*(?:(?P<room>\d{{{room_digits}}})(?!\d)\s*(?:室|号|房|户)?)?"
    )


#: after a building in free text: a room has 3-4 digits ("3栋2单元 30户" is not room 30)
_TAIL = _tail("3,4")
#: a room box next to a chosen building: "2单元502", "2-502", "502", "12"
_ROOM_BOX = _tail("1,5")
_DASHES = str.maketrans({"－": "-", "—": "-", "–": "-", "‐": "-", "‑": "-", "―": "-"})
_SPACES = re.compile(r"\s+")
_NOISE = re.compile(r"[\s,，.。;；:：()（）\[\]【】\-_/、]+")


def fold_address(text: str) -> str:
    """Full-width to half-width, dashes to "-", runs of spaces to one, letters upper-case."""
    text = unicodedata.normalize("NFKC", text or "").translate(_DASHES)
    return _SPACES.sub(" ", text).strip().upper()


class Confidence(enum.IntEnum):
    """How far an address got: nothing, its building, or its household (room)."""

    NONE = 0
    BUILDING = 1
    HOUSEHOLD = 2


@dataclass(frozen=True)
class AddressMatch:
    """What a free address names. `why` says in Chinese what was (not) found, for warnings and errors;
    `exact` is true when the text is nothing but the address (no "门口路灯" beside it)."""

    building: Building | None = None
    household: Household | None = None
    number: int | None = None  # the building number as written, found or not
    entrance: int | None = None
    floor: int | None = None
    room: str | None = None
    confidence: Confidence = Confidence.NONE
    why: str = "地址里没有可识别的楼栋"
    exact: bool = False


@dataclass(frozen=True)
class _Mention:
    start: int
    end: int
    number: int | None = None
    named: tuple = ()  # buildings named by a non-number name
    tail: re.Match | None = None
    code: tuple | None = None  # (entrance, room) of a 3-2-502


def _label(building: Building) -> int | None:
    """The number a building is called by inside its compound: 青山苑1栋 / 1栋 / 1号楼 -> 1."""
    name = fold_address(building.name)
    compound = fold_address(building.compound)
    if compound:
        name = name.removeprefix(compound).strip()
    return parse_building_number(name)


class BuildingIndex:
    """The buildings an address may name (one community's, or a user's scope), looked up without a
    query per address. Rooms are read on demand, one query per building and room, or all at once
    with `with_rooms=True` (the hotline import matches hundreds of rows against one index)."""

    def __init__(self, buildings, *, with_rooms: bool = False, where: str = "本社区"):
        self.buildings = list(buildings)
        self.where = where
        self.by_number: dict[int, list[Building]] = {}
        self.by_label: dict[tuple[str, int], list[Building]] = {}
        self.by_name: dict[str, list[Building]] = {}
        for b in self.buildings:
            self.by_number.setdefault(b.number, []).append(b)
            label = _label(b)
            if label is not None:
                self.by_label.setdefault((fold_address(b.compound), label), []).append(b)
                self.by_label.setdefault(("*", label), []).append(b)
            else:
                self.by_name.setdefault(fold_address(b.name), []).append(b)
        self._names = self._pattern(self.by_name)
        compounds = {fold_address(b.compound) for b in self.buildings} - {""}
        self._compounds = self._pattern(compounds)
        communities = {b.community_id for b in self.buildings}
        self._community_names: dict[str, int] = {}
        if len(communities) > 1:
            for b in self.buildings:
                self._community_names[fold_address(b.community.name)] = b.community_id
        self._communities = self._pattern(self._community_names)
        self._rooms: dict[tuple[int, str], list[Household]] | None = None
        self._asked: dict[tuple[int, str], list[Household]] = {}
        if with_rooms:
            by_pk = {b.pk: b for b in self.buildings}
            self._rooms = {}
            for h in Household.objects.filter(building__in=list(by_pk)).order_by("entrance", "room"):
                h.building = by_pk[h.building_id]
                self._rooms.setdefault((h.building_id, h.room), []).append(h)

    @classmethod
    def of(cls, community, *, with_rooms: bool = False) -> BuildingIndex:
        """One community's buildings (one query, two with its rooms)."""
        buildings = list(Building.objects.filter(community=community).select_related("grid"))
        for b in buildings:
            b.community = community
        return cls(buildings, with_rooms=with_rooms)

    @staticmethod
    def _pattern(names) -> re.Pattern | None:
        names = sorted({n for n in names if n}, key=len, reverse=True)
        if not names:
            return None
        # A name starting with a digit must not continue a longer number: "1号院" is not in "11号院".
        return re.compile(rf"(?<![\d{_CN}])(?:{'|'.join(map(re.escape, names))})")

    def rooms(self, building: Building, room: str) -> list[Household]:
        if self._rooms is not None:
            return self._rooms.get((building.pk, room), [])
        key = (building.pk, room)
        if key not in self._asked:
            found = list(Household.objects.filter(building=building, room=room).order_by("entrance"))
            for h in found:
                h.building = building
            self._asked[key] = found
        return self._asked[key]

    # -- matching ----------------------------------------------------------------------------------

    def match(self, text: str, *, within: Building | None = None) -> AddressMatch:
        """The building (and household) `text` names; with `within`, `text` is a room of that building
        ("2单元502", "502", or a whole address that must name that building)."""
        folded = fold_address(text)
        if not folded:
            return AddressMatch(why="地址是空的")
        mention = self._last_mention(folded)
        if within is not None and mention is None:
            tail = _ROOM_BOX.fullmatch(folded)
            if tail is None or tail.group("room") is None:
                return AddressMatch(why=f"看不懂户室“{text}”，请写成 2单元502 的样子。")
            return self._with_room(within, within.number, tail, folded, (0, len(folded)))
        if mention is None:
            return AddressMatch()
        hits, why = self._resolve(folded, mention)
        if within is not None:
            if within not in hits:
                return AddressMatch(number=mention.number, why=f"户室“{text}”不在所选的{within.name}。")
            hits = [within]
        if len(hits) != 1:
            return AddressMatch(number=mention.number, why=why)
        span = (mention.start, mention.end)
        if mention.code is not None:
            entrance, room = mention.code
            found = self._household(hits[0], mention.number, entrance, None, room, folded, span)
        else:
            found = self._with_room(hits[0], mention.number, mention.tail, folded, span)
        if within is not None and found.room is None:
            found = replace(found, why=f"看不懂户室“{text}”，请写成 2单元502 的样子。")
        return found

    def _last_mention(self, folded: str) -> _Mention | None:
        found: list[_Mention] = []
        for m in _BUILDING_WORD.finditer(folded):
            number = chinese_number(m.group("number"))
            if number:
                found.append(_Mention(m.start(), m.end(), number=number))
        for m in _CODE.finditer(folded):
            if int(m.group(1)) and int(m.group(2)):
                found.append(_Mention(m.start(), m.end(), number=int(m.group(1)), code=(int(m.group(2)), m.group(3))))
        if self._names is not None:
            for m in self._names.finditer(folded):
                found.append(_Mention(m.start(), m.end(), named=tuple(self.by_name[m.group()])))
        if not found:
            return None
        # The last building named wins; of two ending together the longer (青山苑1栋 over 1栋).
        last = max(found, key=lambda x: (x.end, x.end - x.start, bool(x.named)))
        if last.code is None:
            tail = _TAIL.match(folded, last.end)
            last = _Mention(last.start, tail.end(), last.number, last.named, tail=tail)
        return last

    def _before(self, pattern: re.Pattern | None, folded: str, start: int) -> tuple[str, int] | None:
        """The last of `pattern`'s names written before `start` (a compound or a community), and where."""
        if pattern is None:
            return None
        last = None
        for m in pattern.finditer(folded, 0, start):
            last = (m.group(), m.start())
        return last

    def _resolve(self, folded: str, mention: _Mention) -> tuple[list[Building], str]:
        pool_filter = None
        community = self._before(self._communities, folded, mention.start)
        if community is not None:
            pool_filter = self._community_names[community[0]]
        compound = self._before(self._compounds, folded, mention.start)
        c = compound[0] if compound else ""

        def keep(buildings):
            return [b for b in buildings if pool_filter is None or b.community_id == pool_filter]

        if mention.named:
            hits = keep(mention.named)
            if c and len(hits) > 1:
                hits = [b for b in hits if fold_address(b.compound) == c] or hits
            return hits, self._ambiguous(hits, mention.named[0].name)
        n = mention.number
        written = f"{c}{n}栋"
        if c:
            hits = keep(self.by_label.get((c, n), []))
            if not hits:
                numbered = keep(self.by_number.get(n, []))
                hits = [b for b in numbered if fold_address(b.compound) in ("", c)]
                if numbered and not hits:
                    return [], f"{c}没有{n}栋（{numbered[0].name}在{numbered[0].compound}）"
        else:
            hits = keep(self.by_number.get(n, [])) or keep(self.by_label.get(("*", n), []))
        if not hits:
            return [], f"{written}不在{self.where}"
        return hits, self._ambiguous(hits, written)

    @staticmethod
    def _ambiguous(hits: list[Building], written: str) -> str:
        if len(hits) <= 1:
            return ""
        places = "、".join(sorted({f"{b.community.name}{b.compound}" for b in hits}))
        return f"有不止一栋{written}（{places}），请写明社区或小区"

    def _with_room(self, building, number, tail, folded, span) -> AddressMatch:
        room = tail.group("room") if tail is not None else None
        entrance = chinese_number(tail.group("entrance")) if tail is not None and tail.group("entrance") else None
        floor = chinese_number(tail.group("floor")) if tail is not None and tail.group("floor") else None
        return self._household(building, number, entrance or None, floor, room, folded, span)

    def _household(self, building, number, entrance, floor, room, folded, span) -> AddressMatch:
        rest = folded[: span[0]] + folded[span[1] :]
        for pattern in (self._communities, self._compounds):
            if pattern is not None:
                rest = pattern.sub("", rest)
        exact = not _NOISE.sub("", rest)
        room = room.lstrip("0") or None if room else None
        if room and floor is None and len(room) >= 3:
            floor = int(room[:-2])
        base = {"number": number, "entrance": entrance, "floor": floor, "room": room, "exact": exact}
        if room is None:
            return AddressMatch(building=building, confidence=Confidence.BUILDING, why="", **base)
        rooms = self.rooms(building, room)
        if entrance is not None:
            rooms = [h for h in rooms if h.entrance == entrance]
        if len(rooms) == 1:
            return AddressMatch(building=building, household=rooms[0], confidence=Confidence.HOUSEHOLD, why="", **base)
        if rooms:
            why = f"{building.name}有不止一个{room}，请写明单元，如 2单元{room}。"
        else:
            why = f"{building.name}没有户室{f'{entrance}单元' if entrance else ''}{room}。"
        return AddressMatch(building=building, confidence=Confidence.BUILDING, why=why, **base)


def match_address(text: str, place, *, within: Building | None = None) -> AddressMatch:
    """The building and household a free address names in `place`: a Community (one query for its
    buildings, one for the room) or a BuildingIndex built once for many addresses. Never raises on
    bad input: empty, garbage or very long text gives a match with no building and a reason in `why`."""
    index = place if isinstance(place, BuildingIndex) else BuildingIndex.of(place)
    return index.match(text, within=within)


def match_room(building: Building, text: str) -> AddressMatch:
    """A room typed next to a chosen building: "2单元502", "2-502", "502" (if one entrance has it),
    "1栋2单元502" (must be that building). One query."""
    return BuildingIndex([building]).match(text, within=building)
