"""Deliberation fixtures for the scope matrices (tests/scope_world.py, tests/test_api_scope_matrix.py): in 东一社区
(e1) and 西一社区 (w1) a matter being heard, its publication with an objection, and a follow-up task owned by
the staff persona; the e1 appeal (if given) as the source of 转为议题."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.deliberation import services
from linli.testing import SYSTEM


def matrix_objects(world, appeals=None) -> dict:
    today = timezone.localdate()
    matters, publications, objections, tasks = {}, {}, {}, {}
    for key in ("e1", "w1"):
        community = world.communities[key]
        matters[key] = m = services.raise_matter(actor=SYSTEM, community=community, title=f"{community.name}楼道扶手")
        publications[key] = p = services.publish(SYSTEM, m, "楼道扶手公示", "同意加装扶手。")
        objections[key] = services.record_objection(p, actor=SYSTEM, text="扶手挡路")
        owner = world.users["staff"] if key == "e1" else world.users.get("w1_staff")
        if owner is not None:
            tasks[key] = services.add_task(
                m, actor=SYSTEM, title="联系施工队", owner=owner, deadline=today + datetime.timedelta(days=3)
            )
    objects = {
        "matters": matters,
        "publications": publications,
        "objections": objections,
        "matter_tasks": tasks,
        "public_publications": {key: (world.communities[key].code, p.pk) for key, p in publications.items()},
        "board_codes": {key: world.communities[key].code for key in ("e1", "w1")},
    }
    if appeals:
        objects["turn_sources"] = {key: ("appeal", appeals[key].pk) for key in ("e1", "w1") if key in appeals}
    return objects
