"""Demo matters in the demo community 青和居 (its demo step: shell.py).

Seed 001: 民事民议、民事民办 — residents decide their building's and compound's matters together. Here:
"3栋加装电梯" (a lift for 3栋, being heard: the votes app opens its vote on it), a closed matter with its
publication on the public board and its follow-up tasks done, a matter being done with an open and an
overdue task, and 陈奶奶's own proposal waiting to be accepted. Through linli.deliberation.services; fast.
"""

from __future__ import annotations

import datetime

from linli.core.audit import actor_of
from linli.deliberation import services
from linli.deliberation.choices import MatterScope, MatterStatus, RaisedBy
from linli.deliberation.models import FollowUpTask, Matter, Publication

#: The matter the votes demo opens its vote on (votes.demo looks it up by this title).
LIFT_TITLE = "3栋加装电梯"


def build_demo_matters(community, *, users, today: datetime.date, log=print) -> list[Matter]:
    staff = actor_of(users["shequ"])
    secretary = actor_of(users["shuji"])
    buildings = {b.number: b for b in community.buildings.all()}
    grids = {g.number: g for g in community.grids.all()}
    made = []

    lift = services.raise_matter(
        actor=staff,
        community=community,
        title=LIFT_TITLE,
        description="3栋是1990年代的六层老楼，没有电梯，楼里老人多、上下楼难。多位居民提出加装电梯，"
        "需要全楼居民商量费用分摊、低层住户的意见和施工安排，再按户表决。",
        scope=MatterScope.BUILDING if 3 in buildings else MatterScope.COMMUNITY,
        buildings=[buildings[3]] if 3 in buildings else [],
    )
    made.append(lift)

    shed = services.raise_matter(
        actor=staff,
        community=community,
        title="小区东门增设非机动车充电棚",
        description="电动车在楼道充电有火灾隐患。居民议事会商议在东门空地建一个带智能充电桩的车棚。",
        scope=MatterScope.COMMUNITY,
    )
    services.move_matter(shed, actor=staff, status=MatterStatus.DOING, note="议事会通过，开始落实")
    task = services.add_task(
        shed,
        actor=secretary,
        title="联系物业和供电部门确定车棚位置",
        owner=users["shequ"],
        deadline=today + datetime.timedelta(days=3),
    )
    services.complete_task(task, actor=staff, note="车棚已建成，20个充电桩投入使用。")
    services.publish(
        secretary,
        shed,
        "关于小区东门增设非机动车充电棚的公示",
        "经居民议事会商议，在小区东门空地建设非机动车充电棚一处，设智能充电桩20个，费用由社区微实事项目承担。"
        "车棚已建成投入使用，请居民不要在楼道内为电动车充电。",
        days=7,
        starts_on=today - datetime.timedelta(days=2),
        snapshot={
            "tables": [
                {"title": "议事会意见", "columns": ["意见", "人数"], "rows": [["同意", 21], ["不同意", 2], ["弃权", 1]]}
            ]
        },
    )
    services.close_matter(shed, actor=secretary, note="车棚建成，公示中")
    made.append(shed)

    corridor = services.raise_matter(
        actor=staff,
        community=community,
        title="第1网格楼道堆物清理",
        description="1栋、2栋楼道里堆放杂物，影响消防通道。楼栋长和居民商定分单元清理。",
        scope=MatterScope.GRID if 1 in grids else MatterScope.COMMUNITY,
        grid=grids.get(1),
        raised_by=RaisedBy.ORGANISATION,
        raised_by_name="友好楼栋议事会",
    )
    services.move_matter(corridor, actor=staff, status=MatterStatus.DOING)
    services.add_task(
        corridor,
        actor=secretary,
        title="1栋各单元楼道清理",
        owner=users["wangge1"],
        deadline=today + datetime.timedelta(days=5),
    )
    late = services.add_task(
        corridor,
        actor=secretary,
        title="2栋楼道张贴消防通道提示",
        owner=users["wangge1"],
        deadline=today,
    )
    FollowUpTask.objects.filter(pk=late.pk).update(deadline=today - datetime.timedelta(days=2))  # an overdue one
    made.append(corridor)

    if getattr(users["jumin"], "resident", None) is not None:
        made.append(
            services.propose_matter(
                actor=actor_of(users["jumin"]),
                title="1栋楼道加装扶手",
                description="楼梯陡，老人上下楼容易摔，希望每层楼梯都装上扶手。",
            )
        )
    log(
        f"       {community.name}：民事民议{len(made)}个议题（{LIFT_TITLE}征求意见中），"
        f"{Publication.objects.filter(matter__community=community).count()}条公示"
    )
    return made


def demo_step(demo) -> None:
    """The demo step (shell.py): matters in the community the demo logins work in."""
    build_demo_matters(demo.community, users=demo.users, today=demo.today, log=demo.log)


def forget_orphan_records() -> None:
    """After a demo reset: the change records of matters, publications, objections and tasks that are gone (the
    demo wrote them as the demo logins, so the reset's own sweep by actor label does not find them)."""
    from django.contrib.contenttypes.models import ContentType

    from linli.core.models import ChangeRecord
    from linli.deliberation.models import Objection

    for model in (Matter, Publication, Objection, FollowUpTask):
        ChangeRecord.objects.filter(content_type=ContentType.objects.get_for_model(model)).exclude(
            object_id__in=model._base_manager.values("pk")
        ).delete()
