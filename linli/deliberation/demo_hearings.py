"""Demo hearings in 青和居 (its demo step: shell_hearings.py): on the matter “3栋加装电梯”, a 议事会 on the lift and a
“社区我的家”恳谈会 with minutes, a door-to-door questionnaire in progress (about 40% of 3栋's households asked, some
不在家) and one table talk at 3栋. Meetings, the questionnaire and the talk go through services_hearings; the
door-to-door answers are bulk-written (a building has dozens of households), each with its visit row.
"""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.utils import timezone

from linli.areas.models import Building
from linli.core.audit import actor_of
from linli.deliberation import services_hearings as services
from linli.deliberation.choices import MatterScope, MatterStatus, RaisedBy
from linli.deliberation.choices_hearings import DoorOutcome, MeetingKind, QuestionKind
from linli.deliberation.models import DoorAnswer, DoorVisit, Matter
from linli.residents.models import Resident

LIFT_TITLE = "3栋加装电梯"
STAFF_LOGIN, GRID_LOGIN = "shequ", "wangge2"
QUESTIONS = (
    services.QuestionSpec("您家是否同意3栋加装电梯？", QuestionKind.SINGLE, ["同意", "不同意", "无所谓"]),
    services.QuestionSpec(
        "费用怎么分摊您能接受？", QuestionKind.SINGLE, ["按楼层递增分摊", "各户平均分摊", "要再商量"]
    ),
    services.QuestionSpec("还有什么顾虑或建议？", QuestionKind.TEXT),
)
#: upper floors want the lift most; lower floors are divided
LEANING_HIGH, LEANING_LOW = ["同意", "同意", "同意", "无所谓"], ["同意", "不同意", "无所谓"]
CONCERNS = ("一楼采光会受影响", "施工期间噪音", "希望申请政府补贴", "电梯以后的维保费用谁出", "")


def lift_matter(demo) -> Matter:
    """The matter the deliberation step creates; made here when that step has not run (this branch alone)."""
    community = demo.community
    matter = Matter.objects.filter(community=community, title=LIFT_TITLE).first()
    if matter is not None:
        return matter
    building = Building.objects.filter(community=community, number=3).first()
    matter = Matter.objects.create(
        community=community,
        title=LIFT_TITLE,
        description="3栋是1990年代的老楼，7层无电梯，老年住户上下楼困难，多户居民提出加装电梯。",
        scope=MatterScope.BUILDING if building else MatterScope.COMMUNITY,
        raised_by=RaisedBy.RESIDENT,
        raised_by_name="3栋居民",
        status=MatterStatus.HEARING,
        created_by=demo.users[STAFF_LOGIN],
    )
    if building:
        matter.buildings.set([building])
    return matter


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


@transaction.atomic
def demo_step(demo) -> None:
    started = time.monotonic()
    rng = demo.rng("deliberation_hearings")
    matter = lift_matter(demo)
    staff = actor_of(demo.users[STAFF_LOGIN])
    households = list(matter.households_in_scope().select_related("building").order_by("entrance", "floor", "room"))
    residents = list(
        Resident.objects.filter(household__in=households, status="active").select_related("household")[:60]
    )
    invited = rng.sample(residents, min(6, len(residents)))
    services.schedule_meeting(
        matter,
        actor=staff,
        kind=MeetingKind.COUNCIL,
        held_at=_at(demo.today - datetime.timedelta(days=12), 19),
        place="青和居社区党群服务中心二楼会议室",
        attendance=len(invited) + 4,
        minutes=(
            "社区书记介绍老旧小区加装电梯的政策和补贴标准；电梯公司介绍井道位置和施工周期；\n"
            "3栋住户代表发言：高层住户普遍赞成，一楼住户担心采光和噪音；物业公司表示可以承接日后维保。"
        ),
        decisions="开展入户征求意见，摸清每户意见\n请设计单位出两套井道方案，下次会议比选\n费用分摊方案由住户代表起草",
        residents=invited,
        guests=[services.Guest("黄经理", "青和居物业服务中心"), services.Guest("赵工", "电梯安装公司")],
    )
    services.schedule_meeting(
        matter,
        actor=staff,
        kind=MeetingKind.FORUM,
        held_at=_at(demo.today - datetime.timedelta(days=26), 15),
        place="3栋楼下小广场",
        attendance=23,
        minutes="“社区我的家”恳谈会：居民谈楼栋环境和出行不便，多位老人提出上下楼困难，建议研究加装电梯。",
        decisions="把“3栋加装电梯”列为议题，下月召开议事会",
        residents=rng.sample(residents, min(4, len(residents))),
        guests=[services.Guest("李代表", "区人大代表")],
    )
    questionnaire = services.create_questionnaire(
        matter,
        actor=staff,
        title="3栋加装电梯入户征求意见",
        intro="您好，我们是社区网格员，想听听您家对3栋加装电梯的意见，只占用两分钟。",
        questions=QUESTIONS,
    )
    questions = list(questionnaire.questions.all())
    grid_user = demo.users[GRID_LOGIN]
    answers, visits = [], []
    now = timezone.now()
    for household in households:
        roll = rng.random()
        if roll < 0.40:
            outcome = DoorOutcome.ANSWERED
            high = household.floor >= 4
            given = {
                questions[0].key: rng.choice(
                    ["同意", "同意", "同意", "无所谓"] if high else ["同意", "不同意", "无所谓"]
                ),
                questions[1].key: rng.choice(questions[1].option_list),
            }
            concern = rng.choice(CONCERNS)
            if concern:
                given[questions[2].key] = concern
        elif roll < 0.50:
            outcome, given = DoorOutcome.NOT_HOME, {}
        else:
            continue
        at = now - datetime.timedelta(days=rng.randint(0, 6), hours=rng.randint(0, 8))
        answers.append(
            DoorAnswer(
                questionnaire=questionnaire,
                household=household,
                outcome=outcome,
                answers=given,
                visited_by=grid_user,
                visited_at=at,
            )
        )
        visits.append(
            DoorVisit(
                questionnaire=questionnaire,
                household=household,
                outcome=outcome,
                answers=given,
                visited_by=grid_user,
                visited_at=at,
            )
        )
    DoorAnswer.objects.bulk_create(answers)
    DoorVisit.objects.bulk_create(visits)
    building = matter.buildings.first() or (households[0].building if households else None)
    if building is not None:
        services.record_table_talk(
            matter,
            actor=staff,
            building=building,
            held_on=demo.today - datetime.timedelta(days=5),
            place=f"{building.name}楼下",
            attendance=14,
            points="高层老人盼电梯，上下楼要歇好几次\n一楼住户担心采光，希望井道放在楼梯间外侧\n有人问补贴能不能覆盖一半费用\n希望施工避开高考期间",
            residents=rng.sample(residents, min(3, len(residents))),
        )
    asked = sum(a.outcome == DoorOutcome.ANSWERED for a in answers)
    seconds = time.monotonic() - started
    demo.log(
        f"       民事民议·听取意见：2次会议，入户问卷已问{asked}/{len(households)}户，1次楼栋座谈（{seconds:.1f}秒）"
    )
