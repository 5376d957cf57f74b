"""Addresses as residents write them: 3栋2单元502, 3号楼2-502, 三栋502."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db.models import Q

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
    if text.isdigit():
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
