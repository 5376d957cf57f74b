"""The anonymiser: text a public page or feed may show, with what identifies a person taken out.

`anonymise(text, names)` removes

- phone numbers and ID numbers: any run of 7 or more digits in any form — ASCII, full-width １３９, Chinese
  一三九 / 壹叁玖 / 〇 / ○ / 幺, circled ①③⑨ and ⑩, parenthesised ⑴, dotted ⒈, superscripts, other scripts'
  digits — mixed freely, with spaces, dashes, dots, slashes or brackets between them;
- e-mail addresses (also with a full-width ＠ or spaces around the @);
- room and address fragments: 3栋2单元502 → 3栋, 5号楼301 → 5号楼, 502室 / 2单元502 / 3-2-502 → 某户,
  and bare 3–5 digit numbers that are not a quantity (2025年, 300米 stay);
- names: every one of `names` (a prepared `Names`, e.g. a community's registry from
  linli.residents.names.CommunityNames, or any list), also as 王阿姨 / 李师傅, also when written with spaces
  between the characters.

It errs on the side of removing too much: its output is public. Pure text functions, no database: the
appeals' public results, Open311 and the micro-wishes board all call it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

NAME_MASK = "某居民"
ROOM_MASK = "某户"
PHONE_MASK = "＊＊＊"
EMAIL_MASK = "某邮箱"

#: Chinese numerals a phone may be written in (〇 and the white circle ○ both serve as zero; 幺 is 1 when read
#: aloud); 十, 百 and 两 are left out: they count, they do not spell digits.
CN_DIGITS = "〇○零一二三四五六七八九幺壹贰貳叁參叄肆伍陆陸柒捌玖"
CN_DIGIT_VALUES = {
    ch: str(v)
    for v, chars in enumerate(
        ("〇○零", "一幺壹", "二贰貳", "三叁參叄", "四肆", "五伍", "六陆陸", "七柒", "八捌", "九玖")
    )
    for ch in chars
}
_D = rf"[0-9{CN_DIGITS}]"
_NUM = rf"(?:\d+|[{CN_DIGITS}十两]+)"
_SEP = r"[\s\-－—–_#＃/、,，.]*"
#: between the digits of a phone: what people type to make it readable, or to slip it past a filter
_PHONE_SEP = r"[\s\-－—–‐‑‒―_.．·・•/\\()（）\[\]【】+＋、,，:：~～|*＊'’\"“”]"
#: a run of digits with separators in between; replaced when it holds 7 or more digits
_DIGIT_RUN = re.compile(rf"{_D}(?:{_PHONE_SEP}*{_D})+[XxＸｘ]?")
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-＿．＋－％]+\s*[@＠]\s*[A-Za-z0-9\-－]+(?:\s*[.．。]\s*[A-Za-z0-9\-－]+)*\s*[.．。]\s*[A-Za-z]{2,}"
)
#: what follows a number that is a date or a time, not a room (1栋12月7日停水, 3栋8:00起). Quantities are not
#: spared: "1号楼101元" must not keep the room (test_the_anonymiser_never_lets_a_name_phone_or_room_through).
_NOT_A_ROOM = "月日时点:："
#: a number after a building that is not itself the next building of a list (1栋、2栋 keeps both buildings), nor a
#: date or a time
_NEXT_NUM = rf"{_NUM}(?![\d{CN_DIGITS}十两])(?!\s*(?:号楼|栋|幢|座|号院))(?!\s*[{_NOT_A_ROOM}])"
#: a building, and whatever entrance/floor/room numbers follow it (kept: the building only)
_BUILDING = re.compile(
    rf"(?<!单元)(?<![楼层\d\-－—–])(?P<b>{_NUM}\s*(?:号楼|栋|幢|座|号院))(?P<rest>(?:{_SEP}{_NEXT_NUM}\s*(?:单元|层|楼(?=\s*\d)|室|号房|号|房间|房|户)?)*)"
)
#: room numbers after a building, entrance or floor word whose own number a phone run already took
#: (…0000号楼502 → …号楼, 130000000001单元101 → …单元). A 号 followed by 楼 is the next building word, not a
#: room's suffix: 层1号楼101 must keep "号楼" for its "101" to be found.
_AFTER_BUILDING = re.compile(
    rf"(?P<b>号楼|栋|幢|座|号院|单元|层)(?:{_SEP}{_NEXT_NUM}\s*(?:单元|层|楼(?=\s*\d)|室|号房|号(?!楼)|房间|房|户)?)+"
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
_CN_BARE_NUMBER = re.compile(rf"(?<![{CN_DIGITS}])[{CN_DIGITS}]{{3,5}}(?![{CN_DIGITS}十百千万])(?!\s*[{_QUANTITY}])")
#: spaces between two Chinese characters (王 五) hide nothing from a reader, so they must hide nothing here
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff])\s+(?=[\u3400-\u9fff])")
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
_HONORIFIC_LENGTHS = sorted({len(h) for h in HONORIFICS}, reverse=True)
_HONORIFIC_SET = frozenset(HONORIFICS)


class _Fold(dict):
    """str.translate table: every non-ASCII digit form read as ASCII digits, computed once per character.

    Full-width digits and letters (１３８, ａ) read as ASCII; circled, parenthesised, dotted, superscript,
    mathematical and other scripts' digits (①, ⑴, ⒈, ¹, 𝟏, ٣) as their digit; numbered signs of ten and more
    (⑩, ⒇, ㉑) as their number. Chinese punctuation and Chinese numerals stay as written (they are words).
    """

    def __missing__(self, cp: int):
        ch = chr(cp)
        out = ch  # unchanged (None would delete the character)
        if cp < 128:
            pass
        elif 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
            out = chr(cp - 0xFEE0)
        elif cp == 0x3000:
            out = " "
        elif cp == 0xFF20:
            out = "@"
        elif (digit := unicodedata.digit(ch, None)) is not None:
            out = str(digit)
        elif unicodedata.category(ch) == "No" and not ("\u3400" <= ch <= "\u9fff"):
            value = unicodedata.numeric(ch, None)
            if value is not None and value == int(value) and value >= 0:
                out = str(int(value))
        self[cp] = out
        return out


_FOLD = _Fold()


def normalise(text: str) -> str:
    """`text` as the anonymiser reads it: NFC, and every full-width letter and non-ASCII digit form (①, １, ⑴, ¹)
    as ASCII; Chinese numerals and punctuation stay as written."""
    return unicodedata.normalize("NFC", text or "").translate(_FOLD)


def ascii_digits(text: str) -> str:
    """`text` with every digit form (including Chinese numerals) written as ASCII digits: what a reader sees."""
    return "".join(CN_DIGIT_VALUES.get(ch, ch) for ch in normalise(text))


def _mask_digit_run(match: re.Match) -> str:
    digits = sum(ch.isdigit() or ch in CN_DIGIT_VALUES for ch in match.group(0))
    return PHONE_MASK if digits >= 7 else match.group(0)


def remove_phones(text: str) -> str:
    return _DIGIT_RUN.sub(_mask_digit_run, text)


def remove_emails(text: str) -> str:
    return _EMAIL.sub(EMAIL_MASK, text)


def remove_rooms(text: str) -> str:
    text = _BUILDING.sub(lambda m: m.group("b"), text)
    for pattern in (_ENTRANCE_ROOM, _FLOOR_ROOM, _ROOM, _DASHED):
        text = pattern.sub(ROOM_MASK, text)
    return _AFTER_BUILDING.sub(lambda m: m.group("b"), text)


def remove_bare_numbers(text: str) -> str:
    """3-5 digit numbers that are not a quantity (2025年, 300米 stay): after phones, so a phone written with
    spaces (130 0000 0101) is masked whole rather than cut into "rooms"."""
    text = _BARE_NUMBER.sub(ROOM_MASK, text)
    return _CN_BARE_NUMBER.sub(ROOM_MASK, text)


class Names:
    """A set of names to mask, matched greedily longest first in one left-to-right scan.

    A set lookup per position and name length (names are 2 to ~10 characters) instead of a regex alternation of
    thousands of names: a community's registry of 10,000 residents costs the same per character as 10 names.
    Build it once per community and page (linli.residents.names.CommunityNames), then call `mask` for every
    line; `registry | [a few names]` adds an appeal's reporter without copying the registry.
    """

    def __init__(self, names: Iterable[str] = ()):
        cleaned = set()
        for name in names:
            name = "".join(normalise(name).split())
            if len(name) >= 2:
                cleaned.add(name)
        self._sets: tuple[frozenset, ...] = (frozenset(cleaned),) if cleaned else ()
        self.lengths = sorted({len(n) for n in cleaned}, reverse=True)
        self.surnames = frozenset(n[0] for n in cleaned if not n[0].isascii())

    @property
    def names(self) -> frozenset:
        return frozenset().union(*self._sets)

    def __bool__(self) -> bool:
        return bool(self._sets)

    def __contains__(self, name: str) -> bool:
        return any(name in names for names in self._sets)

    def __or__(self, other: Iterable[str]) -> Names:
        extra = other if isinstance(other, Names) else Names(other)
        if not extra:
            return self
        if not self:
            return extra
        merged = Names()
        merged._sets = self._sets + extra._sets
        merged.lengths = sorted({*self.lengths, *extra.lengths}, reverse=True)
        merged.surnames = self.surnames | extra.surnames
        return merged

    def _match(self, text: str, at: int) -> int:
        """Length of the name (or surname + honorific) starting at `at`, 0 when none."""
        for length in self.lengths:
            if text[at : at + length] in self:
                return length
        if text[at] in self.surnames:
            for length in _HONORIFIC_LENGTHS:
                if text[at + 1 : at + 1 + length] in _HONORIFIC_SET:
                    return 1 + length
        return 0

    def _scan(self, text: str, mask: str = NAME_MASK) -> str:
        out, at, start = [], 0, 0
        while at < len(text):
            length = self._match(text, at)
            if length:
                out.append(text[start:at])
                out.append(mask)
                at += length
                start = at
            else:
                at += 1
        out.append(text[start:])
        return "".join(out)

    def mask(self, text: str) -> str:
        """`text` with every name replaced. A scan that changes nothing has checked every position for every
        name length, so no name is left; a mask next to the text could spell a new one, hence the repeats."""
        if not self:
            return text
        for _ in range(5):
            new = self._scan(text)
            if new == text:
                return text
            text = new
        # Still finding names after five rounds: give up readability rather than privacy. "＊" is shorter than
        # any name, so every round shortens the text and this ends.
        while (new := self._scan(text, "＊")) != text:
            text = new
        return text


def remove_names(text: str, names: Iterable[str] | Names) -> str:
    index = names if isinstance(names, Names) else Names(names)
    return index.mask(text)


def plain(text: str) -> str:
    """`text` normalised the way `anonymise` normalises it, without removing anything (so a caller can tell
    whether the anonymiser found something: anonymise(t) != plain(t))."""
    return _CJK_GAP.sub("", " ".join(normalise(text).split())).strip(" ，,。；;、")


def anonymise(text: str, names: Iterable[str] | Names = ()) -> str:
    """`text` without phone or ID numbers, e-mail addresses, room numbers or any of `names` (see the module
    docstring). `names` may be a prepared `Names` (a community's registry) or any iterable of names."""
    text = " ".join(normalise(text).split())
    text = _CJK_GAP.sub("", text)
    text = remove_emails(text)
    # Phones before rooms: the room patterns would cut a long run (42010-7 2 00〇0-1 010011) into pieces too short
    # to read as a phone. A phone written right against an address (…56781号楼502) takes the building's number
    # with it; _AFTER_BUILDING then still removes the "502" behind "号楼".
    text = remove_phones(text)
    text = remove_rooms(text)
    text = remove_phones(text)
    text = remove_bare_numbers(text)
    text = remove_names(text, names)
    text = remove_phones(text)  # removing a name may have joined two digit runs
    return text.strip(" ，,。；;、")
