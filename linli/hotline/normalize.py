"""Cells of 12345 hotline work orders: order numbers, call times and deadlines.

Pure functions (no database). The free address of an order is matched to a building and room by
linli.areas.addresses.match_address, as every other free address in Linli.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from django.utils import timezone

from linli.areas.addresses import chinese_number
from linli.core.excel.read import CellError
from linli.workdays import calendar

__all__ = ["clean_order_no", "parse_datetime", "parse_due"]

_EXCEL_EPOCH = datetime.datetime(1899, 12, 30)
_SCIENTIFIC = re.compile(r"\d(?:\.\d+)?e\+?\d+", re.IGNORECASE)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip()


def clean_order_no(text: str) -> str:
    """'２０２５０３１２００１２３ ' -> '2025031200123'. Raises CellError for a number Excel has
    already turned into scientific notation (the digits are lost)."""
    number = "".join(_fold(text).split())
    if _SCIENTIFIC.fullmatch(number):
        raise CellError(
            f"工单编号“{text}”被Excel写成了科学计数法，原来的编号已经丢失；请在导出时把工单编号列设为“文本”后重新导出"
        )
    if len(number) > 64:
        raise CellError("工单编号太长（最多64个字符）")
    return number


_DATETIME = re.compile(
    r"(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*[.\-/月]\s*(\d{1,2})\s*日?"
    r"(?:\s*[tT ]?\s*(\d{1,2})\s*[:时点]\s*(?:(\d{1,2})\s*分?\s*(?::?\s*(\d{1,2})(?:\.\d+)?\s*秒?)?)?)?"
)


def parse_datetime(text: str, *, label: str) -> tuple[datetime.datetime, bool]:
    """(aware datetime in Asia/Shanghai, whether a time of day was written).

    2025-03-12 14:05:09, 2025/3/12 14:05, 2025年3月12日14时05分, 2025.3.12, 20250312, an ISO
    cell from Excel, or an Excel serial (45728.59). `label` names the column in the message.
    """
    folded = _fold(text)
    hint = f"{label}“{text}”无法识别，请写成“2025-03-12 14:30”"
    parts: tuple[int, ...]
    has_time = True
    m = _DATETIME.fullmatch(folded)
    if m:
        year, month, day, hour, minute, second = m.groups()
        has_time = hour is not None
        parts = (int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0))
    elif folded.isdigit() and len(folded) == 8:
        parts, has_time = (int(folded[:4]), int(folded[4:6]), int(folded[6:]), 0, 0, 0), False
    elif re.fullmatch(r"\d{4,5}(?:\.\d+)?", folded):
        serial = float(folded)
        if not 20000 <= serial <= 80000:  # 1954..2119: anything else is not a date
            raise CellError(hint)
        value = _EXCEL_EPOCH + datetime.timedelta(days=serial)
        value = value.replace(microsecond=0) + datetime.timedelta(seconds=round(value.microsecond / 1e6))
        has_time = not float(serial).is_integer()
        parts = (value.year, value.month, value.day, value.hour, value.minute, value.second)
    else:
        raise CellError(hint)
    try:
        naive = datetime.datetime(*parts)
    except ValueError:
        raise CellError(f"{label}“{text}”不存在") from None
    if naive.year < 2000:
        raise CellError(f"{label}“{text}”早于2000年，请检查")
    return timezone.make_aware(naive, timezone.get_default_timezone()), has_time


_RELATIVE = re.compile(
    r"(\d+|[零〇一二两三四五六七八九十百]+)\s*(个)?\s*(工作日|自然日|天|日|小时|个小时|h)", re.IGNORECASE
)


def parse_due(text: str, *, called_at: datetime.datetime | None) -> datetime.datetime:
    """办理时限 as the hotline writes it: a date-time, a date (= 23:59:59 that day, as working-day
    deadlines are assessed), or a period from the call: "5个工作日", "3天", "24小时"."""
    folded = "".join(_fold(text).split())
    m = _RELATIVE.fullmatch(folded)
    if m:
        if called_at is None:
            raise CellError(f"办理时限“{text}”是从来电时间起算的，但来电时间无法识别")
        n = chinese_number(m.group(1))
        unit = m.group(3).lower()
        if n is None or n > 365 * 24:
            raise CellError(f"办理时限“{text}”无法识别")
        if unit == "工作日":
            return calendar.add_workdays(called_at, n).due
        if unit in ("小时", "个小时", "h"):
            return calendar.add_hours(called_at, n).due
        day = timezone.localtime(called_at).date() + datetime.timedelta(days=n)
        return timezone.make_aware(datetime.datetime.combine(day, calendar.END_OF_DAY))
    due, has_time = parse_datetime(text, label="办理时限")
    if not has_time:
        due = due.replace(hour=23, minute=59, second=59)
    return due
