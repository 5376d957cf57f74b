"""Chinese resident identity numbers (GB 11643-1999).

Residents' ID numbers are typed in by staff at the front desk, pasted from
spreadsheets and read off old household registers, so the input is messy
(full-width digits from Chinese IMEs, stray spaces, lower-case x, 15-digit
numbers issued before 1999).  Everything that stores or compares ID numbers
goes through :func:`parse_id_number` so that one person always ends up with
one canonical 18-character number; that canonical form is what the blind
index is computed over, so de-duplication depends on it.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from datetime import date

__all__ = [
    "IdCard",
    "IdNumberError",
    "age_on",
    "check_digit",
    "make_id_number",
    "mask_id_number",
    "parse_id_number",
]

# ISO 7064 MOD 11-2: weight of position i (1-based, from the left) is
# 2 ** (18 - i) mod 11; the check character is indexed by the weighted sum.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
_DIGITS = frozenset("0123456789")

# Full-width characters come from Chinese input methods; whitespace includes
# the ideographic space U+3000 that those IMEs insert.
_NORMALISE = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "Ｘ": "X",
        "ｘ": "X",
        "x": "X",
    }
)

# Mainland China has had no daylight saving time since 1991, so a fixed
# offset gives the correct local date without depending on tzdata.
_CHINA_TZ = _dt.timezone(_dt.timedelta(hours=8), "Asia/Shanghai")

_MIN_BIRTH_DATE = date(1900, 1, 1)


class IdNumberError(ValueError):
    """Raised with a message that can be shown to the user as is."""


@dataclass(frozen=True)
class IdCard:
    number: str
    birth_date: date
    sex: str
    region_code: str

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def check_digit(first17: str) -> str:
    """Kept public so demo data and tests build valid numbers the same way."""
    if len(first17) != 17 or not first17.isdigit() or not first17.isascii():
        raise ValueError("first17 must be exactly 17 ASCII digits")
    total = sum(map(int.__mul__, map(int, first17), _WEIGHTS))
    return _CHECK_CHARS[total % 11]


def _normalise(raw: str) -> str:
    # split()/join drops every kind of whitespace, U+3000 included.
    return "".join(raw.split()).translate(_NORMALISE)


def _china_today() -> date:
    return _dt.datetime.now(_CHINA_TZ).date()


def parse_id_number(raw: str, *, today: date | None = None) -> IdCard:
    """Validate and canonicalise an ID number typed or imported by a user.

    ``today`` exists so that tests (and imports of historical records) do not
    depend on the wall clock; by default it is the current date in China,
    not the server's time zone, because a baby born this morning in Beijing
    must not be rejected as "born in the future" by a UTC server.
    """
    if raw is None:
        raise IdNumberError("请输入身份证号码")
    number = _normalise(str(raw))
    if not number:
        raise IdNumberError("请输入身份证号码")
    if any(c not in _DIGITS and c != "X" for c in number):
        raise IdNumberError("身份证号码只能包含数字，最后一位可以是X")
    if len(number) not in (15, 18):
        raise IdNumberError("身份证号码应为18位（或15位旧号码）")
    if "X" in number[:-1] or (len(number) == 15 and number.endswith("X")):
        raise IdNumberError("身份证号码只能包含数字，最后一位可以是X")

    if len(number) == 15:
        # Legacy numbers carry a 2-digit year; they were only issued to
        # people born in the 1900s, and have no check digit.
        first17 = number[:6] + "19" + number[6:]
        number = first17 + check_digit(first17)
        legacy = True
    else:
        legacy = False

    region_code = number[:6]
    if region_code[0] in "09":
        raise IdNumberError("身份证号码中的地区代码不正确")

    try:
        birth_date = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError("身份证号码中的出生日期不存在") from None
    if birth_date < _MIN_BIRTH_DATE:
        raise IdNumberError("出生日期不能早于1900年")
    if birth_date > (today if today is not None else _china_today()):
        raise IdNumberError("出生日期不能晚于今天")

    if not legacy and number[17] != check_digit(number[:17]):
        raise IdNumberError("身份证号码校验位不正确")

    sex = "M" if int(number[16]) % 2 else "F"
    return IdCard(number=number, birth_date=birth_date, sex=sex, region_code=region_code)


def mask_id_number(number: str) -> str:
    """Lets staff recognise a record without exposing the full number.

    Region and last four digits stay visible because that is what residents
    quote when staff confirm an identity on the phone.  Anything too short
    to keep four hidden characters is masked completely rather than shown.
    """
    if not number:
        return ""
    number = str(number)
    if len(number) in (15, 18):
        return number[:6] + "*" * (len(number) - 10) + number[-4:]
    if len(number) <= 4:
        return "*" * len(number)
    return "*" * (len(number) - 4) + number[-4:]


def age_on(birth_date: date, on: date) -> int:
    """Full years, the way Chinese law counts them (周岁).

    Comparing (month, day) tuples makes someone born on Feb 29 turn a year
    older on Mar 1 in common years, which is the legal convention.
    """
    if on < birth_date:
        raise ValueError("'on' must not be earlier than birth_date")
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


_ODD = "13579"
_EVEN = "02468"


def make_id_number(region_code: str, birth_date: date, sequence: int, sex: str) -> str:
    """Build a valid number for demo data generators.

    Called for every generated resident (millions of times), hence only
    cheap checks and plain string arithmetic.  ``sequence`` (0..99) fills
    digits 15-16 and also picks which odd/even 17th digit is used, so 200
    distinct people can share a region and birthday.
    """
    if len(region_code) != 6 or not (region_code.isascii() and region_code.isdigit()) or region_code[0] in "09":
        raise ValueError("region_code must be 6 digits not starting with 0 or 9")
    if not 0 <= sequence <= 99:
        raise ValueError("sequence must be between 0 and 99")
    if sex == "M":
        sex_digit = _ODD[sequence % 5]
    elif sex == "F":
        sex_digit = _EVEN[sequence % 5]
    else:
        raise ValueError("sex must be 'M' or 'F'")
    first17 = f"{region_code}{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}{sequence:02d}{sex_digit}"
    return first17 + _CHECK_CHARS[sum(map(int.__mul__, map(int, first17), _WEIGHTS)) % 11]
