"""结果公开: what the public may read about an appeal, and nothing more.

Public text comes only from fields staff write knowing they are public: the appeal's `public_summary`
(公开摘要, what the matter was) and `public_reply` (公开答复, what was done). Never the internal texts
(办理情况, 向居民的说明, 回访内容): those are written for colleagues and the reporter.

Every public text still goes through `anonymise`, a second line of defence, which removes

- phone numbers and ID numbers: any run of 7 or more digits in any form — ASCII, full-width １３９, Chinese
  一三九 / 壹叁玖 / 〇 / ○ / 幺, circled ①③⑨ and ⑩, parenthesised ⑴, dotted ⒈, superscripts, other scripts'
  digits — mixed freely, with spaces, dashes, dots, slashes or brackets between them;
- e-mail addresses (also with a full-width ＠ or spaces around the @);
- room and address fragments: 3栋2单元502 → 3栋, 5号楼301 → 5号楼, 502室 / 2单元502 / 3-2-502 → 某户,
  and bare 3–5 digit numbers that are not a quantity (2025年, 300米 stay);
- names: the reporter's, and every name in the community's resident registry (`CommunityNames`, loaded once
  per community and page), also as 王阿姨 / 李师傅, also when written with spaces between the characters.

It errs on the side of removing too much: the page is public.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import OrderedDict
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
#: a building, and whatever entrance/floor/room numbers follow it (kept: the building only)
_BUILDING = re.compile(
    rf"(?<!单元)(?<![楼层\d\-－—–])(?P<b>{_NUM}\s*(?:号楼|栋|幢|座|号院))(?P<rest>(?:{_SEP}{_NUM}\s*(?:单元|层|楼(?=\s*\d)|室|号房|号|房间|房|户)?)*)"
)
#: room numbers after a building, entrance or floor word whose own number a phone run already took
#: (…0000号楼502 → …号楼, 130000000001单元101 → …单元)
_AFTER_BUILDING = re.compile(
    rf"(?P<b>号楼|栋|幢|座|号院|单元|层)(?:{_SEP}{_NUM}\s*(?:单元|层|楼(?=\s*\d)|室|号房|号|房间|房|户)?)+"
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


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").translate(_FOLD)


def ascii_digits(text: str) -> str:
    """`text` with every digit form (including Chinese numerals) written as ASCII digits: what a reader sees."""
    return "".join(CN_DIGIT_VALUES.get(ch, ch) for ch in _normal(text))


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
    Build it once per community and page (`CommunityNames`), then call `mask` for every line; `registry | [a few
    names]` adds an appeal's reporter without copying the registry.
    """

    def __init__(self, names: Iterable[str] = ()):
        cleaned = set()
        for name in names:
            name = "".join(_normal(name).split())
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
    return _CJK_GAP.sub("", " ".join(_normal(text).split())).strip(" ，,。；;、")


def anonymise(text: str, names: Iterable[str] | Names = ()) -> str:
    """`text` without phone or ID numbers, e-mail addresses, room numbers or any of `names` (see the module
    docstring). `names` may be a prepared `Names` (a community's registry) or any iterable of names."""
    text = " ".join(_normal(text).split())
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


#: Registries kept between requests in this process: community id -> (version, Names). A community's version is
#: its residents' count and latest change, so a new, renamed or deleted resident is seen on the next request.
_REGISTRY_CACHE: OrderedDict[int, tuple[tuple, Names]] = OrderedDict()
REGISTRY_CACHE_SIZE = 32
_REGISTRY_LOCK = threading.Lock()


class CommunityNames:
    """Every registry name of a community (residents of any status: moved out and deceased still have
    neighbours who know them), read once per community for one page or API response, and kept in the process
    while the community's registry is unchanged (one small aggregate query tells)."""

    def __init__(self):
        self._by_community: dict[int, Names] = {}

    def load(self, community_ids: Iterable[int]) -> None:
        from django.db.models import Count, Max

        from linli.residents.models import Resident

        missing = {c for c in community_ids if c and c not in self._by_community}
        if not missing:
            return
        versions = {
            row["community_id"]: (row["n"], row["last"])
            for row in Resident.objects.filter(community_id__in=missing)
            .values("community_id")
            .annotate(n=Count("id"), last=Max("updated_at"))
            .order_by()
        }
        stale = set()
        with _REGISTRY_LOCK:
            for community_id in missing:
                cached = _REGISTRY_CACHE.get(community_id)
                if cached is not None and cached[0] == versions.get(community_id, (0, None)):
                    _REGISTRY_CACHE.move_to_end(community_id)
                    self._by_community[community_id] = cached[1]
                else:
                    stale.add(community_id)
        if not stale:
            return
        found: dict[int, set] = {c: set() for c in stale}
        rows = Resident.objects.filter(community_id__in=stale).values_list("community_id", "name")
        for community_id, name in rows.iterator(chunk_size=5000):
            found[community_id].add(name)
        with _REGISTRY_LOCK:
            for community_id, names in found.items():
                index = self._by_community[community_id] = Names(names)
                _REGISTRY_CACHE[community_id] = (versions.get(community_id, (0, None)), index)
                _REGISTRY_CACHE.move_to_end(community_id)
            while len(_REGISTRY_CACHE) > REGISTRY_CACHE_SIZE:
                _REGISTRY_CACHE.popitem(last=False)

    def __getitem__(self, community_id: int) -> Names:
        if community_id not in self._by_community:
            self.load([community_id])
        return self._by_community.get(community_id) or Names()


def appeal_names(appeal, registry: CommunityNames) -> Names:
    """The names to remove from `appeal`'s public texts: its community's registry and its reporter."""
    extra = [appeal.reporter_name]
    if appeal.reporter_id:
        extra.append(appeal.reporter.name)
    return registry[appeal.community_id] | extra


def neutral_summary(category_name: str | None, outcome_label: str) -> str:
    name = (category_name or "其他").removesuffix("问题")
    return f"{name}问题（{outcome_label}）"


def public_line(appeal, names: Iterable[str] | Names) -> str:
    """The one line the public page shows for `appeal` (its public summary, or a neutral line)."""
    fallback = neutral_summary(appeal.category.name if appeal.category_id else None, appeal.get_outcome_display())
    if not isinstance(names, Names):
        extra = [appeal.reporter_name] + ([appeal.reporter.name] if appeal.reporter_id else [])
        names = Names([*names, *extra])
    line = anonymise(appeal.public_summary or fallback, names)
    return line or anonymise(fallback, names) or "诉求已办结"


def public_reply(appeal, names: Iterable[str] | Names) -> str:
    """The appeal's 公开答复 as the public may read it ("" when staff wrote none)."""
    if not appeal.public_reply:
        return ""
    return anonymise(appeal.public_reply, names if isinstance(names, Names) else Names(names))


def suggest_public_reply(appeal, names: Iterable[str] | Names) -> str:
    """A starting point for the 公开答复 field: the handler's public reply if any, else the anonymised account
    of what was done. Staff read and edit it before it is saved; nothing is published from it unread."""
    if appeal.public_reply:
        return appeal.public_reply
    source = appeal.explanation or appeal.resolution
    return anonymise(source, names)[:PUBLIC_REPLY_LIMIT] if source else ""


#: 公开答复's longest length (Open311 status_notes show it in full)
PUBLIC_REPLY_LIMIT = 300
