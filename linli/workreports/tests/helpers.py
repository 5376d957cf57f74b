"""Appeals received on given days and the rollup of chosen months, for the report tests."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.appeals.choices import Status
from linli.appeals.models import Appeal
from linli.appeals.services import create_appeal
from linli.core.audit import actor_of
from linli.dashboards.board import add_months, month_start
from linli.dashboards.rollup import days_between, rollup
from linli.testing import SYSTEM
from linli.workreports import services


def this_month() -> datetime.date:
    return month_start(timezone.localdate())


def months_ago(n: int) -> datetime.date:
    return add_months(this_month(), -n)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def appeal(building, day: datetime.date, text: str = "楼道灯坏了"):
    return create_appeal(
        actor=SYSTEM, building=building, text=text, channel="phone", reporter_name="王阿姨",
        reporter_phone="13800001111", received_at=at(day),
    )  # fmt: skip


def finished(building, day: datetime.date, text: str = "楼道灯坏了", **result):
    """An appeal received on `day` and resolved and closed the same day (the report's notable cases are finished
    appeals). Its result is written straight to the row: the report reads the result, not how the appeal got there
    (linli.appeals' tests drive the services)."""
    found = appeal(building, day, text)
    result = {"outcome": "solved", "resolution": "已处理。", "rating": "satisfied"} | result
    Appeal.objects.filter(pk=found.pk).update(
        status=Status.CLOSED, resolved_at=at(day, 16), replied_at=at(day, 17), **result
    )
    found.refresh_from_db()
    return found


def roll_months(*firsts: datetime.date) -> None:
    """The rollup of each whole month given by its first day (history stocks counted back)."""
    today = timezone.localdate()
    days = []
    for first in firsts:
        last = min(add_months(first, 1) - datetime.timedelta(days=1), today - datetime.timedelta(days=1))
        days += days_between(first, last)
    rollup(days, backfill=True)


def draft(world, persona="secretary", month=None, node="e1", level="community"):
    """A monthly draft (last month by default) of a community or street of the world, written by `persona`."""
    month = month or months_ago(1)
    node_id = world.communities[node].pk if level == "community" else world.streets[node].pk
    return services.create_report(
        actor=actor_of(world.users[persona]), level=level, node_id=node_id, period="month",
        year=month.year, month=month.month,
    )  # fmt: skip
