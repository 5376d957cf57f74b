"""Notices for tests and the scope matrices: in 东一社区 (e1) a sent notice to building 1 (陈奶奶's household among
them) and a draft to building 1, in 西一社区 (w1) the same; a saved list in each community (e1: 张三, 李四 of grid 1
and 王五 of grid 2)."""

from __future__ import annotations

from linli.notices import services, services_saved
from linli.notices.audience import Audience
from linli.residents.models import Resident
from linli.testing import SYSTEM

BUILDING = {"e1": "b1", "w1": "b4"}


def draft(world, key="e1", *, title="1栋明天停水", actor=SYSTEM, channels=("in_app",), **audience):
    community = world.communities[key]
    if not audience:
        audience = {"building_ids": (world.buildings[BUILDING[key]].pk,)}
    return services.create_notice(
        actor=actor,
        community=community,
        audience=Audience(community_id=community.pk, **audience),
        title=title,
        body="因管道检修，明天8:00至12:00停水，请提前储水。",
        category="outage",
        channels=list(channels),
    )


def sent(world, key="e1", **kw):
    return services.send_notice(draft(world, key, **kw), actor=kw.get("actor", SYSTEM))


def matrix_objects(world) -> dict:
    notices = {key: sent(world, key, title="楼道停水通知") for key in ("e1", "w1")}
    drafts = {key: draft(world, key, title="停电通知草稿") for key in ("e1", "w1")}
    members = {"e1": ("zhang", "li", "wang"), "w1": ("sun",)}
    lists = {}
    for key, people in members.items():
        lists[key] = services_saved.create_saved_audience(
            actor=SYSTEM,
            community=world.communities[key],
            name="楼栋长",
            residents=Resident.objects.filter(pk__in=[world.residents[p].pk for p in people]),
        )
    return {"notices": notices, "draft_notices": drafts, "saved_audiences": lists}
