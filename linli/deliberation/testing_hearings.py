"""Hearing fixtures on top of the `world` personas (linli.testing): a matter per community and, on it, a meeting,
a questionnaire and a table talk; used by the hearing tests and the scope matrix (tests/scope_world.py)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from linli.deliberation import services_hearings as services
from linli.deliberation.choices import MatterScope, MatterStatus
from linli.deliberation.choices_hearings import MeetingKind, QuestionKind
from linli.deliberation.models import Matter
from linli.testing import SYSTEM

QUESTIONS = (
    services.QuestionSpec("是否同意加装电梯？", QuestionKind.SINGLE, ["同意", "不同意", "无所谓"]),
    services.QuestionSpec("有什么建议？", QuestionKind.TEXT),
)


def make_matter(community, *, title="加装电梯", scope=MatterScope.COMMUNITY, buildings=(), grid=None) -> Matter:
    matter = Matter.objects.create(
        community=community, title=title, scope=scope, grid=grid, status=MatterStatus.HEARING
    )
    if buildings:
        matter.buildings.set(buildings)
    return matter


def make_meeting(matter, *, actor=SYSTEM, residents=(), days=-3, **kwargs):
    fields = {
        "kind": MeetingKind.COUNCIL,
        "held_at": timezone.now() + datetime.timedelta(days=days),
        "place": "社区会议室",
        "attendance": 12,
        "minutes": "大家同意先入户征求意见。",
        "decisions": "入户征求意见\n请设计单位出方案",
    }
    fields.update(kwargs)
    return services.schedule_meeting(matter, actor=actor, residents=residents, **fields)


def make_questionnaire(matter, *, actor=SYSTEM, questions=QUESTIONS):
    return services.create_questionnaire(matter, actor=actor, title="入户征求意见", questions=questions)


def make_talk(matter, building, *, actor=SYSTEM, residents=()):
    return services.record_table_talk(
        matter,
        actor=actor,
        building=building,
        held_on=timezone.localdate(),
        place="楼下",
        attendance=9,
        points="希望早点装\n担心噪音",
        residents=residents,
    )


def matrix_objects(world) -> dict:
    """For the scope matrix: in 东一 (e1) and 西一 (w1) a matter with a meeting (东一's invites 张三 and 陈奶奶, whom
    grid worker 2 must not see by name), a questionnaire and a table talk; and the door-visit targets."""
    e1, w1 = world.communities["e1"], world.communities["w1"]
    matters = {"e1": make_matter(e1), "w1": make_matter(w1)}
    meetings = {
        "e1": make_meeting(matters["e1"], residents=[world.residents["zhang"], world.residents["chen"]]),
        "w1": make_meeting(matters["w1"], residents=[world.residents["sun"]]),
    }
    questionnaires = {key: make_questionnaire(m) for key, m in matters.items()}
    talks = {
        "e1": make_talk(matters["e1"], world.buildings["b1"]),
        "w1": make_talk(matters["w1"], world.buildings["b4"]),
    }
    q_e1, q_w1 = questionnaires["e1"], questionnaires["w1"]
    return {
        "matters": matters,
        "meetings": meetings,
        "questionnaires": questionnaires,
        "talks": talks,
        "door_buildings": {
            "b1": (q_e1.pk, world.buildings["b1"].pk),
            "b2": (q_e1.pk, world.buildings["b2"].pk),
            "w1": (q_w1.pk, world.buildings["b4"].pk),
        },
        "door_households": {
            "zhang": (q_e1.pk, world.residents["zhang"].household_id),
            "wang": (q_e1.pk, world.residents["wang"].household_id),
            "sun": (q_w1.pk, world.residents["sun"].household_id),
        },
    }
