"""Demo appeals (诉求) for one community: its handling organisations, bindings, handler logins and about
300 appeals over the last six months, each taken through its states by linli.appeals.services.

Run by the demo (its step in shell.py) after the community and the demo logins exist. Deterministic from `rng` and
`today` (when `today` is before the real date, the build's "now" is that day at 18:00, so two builds give
the same rows; on the real today it is the current time).

Time. The services stamp every step with `services._now()` (received, dispatched, signed, resolved,
replied, deadlines, lateness flags). To give each appeal a real past timeline, the build moves that clock
(`_clock`, restored in `finally`): every service call then happens "at" the planned moment, and the
deadlines and late flags follow from the working-day calendar as they would have. The patch is safe
because the demo build is one single-threaded command. Fields the services do not stamp through `_now`
(AppealEvent.at, ExtensionRequest.requested_at, Appeal.created_at/updated_at: auto_now fields) are set to
the planned moments afterwards, and the inbox messages the build sent are kept only for appeals still
open (the others were long since read), dated when they were sent.
"""

from __future__ import annotations

import contextlib
import datetime
import random
import time
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from linli.appeals import services
from linli.appeals.choices import FINISHED, Channel, EventAction, Outcome, Rating, ReplyMethod, Status, Urgency
from linli.appeals.defaults import install_default_directory
from linli.appeals.models import (
    Appeal,
    AppealEvent,
    Category,
    ExtensionRequest,
    HandlingUnit,
    Organisation,
    UnitBinding,
)
from linli.core.audit import Actor, actor_of

DEMO_LABEL = "演示数据"  # the actor of what the demo writes, as the history shows it
MONTHS_DAYS = 182
TARGET = 300
#: The demo logins that get a part in the appeals (linli.site.demo LOGINS).
HANDLER_LOGIN, STAFF_LOGIN, SECRETARY_LOGIN = "bumen", "shequ", "shuji"

H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


def organisation_names(street_name: str, community_name: str) -> dict[str, tuple[str, str]]:
    """unit code → (organisation name, contact) in the demo's district (青山区, Wuhan)."""
    place = community_name.removesuffix("社区")
    town = street_name.removesuffix("街")
    return {
        "community": (f"{community_name}居委会", "李晓燕"),
        "property": (f"{place}物业服务中心", "周涛"),
        "mediation": (f"{place}人民调解委员会", "陈志华"),
        "urban_mgmt": (f"青山区城管执法局{town}中队", "张勇"),
        "water": ("青山区水务和湖泊局", "刘建国"),
        "landscaping": ("青山区园林和林业局", "何丽"),
        "police": (f"{street_name}派出所", "王警官"),
        "housing": ("青山区住房保障和房屋管理局", "赵敏"),
        "civil_affairs": ("青山区民政局", "孙丽华"),
        "disability": ("青山区残联", "杨帆"),
        "hr_social": ("青山区人社局", "吴娟"),
        "health": (f"青山区卫健局（{street_name}社区卫生服务中心）", "郑医生"),
        "power": ("国网武汉青山供电中心", "黄师傅"),
        "heating_gas": ("武汉市燃气集团青山分公司", "马师傅"),
        "fire": ("青山区消防救援大队", "林队长"),
        "market": ("青山区市场监管局", "高洁"),
        "traffic": ("青山区交通大队", "罗警官"),
        "education": ("青山区教育局", "徐老师"),
    }


# category code → (weight, texts in the residents' words, what the handler did). Placeholders: {b} building
# name, {u} entrance, {f} floor, {r} room, {up} the room upstairs.
TEXTS: dict[str, tuple[int, list[str], list[str]]] = {
    "corridor_light": (
        30,
        [
            "{b}{u}单元{f}楼楼道灯坏了快一个星期了，晚上黑漆漆的，我们老人上下楼看不见，怕摔跤。",
            "{b}{u}单元楼道的声控灯不灵了，跺脚拍手都不亮，麻烦物业来看看。",
            "我家住{b}{u}单元，楼道灯白天晚上一直亮着不灭，浪费电，是不是开关坏了？",
            "{b}{u}单元一楼进门那盏灯坏了，晚上回来摸黑找钥匙，快点修一下吧。",
        ],
        ["已更换楼道灯泡和声控开关，现已正常。", "电工上门检修，更换了损坏的感应灯，线路正常。"],
    ),
    "lift": (
        22,
        [
            "{b}{u}单元电梯又停了，我住{f}楼，腿脚不好，下不去楼，买菜都成问题。",
            "{b}{u}单元电梯运行时咣当咣当响，还一顿一顿的，坐着心里发慌，请赶紧检修。",
            "{b}电梯按钮坏了好几个，按了没反应，老人和带小孩的都不方便。",
            "{b}{u}单元电梯门关不严，夹过人，太危险了。",
        ],
        [
            "维保单位已到场检修，更换了门机皮带和按钮，电梯恢复运行。",
            "电梯维保人员检查后更换了控制板，试运行正常，已张贴维保记录。",
        ],
    ),
    "pipe_blockage": (
        24,
        [
            "{b}{u}单元下水道堵了，一楼地漏往外冒脏水，臭得不得了，家里没法住人。",
            "我家{b}{u}单元{r}，厨房下水管堵住了，楼上一用水我家就往上返水。",
            "{b}{u}单元公共排水管漏水，顺着墙往下流，墙皮都泡掉了。",
            "{b}{u}单元化粪池满了，楼下污水横流，请物业尽快清掏。",
        ],
        ["已安排疏通公共排水立管，清出杂物，排水恢复正常。", "已疏通管道并更换破损管件，提醒住户不要往下水道倒杂物。"],
    ),
    "cleaning": (
        14,
        [
            "{b}楼下的垃圾桶满了两天没人清，苍蝇蚊子到处飞。",
            "{b}{u}单元楼道里有人堆了一堆旧家具和纸箱，又脏又占地方，还容易着火。",
            "有人从{b}楼上往下扔垃圾，砸到楼下晾的衣服，希望物业管一管。",
        ],
        ["已清运垃圾并加派保洁，增加清运频次。", "已清理楼道堆放物，张贴告示提醒住户。"],
    ),
    "compound_parking": (
        8,
        [
            "小区{b}门口总有车乱停，把消防通道和进出的路都堵了，救护车都进不来。",
            "{b}楼下停了一辆车好几个月没动过，轮胎都瘪了，占着车位。",
        ],
        ["物业已张贴挪车通知并联系车主挪走车辆，加强巡查。"],
    ),
    "door_access": (
        8,
        [
            "{b}{u}单元门禁坏了，门一直关不上，陌生人随便进出，晚上不安全。",
            "我的门禁卡刷不开{b}{u}单元的门，找物业说等等，等了一个星期了。",
        ],
        ["已更换门禁电磁锁，单元门恢复正常。", "已为住户重新录入门禁卡。"],
    ),
    "compound_green": (
        4,
        ["{b}旁边的树长得太高了，挡住了我家{f}楼的光线，白天屋里都要开灯，能不能修剪一下？"],
        ["已安排绿化工人修剪树枝。"],
    ),
    "community_facility": (
        12,
        [
            "{b}楼下共享晾晒区的晾衣架断了两根，被子都没地方晒，社区能不能给换一下？",
            "楼下晾衣架有的被人用锁锁上了，别人用不了，请社区管一管。",
            "活动室的空调坏了，夏天老年人下午来打牌热得受不了。",
            "舊改后别的楼栋门外都架了晾衣杆，咱{b}咋没有？".replace("舊", "旧"),
        ],
        ["社区已联系维修人员更换晾衣架，已可正常使用。", "社区已协调修好设施，并明确了管理人员。"],
    ),
    "certificate": (
        6,
        [
            "我要开一个居住证明给孩子上学用，需要带哪些材料？",
            "老人要办养老认证，我们不会在手机上弄，能不能帮帮忙？",
        ],
        ["已告知所需材料，居民到社区党群服务中心当场办理。", "网格员已上门帮助老人完成认证。"],
    ),
    "policy": (
        6,
        [
            "公租房租金今年有没有调整？我家收入低，有没有减免的政策？",
            "听说有适老化改造补贴，我家老人八十多了，能申请吗？",
        ],
        ["已向居民详细解释政策，并协助填写申请表。"],
    ),
    "activity": (
        3,
        ["四点半学校还能不能报名？孩子放学没人接，想让他在社区写作业。"],
        ["已为孩子报名四点半学校。"],
    ),
    "neighbour_leak": (
        14,
        [
            "楼上{up}家里漏水，我家卫生间天花板一直滴水，跟他们说了几次都不理。",
            "我家{b}{u}单元{r}，楼上装修后我家墙上渗水，墙皮都鼓起来了，要他们赔。",
        ],
        [
            "调解员上门查看，楼上住户同意维修防水层并赔偿粉刷费用，双方签订调解协议。",
            "经调解，楼上已请人修好漏水点，双方和解。",
        ],
    ),
    "neighbour_noise": (
        12,
        [
            "楼上{up}每天晚上十一二点还在拖椅子、跳绳，咚咚咚的，我们老两口整夜睡不着。",
            "隔壁养的狗一天到晚叫，尤其是主人不在家的时候，吵得人头疼。",
            "楼上一大早五点多就剁肉、走路声音很大，说了也不听，请社区帮忙调解。",
        ],
        ["调解员分别上门沟通，楼上住户答应晚上十点后注意声响，铺设地垫。", "经调解，养狗住户同意加强看管。"],
    ),
    "family_dispute": (
        3,
        ["我八十多了，儿子儿媳不给生活费，也不来看我，请社区帮我说说理。"],
        ["调解委员会组织家庭成员协商，子女同意按月支付赡养费并定期探望。"],
    ),
    "ebike_fire": (
        14,
        [
            "{b}{u}单元有人把电动车推进楼道里充电，还从窗户拉飞线，太吓人了，万一着火怎么办？",
            "{b}{u}单元楼道里停了好几辆电动车，消防通道都堵了，上次还闻到焦味。",
            "晚上有人在{b}电梯里推电动车上楼，在家里充电，请管一管。",
        ],
        [
            "消防和社区联合上门劝导，清理楼道电动车，告知到小区充电桩充电。",
            "已清理飞线充电，对住户进行消防安全教育。",
        ],
    ),
    "fire_safety": (
        4,
        ["{b}{u}单元的消防栓里面是空的，灭火器也过期了，出事了怎么办？"],
        ["已补齐消防器材并更换过期灭火器。"],
    ),
    "manhole": (
        8,
        [
            "小区外面人行道上一个井盖缺了一角，晚上看不见，有老人差点踩进去，很危险！",
            "{b}门口路上的井盖松了，车一压就哐当响，还翘起来了。",
        ],
        ["城管中队已设置警示并更换新井盖。", "已加固井盖，消除安全隐患。"],
    ),
    "street_light": (
        5,
        ["小区门口那条路的路灯坏了好几盏，晚上下班回来黑乎乎的，不敢走。"],
        ["已通知路灯管理所修复路灯。"],
    ),
    "vendors_ads": (
        4,
        ["单元门和电梯里到处贴满了开锁、通下水道的小广告，撕了又贴。", "小区门口早上摆摊的太多，把路都占了。"],
        ["已清理小广告并加强巡查。", "城管已劝导摊贩到指定区域经营。"],
    ),
    "illegal_building": (
        3,
        ["{b}一楼住户在楼前私自搭了个棚子，把大家走的路占了一半。"],
        ["城管中队已下达整改通知，违建已拆除。"],
    ),
    "night_construction": (
        3,
        ["旁边工地晚上十二点了还在打桩，整栋楼都被吵醒了。"],
        ["执法队员已到场制止夜间施工，责令施工方遵守作业时间。"],
    ),
    "water_outage": (
        8,
        ["{b}从昨天下午就停水了，也没提前通知，家里老人做饭洗澡都没水。", "{b}高层水压太低，{f}楼水龙头只有细细一股。"],
        ["已抢修供水管道，恢复供水。", "已调整二次供水泵压力，高层供水恢复正常。"],
    ),
    "water_quality": (
        2,
        ["这两天水龙头放出来的水是黄的，有一股味道，还能喝吗？"],
        ["已冲洗管网并取样检测，水质合格。"],
    ),
    "drainage": (
        5,
        ["一下雨小区门口就积水，水漫过脚脖子，老人小孩都过不去。", "雨水箅子堵了，路边积了一大片水。"],
        ["已疏通雨水管道和雨水箅子。"],
    ),
    "tree": (
        3,
        ["路边一棵大树枯死了，刮风的时候掉树枝，怕砸到人。"],
        ["园林部门已修剪枯枝，评估后移除枯树。"],
    ),
    "public_order": (
        4,
        ["晚上有几个喝醉的人在{b}楼下大声喧哗到半夜。", "小区里有流浪狗追着小孩咬，请派人处理。"],
        ["民警已加强夜间巡逻，对相关人员进行劝诫。", "已联系犬只收容部门处理。"],
    ),
    "theft_fraud": (
        3,
        ["我家电动车电瓶在{b}楼下被偷了。", "有人冒充社区工作人员上门推销保健品，骗老人的钱。"],
        ["民警已调取监控立案调查。", "派出所已开展防诈骗宣传，提醒老人提高警惕。"],
    ),
    "hukou": (2, ["孩子上户口要准备什么材料，去哪里办？"], ["已告知办理流程和材料。"]),
    "renovation": (
        4,
        ["老旧小区改造说要换水管，别的楼都换了，啥时候轮到{b}？", "改造后{b}外墙有的地方已经开裂掉皮了。"],
        ["住房部门已答复改造计划，{b}列入下一批次。", "已通知施工单位返修外墙。"],
    ),
    "lift_install": (
        2,
        ["{b}{u}单元想加装电梯，楼上楼下意见不统一，社区能不能帮忙协调？"],
        ["已组织协商会，解释加装电梯补贴政策。"],
    ),
    "unsafe_building": (
        3,
        ["{b}顶楼一下雨就漏，我家{f}楼天花板发霉，盆都接满了。"],
        ["已安排对屋面防水进行维修。"],
    ),
    "property_complaint": (
        3,
        ["物业收了物业费什么事都不管，报修好几次都没人来。"],
        ["房管部门已约谈物业公司，要求限期整改报修响应。"],
    ),
    "relief": (
        4,
        ["我老伴走了，我一个人没有收入，能不能申请低保？", "家里孩子生病花了很多钱，有没有临时救助？"],
        ["已指导居民提交低保申请材料，正在审核。", "已为居民申请临时救助。"],
    ),
    "elderly_care": (
        4,
        ["我今年八十了，高龄津贴怎么领？", "我一个人住，腿脚不方便，能不能有人上门帮忙做饭？"],
        ["已协助办理高龄津贴申领。", "已为老人对接居家养老助餐服务。"],
    ),
    "disability_support": (2, ["我儿子残疾证到期了，换证要去哪里？"], ["已告知换证流程并预约评残。"]),
    "employment": (
        3,
        ["我下岗了四十多岁，有没有适合我的工作？", "失业金怎么申领？"],
        ["已推荐社区招聘会岗位信息。", "已指导居民办理失业登记和失业金申领。"],
    ),
    "pension": (2, ["社保卡丢了，怎么补办？养老金会不会受影响？"], ["已告知补办流程，养老金发放不受影响。"]),
    "medical": (
        3,
        ["家庭医生签约了一直没人联系过我们，量血压还要跑医院。"],
        ["社区卫生服务中心已安排家庭医生上门随访。"],
    ),
    "power_outage": (
        4,
        ["{b}整栋楼突然停电了，冰箱里的东西都要坏了。", "{b}电压不稳，灯一闪一闪的，电器都不敢开。"],
        ["供电抢修人员已到场处理，恢复供电。"],
    ),
    "charging_post": (
        4,
        ["小区充电桩坏了两个，充不上电，大家只好往楼上拉线充。", "能不能在{b}附近多装几个电动车充电桩？"],
        ["已维修充电桩。", "已将增设充电桩列入计划，先开放临时充电点。"],
    ),
    "gas": (
        2,
        ["{b}{u}单元楼道里闻到一股很浓的煤气味，大家都很害怕！"],
        ["燃气公司抢修人员已到场，更换了漏气的阀门。"],
    ),
    "food_market": (2, ["楼下超市卖过期牛奶，我买回家才发现。"], ["市场监管部门已现场检查并责令下架。"]),
    "prepaid_card": (1, ["小区门口的理发店关门了，卡里还有一千多块钱没用完。"], ["已协调商家退还余额。"]),
    "road": (3, ["小区门口的路坑坑洼洼的，下雨就是水坑，电动车摔了好几次。"], ["已修补路面坑洼。"]),
    "public_parking": (2, ["小区外面马路两边停满了车，公交车都过不去。"], ["交警已加强违停治理。"]),
    "bus": (2, ["能不能把公交站往小区门口挪一挪？老人走过去要二十分钟。"], ["已将居民意见转交公交公司研究。"]),
    "school": (2, ["孩子明年上小学，我们是公租房，划在哪个学校？"], ["已告知学区划分和报名时间。"]),
}

REPLIES = {
    Rating.SATISFIED: ["居民表示问题已解决，很满意。", "已电话回访，居民说修好了，谢谢社区。", "回访时居民表示满意。"],
    Rating.BASICALLY: ["居民表示基本解决，希望以后响应再快一点。", "居民认可处理结果，但觉得等的时间有点长。"],
    Rating.UNSATISFIED: ["居民表示问题没有根本解决，不满意。", "居民认为处理不彻底，问题又出现了。"],
    Rating.NONE: ["已告知办理结果。", "匿名反映，办理结果已在单元公告栏公示。"],
}
REPORTER_NAMES = ["王阿姨", "李大爷", "张师傅", "刘奶奶", "陈先生", "赵女士", "周大姐", "吴爹爹", "孙婆婆", "黄师傅"]
CHANNELS = [
    (Channel.PHONE, 34),
    (Channel.WALK_IN, 20),
    (Channel.MESSAGE, 14),
    (Channel.HOTLINE, 10),
    (Channel.RESIDENT, 7),
]
VISIT_SHARE = 0.15
RECENT_SHARE, RECENT_DAYS = 0.08, 10


@dataclass
class DemoAppealsResult:
    organisations: int = 0
    appeals: int = 0
    by_status: dict = field(default_factory=dict)
    seconds: float = 0.0


class _Clock:
    def __init__(self, at: datetime.datetime):
        self.at = at
        self.steps: list[datetime.datetime] = []

    def __call__(self) -> datetime.datetime:
        return self.at

    def step(self, at: datetime.datetime) -> None:
        """The next service call happens at `at` (and appends one timeline event then)."""
        self.at = at
        self.steps.append(at)


@contextlib.contextmanager
def _clock(start: datetime.datetime):
    clock = _Clock(start)
    saved = services._now
    services._now = clock
    try:
        yield clock
    finally:
        services._now = saved


def _pick(rng: random.Random, weighted):
    items, weights = zip(*weighted)
    return rng.choices(items, weights=weights, k=1)[0]


def _working_moment(rng: random.Random, day: datetime.date, tz) -> datetime.datetime:
    minutes = int(rng.triangular(7.5 * 60, 21 * 60, 10 * 60))
    return datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60), tzinfo=tz)


class _Cast:
    """Who acts: the demo logins where they exist (so the timeline shows 李晓燕, 周涛 ...), else labels."""

    def __init__(self, orgs: dict[str, Organisation]):
        from linli.accounts.models import User

        users = {u.username: u for u in User.objects.filter(username__in=(HANDLER_LOGIN, STAFF_LOGIN, SECRETARY_LOGIN))}
        self.staff = actor_of(users[STAFF_LOGIN]) if STAFF_LOGIN in users else Actor.cli(DEMO_LABEL)
        self.secretary = actor_of(users[SECRETARY_LOGIN]) if SECRETARY_LOGIN in users else Actor.cli(DEMO_LABEL)
        self.users = users
        self.handlers: dict[int, Actor] = {}
        for code, org in orgs.items():
            handler = users.get(HANDLER_LOGIN) if code == "property" else None
            handler = handler or (users.get(STAFF_LOGIN) if code == "community" else None)
            self.handlers[org.pk] = actor_of(handler) if handler else Actor.cli(f"{org.name} {org.contact_name}")

    def handler(self, appeal: Appeal) -> Actor:
        return self.handlers.get(appeal.assigned_org_id) or Actor.cli(DEMO_LABEL)


def _setup_organisations(street, community) -> dict[str, Organisation]:
    """One organisation per default unit in the street, bound to the community; the demo logins as handlers."""
    install_default_directory(HandlingUnit, Category)
    names = organisation_names(street.name, community.name)
    orgs = {}
    for n, unit in enumerate(HandlingUnit.objects.filter(is_active=True, code__in=names)):
        name, contact = names[unit.code]
        org, _ = Organisation.objects.get_or_create(
            street=street,
            name=name,
            defaults={"unit": unit, "contact_name": contact, "phone": f"027-8686{1000 + n * 37:04d}"},
        )
        orgs[unit.code] = org
        UnitBinding.objects.get_or_create(community=community, unit=unit, defaults={"organisation": org})
    from linli.accounts.models import User

    for code, username in (("property", HANDLER_LOGIN), ("community", STAFF_LOGIN)):
        user = User.objects.filter(username=username).first()
        if user is not None:
            orgs[code].handlers.add(user)
    return orgs


def _fill(text: str, household, building, rng: random.Random) -> str:
    if household is None:
        name = building.name if building is not None else ""
        return text.format(b=name, u=rng.randint(1, 3), f=rng.randint(2, 18), r="", up="").replace(
            "楼上家", "楼上邻居家"
        )
    b = household.building
    up = f"{household.floor + 1}{household.room[-2:]}" if household.room[-2:].isdigit() else "楼上"
    return text.format(b=b.name, u=household.entrance, f=household.floor, r=household.room, up=up)


def _public_reply(template: str, building) -> str:
    """The 公开答复 a handler would write: what was done, down to the building, no room or person (no rng drawn,
    so the demo's other choices stay as they were)."""
    name = building.name if building is not None else ""
    return template.format(b=name, u="", f="", r="", up="").replace("单元单元", "单元").replace("楼上家", "楼上邻居家")


class _Builder:
    def __init__(self, street, community, *, rng, today, now, orgs, cast, log, count=TARGET):
        self.count = count
        self.street, self.community, self.rng, self.today, self.now = street, community, rng, today, now
        self.orgs, self.cast, self.log = orgs, cast, log
        self.steps: dict[int, list[datetime.datetime]] = {}
        self.tz = timezone.get_current_timezone()
        self.categories = {c.code: c for c in Category.objects.filter(code__in=TEXTS).select_related("unit")}
        self.weighted = [(code, TEXTS[code][0]) for code in TEXTS if code in self.categories]
        from linli.residents.models import Resident

        ids = list(
            Resident.objects.filter(household__building__community=community, status="active")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = sorted(rng.sample(ids, min(len(ids), count))) if ids else []
        self.residents = list(
            Resident.objects.filter(pk__in=chosen).select_related("household__building").order_by("pk")
        )
        from linli.areas.models import Building
        from linli.visits.choices import Outcome as VisitOutcome
        from linli.visits.models import Visit

        self.buildings = list(Building.objects.filter(community=community).order_by("number", "pk"))
        start = today - datetime.timedelta(days=MONTHS_DAYS)
        visits = list(
            Visit.objects.filter(
                community=community, visited_on__gte=start, visited_on__lt=today, outcome=VisitOutcome.MET
            )
            .order_by("pk")
            .values_list("pk", flat=True)[:5000]
        )
        k = min(len(visits), int(count * VISIT_SHARE))
        self.visits = list(
            Visit.objects.filter(pk__in=rng.sample(visits, k))
            .select_related("resident__household__building")
            .order_by("pk")
        )
        self.rng.shuffle(self.visits)

    # -- planning
    def plan(self) -> list[dict]:
        """What each appeal is (text, reporter, when, category, its fate); chronological."""
        rng, plans = self.rng, []
        for _i in range(self.count):
            code = _pick(rng, self.weighted)
            if rng.random() < RECENT_SHARE:  # the last days, so that some are open at every stage
                age = rng.randint(1, RECENT_DAYS)
            else:
                age = 1 + int(rng.triangular(0, MONTHS_DAYS - 1, MONTHS_DAYS * 0.4))
            received = _working_moment(rng, self.today - datetime.timedelta(days=age), self.tz)
            p = {"code": code, "received": received, "visit": None, "resident": None, "anonymous": False}
            if self.visits and rng.random() < VISIT_SHARE:
                visit = self.visits.pop()
                p["visit"], p["resident"] = visit, visit.resident
                p["received"] = datetime.datetime.combine(
                    visit.visited_on, datetime.time(9 + rng.randint(0, 7), rng.randint(0, 59)), tzinfo=self.tz
                )
                p["channel"] = Channel.VISIT
            else:
                p["channel"] = _pick(rng, CHANNELS)
                roll = rng.random()
                if roll < 0.05:
                    p["anonymous"] = True
                elif self.residents and roll < 0.8:
                    p["resident"] = rng.choice(self.residents)
            p["fate"] = "normal"
            plans.append(p)
        # The freshest three wait for dispatch: received in the last hours.
        for n, hours in enumerate((1, 2.5, 4)):
            plans[n]["received"] = self.now - datetime.timedelta(hours=hours, minutes=n * 7)
            plans[n]["fate"] = "wait_dispatch"
            plans[n]["visit"] = None
            if plans[n]["channel"] == Channel.VISIT:
                plans[n]["channel"] = Channel.PHONE
        plans.sort(key=lambda p: p["received"])
        # Fates among the older ones (chosen by position, so the rng decides which).
        older = [p for p in plans if self.now - p["received"] > 12 * D and p["fate"] == "normal"]
        month = [p for p in older if self.now - p["received"] < 40 * D]
        far = [p for p in older if self.now - p["received"] >= 40 * D]
        specials = (
            [(month, f) for f in ("stuck", "stuck", "stuck_escalate", "stuck_escalate", "no_reply")]
            + [(far, "reopen")]
            + [(far, "withdraw")] * 4
            + [(older, "extension")] * 5
            + [(older, "unsatisfied")] * 7
        )
        for pool, fate in specials:
            rated = fate in ("reopen", "unsatisfied")  # an anonymous reporter cannot be asked for a rating
            free = [p for p in pool if p["fate"] == "normal" and not (rated and p["anonymous"])]
            if free:
                rng.choice(free)["fate"] = fate
        for p in plans:
            age = self.now - p["received"]
            if p["fate"] != "normal" or age > RECENT_DAYS * D:
                continue
            slow = self.categories[p["code"]].default_urgency in (Urgency.NORMAL, Urgency.COMPLEX)
            roll = rng.random()
            if age < 2 * D:
                p["fate"] = "open_sign" if roll < 0.3 else "open_progress" if roll < 0.8 and slow else "normal"
            else:
                p["fate"] = "open_progress" if roll < 0.35 and slow else "open_resolved" if roll < 0.65 else "normal"
        week = [p for p in plans if 2 * D < self.now - p["received"] < 6 * D and p["fate"] == "normal"]
        if week:
            rng.choice(week)["fate"] = "sign_late_open"  # waiting for signature past its deadline
        return plans

    # -- building one appeal
    def build(self, p: dict, clock: _Clock) -> Appeal:
        rng, cast = self.rng, self.cast
        weight, texts, resolutions = TEXTS[p["code"]]
        category = self.categories[p["code"]]
        resident = p["resident"]
        household = resident.household if resident else None
        building = household.building if household else (rng.choice(self.buildings) if self.buildings else None)
        text = _fill(rng.choice(texts), household, building, rng)
        template = rng.choice(resolutions)
        resolution = _fill(template, household, building, rng)
        public_reply = _public_reply(template, building)
        kwargs = {}
        if p["anonymous"]:
            kwargs["anonymous"] = True
        elif resident is None:
            kwargs.update(reporter_name=rng.choice(REPORTER_NAMES), reporter_phone=f"139{rng.randint(0, 99999999):08d}")
        clock.steps = []
        clock.step(p["received"])
        a = services.create_appeal(
            actor=cast.staff,
            text=text,
            channel=p["channel"],
            category=category,
            reporter=resident,
            visit=p["visit"],
            building=building if household is None else None,
            household=household,
            community=self.community,
            address="" if building or household else "小区内",
            received_at=p["received"],
            **kwargs,
        )
        if p["fate"] == "wait_dispatch":
            return self._finish(a, clock)
        t = p["received"] + rng.uniform(0.3, 4) * H
        if p["fate"] == "withdraw":
            clock.step(t)
            services.withdraw(a, actor=cast.staff, reason="居民来电说问题已自行解决，申请撤销。")
            return self._finish(a, clock)
        if not self._at(clock, t):
            return self._finish(a, clock)
        a = services.dispatch(a, category.unit, actor=cast.staff, note="请按时限办理。")
        handler = cast.handler(a)
        if p["fate"] in ("sign_late_open", "open_sign"):
            return self._finish(a, clock)
        late_sign = rng.random() < 0.06
        t += (rng.uniform(26, 70) if late_sign else rng.uniform(0.2, 6)) * H
        if not self._at(clock, t):
            return self._finish(a, clock)
        a = services.sign(a, actor=handler)
        if rng.random() < 0.3 or p["fate"] in ("stuck", "stuck_escalate", "extension"):
            t += rng.uniform(0.5, 20) * H
            if not self._at(clock, t):
                return self._finish(a, clock)
            services.add_progress(a, actor=handler, note="已到现场查看，正在安排处理。", public=True)
        if p["fate"] == "open_progress":
            return self._finish(a, clock)
        if p["fate"] in ("stuck", "stuck_escalate"):
            if p["fate"] == "stuck_escalate":
                esc = max(a.resolve_due or t, t) + rng.uniform(4, 30) * H
                if self._at(clock, esc):
                    services.escalate(a, actor=cast.secretary, note="超期未办结，请承办单位三日内办结并书面说明原因。")
            return self._finish(a, clock)
        if p["fate"] == "extension":
            t += rng.uniform(1, 10) * H
            if not self._at(clock, t):
                return self._finish(a, clock)
            ext = services.request_extension(
                a, actor=handler, workdays=5, reason="需要协调相关单位、采购配件，申请延期。"
            )
            t += rng.uniform(1, 8) * H
            if not self._at(clock, t):
                return self._finish(a, clock)
            services.decide_extension(ext, actor=cast.secretary, approve=True, note="同意，请按新时限办结。")
            a.refresh_from_db()
        t = self._resolve_time(a, t, rng)
        if not self._at(clock, t):
            return self._finish(a, clock)
        a = services.resolve(a, actor=handler, outcome=Outcome.SOLVED, resolution=resolution, public_reply=public_reply)
        if p["fate"] in ("no_reply", "open_resolved"):
            return self._finish(a, clock)
        t += (rng.uniform(50, 90) if rng.random() < 0.03 else rng.uniform(1, 30)) * H
        if not self._at(clock, t):
            return self._finish(a, clock)
        rating = self._rating(p, a)
        method = ReplyMethod.PUBLIC if a.anonymous else _pick(rng, [(ReplyMethod.PHONE, 70), (ReplyMethod.VISIT, 30)])
        a = services.reply(a, actor=cast.staff, text=rng.choice(REPLIES[rating]), method=method, rating=rating)
        if p["fate"] == "reopen":
            t += rng.uniform(3, 20) * H
            clock.step(t)
            a = services.reopen(a, actor=cast.secretary, note="居民反映问题又出现了，请重新办理并彻底解决。")
            for step in (rng.uniform(0.5, 4), rng.uniform(20, 60)):
                t += step * H
                clock.step(t)
                a = (
                    services.sign(a, actor=handler)
                    if a.status == Status.PENDING_SIGN
                    else services.resolve(
                        a,
                        actor=handler,
                        outcome=Outcome.SOLVED,
                        resolution="重新检修，彻底解决。",
                        public_reply="重新检修，问题已彻底解决。",
                    )
                )
            t += rng.uniform(2, 20) * H
            clock.step(t)
            a = services.reply(
                a,
                actor=cast.staff,
                text="重办后回访，居民表示这次彻底解决了。",
                method=ReplyMethod.VISIT,
                rating=Rating.SATISFIED,
            )
        return self._finish(a, clock)

    def _resolve_time(self, a: Appeal, t: datetime.datetime, rng) -> datetime.datetime:
        due = a.resolve_due
        span = max(due - t, H)
        if rng.random() < 0.07:  # late
            return due + rng.uniform(0.1, 0.8) * span
        return t + rng.uniform(0.15, 0.9) * span

    def _rating(self, p: dict, a: Appeal) -> str:
        if a.anonymous:
            return Rating.NONE
        if p["fate"] in ("unsatisfied", "reopen"):
            return Rating.UNSATISFIED
        return _pick(self.rng, [(Rating.SATISFIED, 78), (Rating.BASICALLY, 17), (Rating.NONE, 5)])

    def _at(self, clock: _Clock, t: datetime.datetime) -> bool:
        """Move the clock to `t` for the next step, unless `t` is still to come (the appeal stays where it is)."""
        if t > self.now:
            return False
        clock.step(t)
        return True

    def _finish(self, a: Appeal, clock: _Clock) -> Appeal:
        self.steps[a.pk] = clock.steps
        return a

    def date_timelines(self) -> None:
        """Date every timeline (AppealEvent.at is auto_now_add) as the steps were planned: one event per step."""
        events: dict[int, list[int]] = {}
        for pk, appeal_id in (
            AppealEvent.objects.filter(appeal_id__in=self.steps)
            .order_by("appeal_id", "pk")
            .values_list("pk", "appeal_id")
        ):
            events.setdefault(appeal_id, []).append(pk)
        adapt = connection.ops.adapt_datetimefield_value
        rows = [
            (adapt(at), pk)
            for appeal_id, steps in self.steps.items()
            for pk, at in zip(events.get(appeal_id, []), steps)
        ]
        table = connection.ops.quote_name(AppealEvent._meta.db_table)
        with connection.cursor() as cur:
            cur.executemany(f"UPDATE {table} SET at = %s WHERE id = %s", rows)


def _now_for(today: datetime.date) -> datetime.datetime:
    now = timezone.now()
    if today < timezone.localdate(now):
        return datetime.datetime.combine(today, datetime.time(18, 0), tzinfo=timezone.get_current_timezone())
    return now.replace(second=0, microsecond=0)


@transaction.atomic
def build_demo_appeals(
    street, community, *, rng: random.Random, today: datetime.date, log=lambda line: None, count: int = TARGET
):
    """Organisations, bindings and handlers for `community`, then `count` appeals of the last six months."""
    from linli.notifications.models import Notification

    t0 = time.perf_counter()
    now = _now_for(today)
    orgs = _setup_organisations(street, community)
    cast = _Cast(orgs)
    builder = _Builder(street, community, rng=rng, today=today, now=now, orgs=orgs, cast=cast, log=log, count=count)
    plans = builder.plan()
    last_message = Notification.objects.aggregate(m=Max("pk"))["m"] or 0
    appeals = []
    with _clock(now) as clock:
        for p in plans:
            appeals.append(builder.build(p, clock))
    builder.date_timelines()
    ids = [a.pk for a in appeals]
    last_event = AppealEvent.objects.filter(appeal=OuterRef("pk")).order_by("-at").values("at")[:1]
    Appeal.objects.filter(pk__in=ids).update(updated_at=Subquery(last_event))
    _date_rest(ids, last_message)
    result = DemoAppealsResult(organisations=len(orgs), appeals=len(ids), seconds=time.perf_counter() - t0)
    for status in Appeal.objects.filter(pk__in=ids).values_list("status", flat=True):
        result.by_status[status] = result.by_status.get(status, 0) + 1
    summary = "、".join(f"{Status(s).label}{n}" for s, n in sorted(result.by_status.items()))
    log(f"       {community.name}：{len(orgs)}个承办机构 {len(ids)}件诉求（{summary}，{result.seconds:.1f}秒）")
    return result


def demo_step(demo) -> None:
    """The demo step (shell.py): appeals for the community the demo logins work in (linli.site.demo.Demo)."""
    build_demo_appeals(demo.street, demo.community, rng=demo.rng("appeals"), today=demo.today, log=demo.log)


def _date_rest(ids: list[int], last_message: int) -> None:
    """created_at, extension requests and the inbox: as of when things happened, not when the demo ran."""
    from django.db.models import F

    from linli.notifications.models import Notification

    Appeal.objects.filter(pk__in=ids).update(created_at=F("received_at"))
    first_event = AppealEvent.objects.filter(
        appeal=OuterRef("appeal_id"), action=EventAction.EXTENSION_REQUESTED
    ).values("at")[:1]
    ExtensionRequest.objects.filter(appeal_id__in=ids).update(requested_at=Subquery(first_event))
    finished = Appeal.objects.filter(pk__in=ids, status__in=FINISHED).values_list("pk", flat=True)
    urls = {reverse("appeals:appeal_detail", args=[pk]) for pk in finished}
    sent = Notification.objects.filter(pk__gt=last_message)
    sent.filter(url__in=urls).delete()
    open_at = dict(Appeal.objects.filter(pk__in=ids).exclude(status__in=FINISHED).values_list("pk", "updated_at"))
    for pk, at in open_at.items():
        sent.filter(url=reverse("appeals:appeal_detail", args=[pk])).update(created_at=at)
