"""工作报告 fixtures on top of the `world` personas (linli.testing): last month's draft of 东一社区 (with one notable
appeal), of 东街 and of 西一社区, for the scope matrix."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.appeals.choices import Status
from linli.appeals.models import Appeal
from linli.appeals.services import create_appeal
from linli.testing import SYSTEM
from linli.workreports import services


def _last_month() -> datetime.date:
    return timezone.localdate().replace(day=1) - datetime.timedelta(days=1)


def make_report(level: str, node_id: int, *, month: datetime.date | None = None):
    month = month or _last_month()
    return services.create_report(
        actor=SYSTEM, level=level, node_id=node_id, period="month", year=month.year, month=month.month
    )


def matrix_objects(world) -> dict:
    reports = {
        "e1": make_report("community", world.communities["e1"].pk),
        "east": make_report("street", world.streets["east"].pk),
        "w1": make_report("community", world.communities["w1"].pk),
    }
    cases = {}
    for key, building in (("e1", world.buildings["b1"]), ("w1", world.buildings["b4"])):
        appeal = create_appeal(actor=SYSTEM, building=building, text="路灯不亮", channel="phone", anonymous=True)
        # a notable case is a finished appeal: its result written straight to the row (fixture data)
        Appeal.objects.filter(pk=appeal.pk).update(
            status=Status.CLOSED,
            outcome="solved",
            resolution="已修好。",
            resolved_at=timezone.now(),
            replied_at=timezone.now(),
        )
        cases[key] = services.add_case(reports[key], actor=SYSTEM, number=appeal.number)
    return {"workreports": reports, "workreport_cases": cases}
