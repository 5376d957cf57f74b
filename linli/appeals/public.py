"""结果公开: what the public page may say about a solved appeal, and nothing more.

The page shows one line per appeal. It is the appeal's `public_summary` when the handler wrote one,
else a neutral "<类别>问题（已解决）"; either way it goes through `anonymise`, which removes

- phone numbers and ID numbers: any run of 7 or more digits, with spaces, dashes, dots or brackets
  between them (also Chinese numerals 一三八…, and full-width digits);
- room and address fragments: 3栋2单元502 → 3栋, 5号楼301 → 5号楼, 502室 / 2单元502 / 3-2-502 → 某户,
  and bare 3–4 digit numbers that are not a quantity (2025年, 300米 stay);
- the names of the reporter and of the residents of the appeal's building, also as 王阿姨 / 李师傅.

It errs on the side of removing too much: the page is public.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

NAME_MASK = "某居民"
ROOM_MASK = "某户"
PHONE_MASK = "＊＊＊"

_NUM = r"(?:\d+|[一二三四五六七八九十两〇零]+)"
_SEP = r"[\s\-－—–_#＃/、,，.]*"
#: a run of digits with separators in between; replaced when it holds 7 or more digits
_DIGIT_RUN = re.compile(r"\d(?:[\s\-－—–_.·・/\\()（）+]*\d)+[Xx]?")
_CN_DIGIT_RUN = re.compile(r"[〇零一二三四五六七八九幺](?:[\s\-－—–]*[〇零一二三四五六七八九幺]){6,}")
#: a building, and whatever entrance/floor/room numbers follow it (kept: the building only)
_BUILDING = re.compile(
    rf"(?<!单元)(?<![楼层\d\-－—–])(?P<b>{_NUM}\s*(?:号楼|栋|幢|座|号院))(?P<rest>(?:{_SEP}{_NUM}\s*(?:单元|层|楼(?=\s*\d)|室|号房|号|房间|房|户)?)*)"
)
#: room numbers after a building word whose own number was already masked away (…0000号楼502 → …号楼)
_AFTER_BUILDING = re.compile(
    rf"(?P<b>号楼|栋|幢|座|号院)(?:{_SEP}{_NUM}\s*(?:单元|层|楼(?=\s*\d)|室|号房|号|房间|房|户)?)+"
)
_ENTRANCE_ROOM = re.compile(
    rf"{_NUM}\s*单元(?:{_SEP}{_NUM}\s*(?:层|楼(?=\s*\d)))?(?:{_SEP}{_NUM}\s*(?:室|号房|号|房间|房|户)?)?"
)
_FLOOR_ROOM = re.compile(rf"{_NUM}\s*(?:层|楼){_SEP}{_NUM}\s*(?:室|号房|号|房间|房)?")
_ROOM = re.compile(rf"{_NUM}\s*(?:室|号房|房间)")
#: 3-2-502, and any longer dashed run (a phone glued to a room, 130-0000-00001-1-101, must not leave "-101")
_DASHED = re.compile(r"\d+(?:\s*[-－—–]\s*\d+)+")
_QUANTITY = "年月日天周岁人个位名次米元块辆棵盏家户台部条处间平万千百多余来件项小分秒%％度吨"
_BARE_NUMBER = re.compile(rf"(?<!\d)\d{{3,5}}(?!\d)(?!\s*[{_QUANTITY}])")
HONORIFICS = (
    "阿姨",
    "大爷",
    "大妈",
    "大娘",
    "奶奶",
    "爷爷",
    "婆婆",
    "师傅",
    "老师",
    "先生",
    "女士",
    "小姐",
    "大姐",
    "大哥",
    "老人",
    "老太",
    "老汉",
    "叔叔",
    "姐",
    "哥",
    "叔",
    "姨",
    "伯",
)


#: full-width digits and letters (１３８…) read as ASCII; Chinese punctuation stays as written
_WIDE = {cp: cp - 0xFEE0 for cp in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))}
_WIDE[0x3000] = 0x20


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").translate(_WIDE)


def _mask_digit_run(match: re.Match) -> str:
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE_MASK if digits >= 7 else match.group(0)


def remove_phones(text: str) -> str:
    text = _DIGIT_RUN.sub(_mask_digit_run, text)
    return _CN_DIGIT_RUN.sub(PHONE_MASK, text)


def remove_rooms(text: str) -> str:
    text = _BUILDING.sub(lambda m: m.group("b"), text)
    for pattern in (_ENTRANCE_ROOM, _FLOOR_ROOM, _ROOM, _DASHED):
        text = pattern.sub(ROOM_MASK, text)
    return _AFTER_BUILDING.sub(lambda m: m.group("b"), text)


def remove_bare_numbers(text: str) -> str:
    """3-5 digit numbers that are not a quantity (2025年, 300米 stay): after phones, so a phone written with
    spaces (130 0000 0101) is masked whole rather than cut into "rooms"."""
    return _BARE_NUMBER.sub(ROOM_MASK, text)


def _clean_names(names: Iterable[str]) -> list[str]:
    out = set()
    for name in names:
        name = "".join(_normal(name).split())
        if len(name) >= 2:
            out.add(name)
    return sorted(out, key=len, reverse=True)


def remove_names(text: str, names: Iterable[str]) -> str:
    names = _clean_names(names)
    if not names:
        return text
    surnames = sorted({n[0] for n in names if not n[0].isascii()})
    patterns = [re.escape(n) for n in names]
    if surnames:
        patterns.append(f"[{''.join(re.escape(s) for s in surnames)}](?:{'|'.join(HONORIFICS)})")
    pattern = re.compile("|".join(patterns))
    for _ in range(5):
        new = pattern.sub(NAME_MASK, text)
        if new == text:
            break
        text = new
    # A mask next to the text could still spell a name; give up readability rather than privacy.
    for name in names:
        while name in text:
            text = text.replace(name, "＊")
    return text


def anonymise(text: str, names: Iterable[str] = ()) -> str:
    """`text` without phone or ID numbers, room numbers or any of `names` (see the module docstring)."""
    names = list(names)
    text = " ".join(_normal(text).split())
    # Rooms before phones: a phone written right against an address (…56781号楼502) would otherwise take
    # the building's number with it and leave "号楼502" unrecognised.
    text = remove_rooms(text)
    text = remove_phones(text)
    text = remove_bare_numbers(text)
    text = remove_names(text, names)
    text = remove_phones(text)  # removing a name may have joined two digit runs
    return text.strip(" ，,。；;、")


def neutral_summary(category_name: str | None, outcome_label: str) -> str:
    name = (category_name or "其他").removesuffix("问题")
    return f"{name}问题（{outcome_label}）"


def public_line(appeal, names: Iterable[str]) -> str:
    """The one line the public page shows for `appeal`."""
    fallback = neutral_summary(appeal.category.name if appeal.category_id else None, appeal.get_outcome_display())
    names = [*names, appeal.reporter_name]
    if appeal.reporter_id:
        names.append(appeal.reporter.name)
    line = anonymise(appeal.public_summary or fallback, names)
    return line or anonymise(fallback, names) or "诉求已办结"
