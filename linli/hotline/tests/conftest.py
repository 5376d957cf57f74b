"""Hotline fixtures: the appeals world (organisations bound in 东一社区) and sheet writers."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import Workbook

from linli.appeals.tests.conftest import aw  # noqa: F401  (the appeals world, reused)

HEADERS = ["工单编号", "来电时间", "诉求内容", "地址", "联系人", "联系电话", "办理时限"]


def when(days: float = 0, *, hour: int = 9) -> datetime.datetime:
    """A local time `days` from today at `hour` o'clock (naive, as a sheet holds it)."""
    today = timezone.localdate()
    return datetime.datetime.combine(today, datetime.time(hour)) + datetime.timedelta(days=days)


def text(value: datetime.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def order(no: str, *, address="东一社区1栋2单元502", contact="李先生", phone="13987654321", **kw) -> list:
    """One row in HEADERS order: called yesterday, due in 5 days."""
    return [
        no,
        kw.get("called", text(when(-1))),
        kw.get("content", "楼道灯坏了一个星期，晚上看不见。"),
        address,
        contact,
        phone,
        kw.get("due", text(when(5, hour=18))),
    ]


def xlsx(path: Path, rows, headers=HEADERS, *, title: str | None = "12345热线转办工单") -> Path:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def csv_file(path: Path, rows, headers=HEADERS, *, encoding="utf-8") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


@pytest.fixture
def sheet(tmp_path):
    """sheet(rows, name="orders.xlsx", headers=..., ...) -> path of a fresh .xlsx or .csv."""

    def make(rows, name="orders.xlsx", **kwargs):
        path = tmp_path / name
        if name.endswith(".csv"):
            return csv_file(path, rows, **kwargs)
        return xlsx(path, rows, **kwargs)

    return make
