"""Mainland China phone numbers.

Phone numbers arrive in every shape: "138 1234 5678", "+86-138...",
full-width digits from Chinese input methods, "(027)8765-4321 转 123".
They are stored in one canonical form so that they can be encrypted,
blind-indexed and matched; masking and the "last 4 digits" used for
searching by phone both rely on that form.

Canonical forms: mobiles as 11 digits ("13812345678"); landlines as
"<area code>-<number>" ("027-87654321"), with "-<extension>" appended
when there is one ("027-87654321-123").
"""

from __future__ import annotations

__all__ = ["PhoneError", "last4", "mask_phone", "normalize_phone"]

MOBILE_MESSAGE = "手机号码格式不正确，应为11位，以1开头"
LANDLINE_MESSAGE = "电话号码格式不正确"


class PhoneError(ValueError):
    """Raised with a message that can be shown to the user as is."""


_TRANSLATE = str.maketrans(
    {
        # Full-width ASCII (digits, ＋, －, （, ）...) to half-width.
        **{chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)},
        # Dash look-alikes that word processors and IMEs substitute.
        **dict.fromkeys("‐‑‒–—―−", "-"),
        # Brackets only ever surround the area code or country code.
        **dict.fromkeys("()[]（）［］【】〔〕", None),
    }
)


def _is_digits(s: str) -> bool:
    # str.isdigit() alone accepts superscripts and other scripts' digits.
    return bool(s) and s.isascii() and s.isdigit()


def _area_code_length(digits: str) -> int:
    # Beijing (010) and the 02x cities have 3-digit area codes, everyone
    # else 4; 01x other than 010 does not exist.
    if digits.startswith("010") or digits[1:2] == "2":
        return 3
    if digits[1:2] in ("3", "4", "5", "6", "7", "8", "9"):
        return 4
    raise PhoneError(LANDLINE_MESSAGE)


def _normalize_landline(main: str, ext: str) -> str:
    groups = [g for g in main.split("-") if g]
    if not groups or not all(_is_digits(g) for g in groups) or not groups[0].startswith("0"):
        raise PhoneError(LANDLINE_MESSAGE)
    area_len = _area_code_length("".join(groups))
    # Groups are consumed until area code + local number is complete; any
    # group left over is the extension ("027-87654321-123").  This also
    # accepts numbers split for readability ("027-8765-4321").
    acc = ""
    for i, group in enumerate(groups):
        acc += group
        if len(acc) - area_len in (7, 8):
            rest = "".join(groups[i + 1 :])
            break
    else:
        raise PhoneError(LANDLINE_MESSAGE)
    if rest:
        if ext:
            raise PhoneError(LANDLINE_MESSAGE)
        ext = rest
    area, local = acc[:area_len], acc[area_len:]
    if local[0] == "0" or (ext and (not _is_digits(ext) or len(ext) > 6)):
        raise PhoneError(LANDLINE_MESSAGE)
    return f"{area}-{local}-{ext}" if ext else f"{area}-{local}"


def normalize_phone(raw: str) -> str:
    """Canonicalise user input; an empty value is allowed because the phone
    number is optional on most forms."""
    if raw is None:
        return ""
    s = "".join(str(raw).split()).translate(_TRANSLATE)
    if not s.strip("-"):
        return ""
    main, has_ext, ext = s.partition("转")
    if has_ext and not _is_digits(ext):
        raise PhoneError(LANDLINE_MESSAGE)

    international = False
    if main.startswith("+"):
        if not main.startswith("+86"):
            raise PhoneError(LANDLINE_MESSAGE)
        main, international = main[3:].lstrip("-"), True
    elif main.startswith("0086"):
        main, international = main[4:].lstrip("-"), True

    digits = main.replace("-", "")
    if not international and digits.startswith("861") and len(digits) == 13:
        digits, main = digits[2:], digits[2:]
    if international and digits.startswith(("10", "2", "3", "4", "5", "6", "7", "8", "9")):
        # In international format a landline drops the leading 0 of its
        # area code; +86 10 is Beijing, not a mobile.
        main = "0" + main

    if main.startswith("1"):
        if has_ext or len(digits) != 11 or not _is_digits(digits) or digits[1] in "012":
            raise PhoneError(MOBILE_MESSAGE)
        return digits
    return _normalize_landline(main, ext)


def _split(phone: str) -> tuple[str, str] | None:
    """(area code or "", number), or None when the value is not a phone number."""
    try:
        n = normalize_phone(phone)
    except PhoneError:
        return None
    if "-" not in n:
        return "", n
    area, local = n.split("-")[:2]
    return area, local


def mask_phone(phone: str) -> str:
    """Enough to confirm a number with the resident, not enough to call it.

    Values that are not valid numbers (legacy imports) still get masked
    rather than displayed in full.
    """
    if not phone:
        return ""
    parts = _split(phone)
    if parts is None:
        digits = "".join(c for c in str(phone) if c.isascii() and c.isdigit())
        if len(digits) <= 4:
            return "*" * len(digits)
        return "*" * (len(digits) - 4) + digits[-4:]
    area, number = parts
    if not area:
        return number[:3] + "****" + number[-4:]
    return f"{area}-" + "*" * (len(number) - 4) + number[-4:]


def last4(phone: str) -> str:
    """What residents quote to identify themselves and staff search by; the
    extension is skipped because it is not part of the subscriber number."""
    if not phone:
        return ""
    parts = _split(phone)
    if parts is None:
        digits = "".join(c for c in str(phone) if c.isascii() and c.isdigit())
        return digits[-4:]
    return parts[1][-4:]
