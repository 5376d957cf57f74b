"""确认送达 for tests and the scope matrix: a sent must-confirm notice in 东一社区 (both its buildings, so grid worker 2
has rows of their own) and one in 西一社区, through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.notices import services
from linli.notices.audience import Audience
from linli.notices.models import NoticeHousehold
from linli.testing import SYSTEM


def sent_notice(community, *, title="1栋明天停水", must_confirm=True, days=1, **audience):
    """A sent notice (in Linli only: nothing queued) to `audience` of `community`, must-confirm by `days` from now."""
    notice = services.create_notice(
        actor=SYSTEM,
        community=community,
        audience=Audience(community_id=community.pk, **audience),
        title=title,
        body="因管道检修，明天8:00至12:00停水，请提前储水。",
        category="outage",
        channels=["in_app"],
        must_confirm=must_confirm,
        confirm_by=timezone.localdate() + datetime.timedelta(days=days) if must_confirm else None,
    )
    return services.send_notice(notice, actor=SYSTEM)


def confirm_matrix_objects(world) -> dict:
    """objects["confirm_notices"]["e1"|"w1"]; ["notice_households"]["e1"] (张三's household, grid 1) and ["w1"]
    (孙七's); ["notice_buildings"]["e1"] = (notice, 1栋) and ["w1"] = (notice, 西一's 1栋)."""
    notices = {key: sent_notice(world.communities[key]) for key in ("e1", "w1")}
    rows = {
        key: NoticeHousehold.objects.get(notice=notices[key], household_id=world.residents[resident].household_id)
        for key, resident in (("e1", "zhang"), ("w1", "sun"))
    }
    buildings = {
        "e1": (notices["e1"].pk, world.buildings["b1"].pk),
        "w1": (notices["w1"].pk, world.buildings["b4"].pk),
    }
    return {"confirm_notices": notices, "notice_households": rows, "notice_buildings": buildings}
