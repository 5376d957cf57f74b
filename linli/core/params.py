"""Parsing what people type into URLs and forms: one helper, so `?grid=²` is "no such grid", never a 500.

`str.isdigit()` is true for '²', '³', '①' and other digits that int() refuses or reads differently;
ids here must be plain ASCII digits of a length a database key can hold.
"""

from __future__ import annotations

#: BigAutoField holds at most 19 digits; anything longer is not an id of ours.
MAX_ID_DIGITS = 18

#: The largest id a bigint column holds: the bound of every id an API schema accepts (`Field(ge=1, le=MAX_ID)`).
#: Bounding them keeps an absurd id a 422: a foreign-key filter with a number past the column's range is not
#: caught by Django and would overflow in the database driver (500).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A positive database id from user input, or None for anything else (blank, '²', '1e3', 10**30, -1)."""
    if value is None:
        return None
    text = str(value).strip()
    if not text or len(text) > MAX_ID_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number or None


def parse_int(value, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """A whole number in range from user input (a year, a page size), or None."""
    if value is None:
        return None
    text = str(value).strip()
    sign = -1 if text.startswith("-") else 1
    digits = text[1:] if text[:1] in "+-" else text
    if not digits or len(digits) > MAX_ID_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    number = sign * int(digits)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def parse_ids(values) -> list[int]:
    """Ids from a list of inputs (a multi-select, a comma-separated string), bad entries dropped."""
    if isinstance(values, str):
        values = values.split(",")
    return [n for n in (parse_id(v) for v in values or ()) if n is not None]
