"""Type-ahead search: name, full pinyin, initials, last 4 digits of phone/ID, or address.

Every branch is a prefix or equality match on an indexed column, so the search stays
fast at city scale; scope is applied by the caller (restrict) before this narrows.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import Q
from pypinyin import Style, lazy_pinyin

from linli.areas.addresses import parse_address

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN = re.compile(r"^[a-z]+$")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().lower().replace(" ", "")


def name_keys(name: str) -> tuple[str, str]:
    """(full pinyin, initials) for a Chinese name: 张三 -> ("zhangsan", "zs")."""
    clean = normalize(name)
    syllables = lazy_pinyin(clean, style=Style.NORMAL, errors="ignore", v_to_u=False)
    full = "".join(syllables).replace("ü", "v")
    initials = "".join(s[0] for s in syllables if s)
    return full[:128], initials[:32]


def search_q(text: str) -> Q | None:
    """The filter for a search box entry; None for an empty entry."""
    q = normalize(text)
    if not q:
        return None
    if q.isdigit() and len(q) == 4:
        return Q(phone_last4=q) | Q(id_last4=q)
    if q.isdigit() and len(q) == 11:
        return Q(phone=q)
    address = parse_address(q)
    if address is not None:
        return address.as_resident_q()
    if _CJK.search(q):
        return Q(name__startswith=q)
    if _LATIN.match(q):
        return Q(name_initials__startswith=q) | Q(name_pinyin__startswith=q)
    if re.fullmatch(r"[0-9x]{5,18}", q):
        # Part of an ID number: only the last 4 digits are searchable without decrypting.
        return Q(id_last4=q[-4:].upper())
    return Q(name__startswith=q)


def search_order(text: str) -> tuple[str, ...]:
    """Result order that follows the index the search uses, so a LIMIT stops early."""
    q = normalize(text)
    if _CJK.search(q) and parse_address(q) is None:
        return ("name", "id")
    return ("name_pinyin", "id")
