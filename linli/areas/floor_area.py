"""A household's 建筑面积 as people write it: "89.5", "89.5㎡", "89.5平方米", "89.5平" (a form, a ledger cell)."""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import forms

MAX_AREA = Decimal("10000")
_UNITS = re.compile(r"(平方米|平米|平方|平|m2|米2)$", re.IGNORECASE)


class FloorAreaError(ValueError):
    """The text is not an area; the message is for the person who wrote it."""


def parse_floor_area(value) -> Decimal | None:
    """The area in ㎡ (two decimals), None when empty; FloorAreaError with a Chinese message otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise FloorAreaError("建筑面积应为数字，如“89.5”或“89.5㎡”。")
    # NFKC turns full-width digits into ASCII and ㎡ into "m2".
    text = unicodedata.normalize("NFKC", str(value)).strip().replace(" ", "")
    if not text:
        return None
    number = _UNITS.sub("", text)
    try:
        area = Decimal(number)
    except InvalidOperation:
        raise FloorAreaError(f"建筑面积“{value}”不是数字，应写成如“89.5”或“89.5㎡”。") from None
    if not area.is_finite() or area <= 0 or area > MAX_AREA:
        raise FloorAreaError(f"建筑面积“{value}”应大于0且不超过{MAX_AREA}㎡。")
    return area.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_floor_area(area: Decimal | None) -> str:
    """89.50 -> "89.5㎡"; None -> ""."""
    if area is None:
        return ""
    text = format(area.normalize(), "f")
    return f"{text}㎡"


class FloorAreaField(forms.Field):
    """A form field taking the area the way it is written (with or without ㎡/平方米/平), giving a Decimal."""

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "decimal", "maxlength": "20"})

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return format(value.normalize(), "f")
        return value

    def to_python(self, value):
        if isinstance(value, str) and len(value) > 20:
            raise forms.ValidationError("建筑面积最多写20个字，如“89.5”或“89.5㎡”。", code="max_length")
        try:
            return parse_floor_area(value)
        except FloorAreaError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None
