"""The demo's party organisation (seed 003/004): 青和居's five levels — 工人村街大工委, 青和居社区大党委 with its 23
member units (驻区单位, schools, hospitals, enterprises, the property company, the owners' committee and the police's
community office, whose head sits on the 大党委 as 兼职委员), 青和居社区党委 and one 网格党支部 per grid (15) with
a few 党小组 — and its 164 members: the 40 residents tagged party_member in their grids' branches, 122 in-service
members (在职党员双报到) of the units, and two members recorded by name who serve here; three QR registrations
wait for the community's confirmation. 30 of the resident members' households are 党员中心户, each looking after
10–30 neighbouring households of its building. A year of 三会一课 with attendance (the twelve months before the demo's
day) has two gaps to show: 第3网格党支部 missed one month's 支部委员会 and 第7网格党支部 one quarter's 党课.
Members are paired with living-alone and empty-nest households (结对帮扶) with contact notes; the wishes demo's
party-member claimers and the volunteers demo's records of the same people are linked, so the service figures
(linli.party.service) count their hours and wishes; 民主评议 of last year for five branches.

Deterministic from the demo's seed and day (demo.rng("party"), querysets ordered before every draw). Everything
goes through linli.party.services except the year of meetings (written in bulk as services.record_meeting writes
them, with their change records: 600 separate calls took five seconds) and the 民主评议 rows (written through the
models: the organisational-life part's services were not on main when this was written).
"""

from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from linli.areas.models import Grid, Household
from linli.core import audit
from linli.core.audit import Actor
from linli.core.models import ChangeAction, ChangeRecord
from linli.party import services
from linli.party.choices import (
    Attendance,
    MeetingKind,
    MemberKind,
    MemberSource,
    MemberStatus,
    OrgForm,
    OrgKind,
    Rating,
    Review,
    UnitKind,
)
from linli.party.models import (
    MeetingAttendance,
    PartnerUnit,
    PartyMeeting,
    PartyMember,
    PartyOrg,
)
from linli.residents.models import Resident

ACTOR_LABEL = "演示数据"  # linli.site.demo.ACTOR_LABEL: a reset removes the change records of this label

#: (name, kind, party organisation, committee post, in-service members registered here). The first three and the
#: bank are the wishes demo's claimers' units (linli.wishes.demo.CLAIMERS).
UNITS = (
    ("青山区税务局", UnitKind.GOVERNMENT, "青山区税务局机关党支部", "兼职委员", 10),
    ("青山区住建局", UnitKind.GOVERNMENT, "青山区住建局机关第二党支部", "", 7),
    ("青山区第一小学", UnitKind.SCHOOL, "青山区第一小学党支部", "", 6),
    ("武汉农商银行青山支行", UnitKind.STATE_ENTERPRISE, "武汉农商银行青山支行党支部", "", 6),
    ("青和居物业服务中心", UnitKind.PROPERTY, "青和居物业服务中心党支部", "兼职委员", 3),
    ("青和居业主委员会", UnitKind.OWNERS_COMMITTEE, "", "兼职委员", 0),
    ("工人村街派出所青和居警务室", UnitKind.POLICE, "工人村街派出所党支部", "兼职委员", 2),
    ("武汉市第九医院", UnitKind.HOSPITAL, "武汉市第九医院内科党支部", "", 8),
    ("工人村街社区卫生服务中心", UnitKind.HOSPITAL, "工人村街社区卫生服务中心党支部", "兼职委员", 5),
    ("武钢有限公司冷轧厂", UnitKind.STATE_ENTERPRISE, "武钢有限公司冷轧厂第三党支部", "", 11),
    ("青山区人社局", UnitKind.GOVERNMENT, "青山区人社局机关党支部", "", 7),
    ("青山区民政局", UnitKind.GOVERNMENT, "青山区民政局机关党支部", "", 6),
    ("青山区城管执法局", UnitKind.GOVERNMENT, "青山区城管执法局第一党支部", "", 7),
    ("国网武汉市青山区供电公司", UnitKind.STATE_ENTERPRISE, "青山区供电公司营销党支部", "", 7),
    ("武汉市水务集团青山供水服务中心", UnitKind.STATE_ENTERPRISE, "青山供水服务中心党支部", "", 5),
    ("武汉市钢城第四中学", UnitKind.SCHOOL, "武汉市钢城第四中学党总支", "", 6),
    ("中国建设银行武汉青山支行", UnitKind.STATE_ENTERPRISE, "建行青山支行党支部", "", 5),
    ("青山区图书馆", UnitKind.INSTITUTION, "青山区文化和旅游局直属单位党支部", "", 4),
    ("中建三局第一建设工程有限责任公司", UnitKind.STATE_ENTERPRISE, "中建三局一公司机关第四党支部", "", 9),
    ("青山区益民社会工作服务中心", UnitKind.SOCIAL_ORG, "青山区益民社工党支部", "", 3),
    ("中百仓储青和居店", UnitKind.PRIVATE_ENTERPRISE, "中百仓储青山片区联合党支部", "", 2),
    ("青和居社区养老服务驿站", UnitKind.SOCIAL_ORG, "", "", 0),
    ("青山区消防救援大队", UnitKind.GOVERNMENT, "青山区消防救援大队党支部", "兼职委员", 3),
)
#: The wishes demo's party-member claimers (name -> (unit, status, phone)); 夏谋阶 is the demo login zhiyuan.
CLAIMER_MEMBERS = {
    "夏谋阶": ("青山区税务局", MemberStatus.IN_SERVICE, "13907140001"),
    "刘红梅": ("青山区住建局", MemberStatus.IN_SERVICE, "13907140002"),
    "黄丽": ("青山区第一小学", MemberStatus.IN_SERVICE, "13907140004"),
    "陈建国": ("", MemberStatus.FLOATING_IN, "13907140003"),
    "周志强": ("", MemberStatus.REGISTERED, "13907140005"),
}
#: (name, unit, phone) of the QR registrations waiting for the community.
PENDING = (
    ("罗文静", "青山区民政局", "13871230001"),
    ("彭志远", "中建三局第一建设工程有限责任公司", "13871230002"),
    ("万晓琳", "", "13871230003"),
)
GROUPED_GRIDS = (1, 2, 5)  # grid branches with two 党小组 each
GAPS = {3: (MeetingKind.COMMITTEE, 5), 7: (MeetingKind.LECTURE, 6)}  # grid -> (kind, month index it is missing in)
CENTRES, APPRAISED = 30, 5

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
GIVEN = (
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀英 霞 平 刚 桂英 建华 志刚 文静 海燕 俊 晓东 红 "
    "建国 玉兰 志强 丹 鹏 慧 斌 宇 浩 凯 雪 琳 晨 云 波 亮 婷 健 萍 立新 春华"
).split()
SKILLS = ("法律咨询", "医护", "水电维修", "书法", "心理疏导", "电脑手机教学", "文艺演出", "政策宣讲", "财会", "驾驶")
AVAILABILITY = ("周末上午", "周末下午", "工作日晚上", "每月第一个周六", "节假日")
LEAVE_REASONS = ("出差", "单位值班", "生病住院", "外出探亲", "照顾家人")
TOPICS = {
    MeetingKind.GENERAL: (
        "学习党的二十届四中全会精神",
        "讨论发展党员和预备党员转正",
        "支部年度工作总结",
        "党费收缴情况通报",
    ),
    MeetingKind.COMMITTEE: ("研究本月网格重点工作", "研究困难党员帮扶", "部署主题党日活动", "研究在职党员服务安排"),
    MeetingKind.GROUP: ("学习党章", "交流入户走访情况", "讨论楼栋微心愿认领", "学习身边先进典型"),
    MeetingKind.LECTURE: (
        "书记讲党课：基层治理中的党员作用",
        "党课：优良家风建设",
        "党课：学习党的纪律",
        "党课：践行群众路线",
    ),
    MeetingKind.THEME_DAY: ("清洁家园义务劳动", "为独居老人上门服务", "重温入党誓词", "参观武钢博物馆", "防汛安全宣传"),
}
PLACES = ("社区党群服务中心", "网格党员活动室", "青和居小区广场", "社区会议室")
SELF_TEXTS = (
    "本年度按时参加组织生活，积极参与网格走访和志愿服务，不足是理论学习还不够系统。",
    "认真履行党员义务，结对帮扶独居老人，今后要在带动群众方面多下功夫。",
    "能按时交纳党费，参加三会一课，工作较忙时参加社区服务偏少，明年改进。",
)
CONTACT_NOTES = (
    ("visit", "上门看望，老人身体还好，帮忙检查了燃气阀门。"),
    ("phone", "电话问候，提醒按时吃降压药。"),
    ("help", "代购药品和日用品送到家。"),
    ("visit", "陪老人聊天，了解到想报名社区老年食堂。"),
    ("wechat", "微信视频联系，老人子女在外地，已转告近况。"),
    ("help", "帮忙预约社区医院上门体检。"),
)


def _months(today: datetime.date) -> list[datetime.date]:
    """First days of the twelve full months before `today`'s month, oldest first."""
    first = today.replace(day=1)
    out = []
    for back in range(12, 0, -1):
        y, m = divmod(first.year * 12 + first.month - 1 - back, 12)
        out.append(datetime.date(y, m + 1, 1))
    return out


def _name(rng: random.Random, used: set[str]) -> str:
    while True:
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        if name not in used:
            used.add(name)
            return name


def _phone(rng: random.Random) -> str:
    return f"1{rng.choice('3578')}{rng.randrange(10)}{rng.randrange(10**8):08d}"


def _joined(rng: random.Random, today: datetime.date, probationary: bool) -> datetime.date:
    if probationary:
        return today - datetime.timedelta(days=rng.randrange(30, 330))
    return datetime.date(rng.randrange(1970, today.year - 1), rng.choice((1, 3, 6, 7, 10, 12)), 1)


class _Builder:
    def __init__(self, demo):
        self.demo, self.community, self.today = demo, demo.community, demo.today
        self.rng = demo.rng("party")
        self.actor = Actor.cli(ACTOR_LABEL)
        self.users = demo.users
        self.used_names: set[str] = set()

    # -- the five levels
    def orgs(self):
        community, users = self.community, self.users
        shuji, wangge = users.get("shuji"), {1: users.get("wangge1"), 2: users.get("wangge2")}
        street = services.save_org(
            PartyOrg(kind=OrgKind.STREET_COMMITTEE, name=f"{community.street.name}大工委", street=community.street),
            actor=self.actor,
        )
        committee = services.save_org(
            PartyOrg(
                kind=OrgKind.COMMUNITY_COMMITTEE,
                name=f"{community.name}大党委",
                parent=street,
                community=community,
                secretary_name=shuji.full_name if shuji else "",
            ),
            actor=self.actor,
        )
        self.community_org = services.save_org(
            PartyOrg(
                kind=OrgKind.COMMUNITY_ORG,
                name=f"{community.name}党委",
                form=OrgForm.COMMITTEE,
                parent=committee,
                secretary=shuji,
                secretary_name=shuji.full_name if shuji else "",
            ),
            actor=self.actor,
        )
        self.branches: dict[int, PartyOrg] = {}
        for grid in Grid.objects.filter(community=community).order_by("number"):
            login = wangge.get(grid.number)
            self.branches[grid.number] = services.save_org(
                PartyOrg(
                    kind=OrgKind.GRID_BRANCH,
                    name=f"{grid.name}党支部",
                    form=OrgForm.BRANCH,
                    parent=self.community_org,
                    grid=grid,
                    secretary=login,
                    secretary_name=login.full_name if login else "",
                    sort_order=grid.number,
                ),
                actor=self.actor,
            )
        self.groups: dict[int, list[PartyOrg]] = {}
        for number in GROUPED_GRIDS:
            if number in self.branches:
                branch = self.branches[number]
                self.groups[number] = [
                    services.save_org(
                        PartyOrg(kind=OrgKind.GROUP, name=f"{branch.name}第{label}党小组", parent=branch, sort_order=k),
                        actor=self.actor,
                    )
                    for k, label in ((1, "一"), (2, "二"))
                ]

    def units(self):
        registered = self.today - datetime.timedelta(days=400)
        self.units_by_name = {}
        for n, (name, kind, org_name, post, _count) in enumerate(UNITS):
            unit = PartnerUnit(
                community=self.community,
                name=name,
                kind=kind,
                party_org_name=org_name,
                contact_name=_name(self.rng, self.used_names),
                contact_phone=_phone(self.rng),
                in_committee=True,
                committee_post=post,
                dual_registered=bool(_count),
                registered_on=registered + datetime.timedelta(days=7 * n) if _count else None,
                service_pledge="认领楼栋微心愿，参加网格志愿服务，结对帮扶困难家庭。" if _count else "",
            )
            self.units_by_name[name] = services.save_unit(unit, actor=self.actor)

    # -- members
    def _save(self, **fields) -> PartyMember:
        rng = self.rng
        probationary = rng.random() < 0.04
        fields.setdefault("kind", MemberKind.PROBATIONARY if probationary else MemberKind.FULL)
        fields.setdefault("joined_on", _joined(rng, self.today, probationary))
        fields.setdefault("skills", rng.choice(SKILLS))
        fields.setdefault("availability", rng.choice(AVAILABILITY))
        return services.save_member(PartyMember(community=self.community, **fields), actor=self.actor)

    def members(self):
        rng, community = self.rng, self.community
        self.by_branch: dict[int, list[PartyMember]] = defaultdict(list)  # branch org id -> members
        residents = list(
            Resident.objects.filter(community=community, tags__code="party_member")
            .select_related("household__building", "grid")
            .order_by("pk")
        )
        volunteers = self._volunteers([r.pk for r in residents])
        jiang = self.users.get("wangge1")
        self.resident_members = []
        for resident in residents:
            branch = self.branches.get(resident.grid.number) if resident.grid_id else self.community_org
            branch = branch or self.community_org
            member = self._save(
                resident=resident,
                branch=branch,
                group=self._group(branch),
                volunteer_id=volunteers.get(resident.pk),
                user=jiang if jiang and resident.name == jiang.full_name else None,
            )
            self.by_branch[branch.pk].append(member)
            self.resident_members.append(member)
        self.used_names.update(r.name for r in residents)

        claimers = self._claimers()
        xia_volunteer = self._volunteer_by_name("夏谋阶")
        branches = [self.community_org, *self.branches.values()]
        self.in_service = []
        for name, (unit_name, status, phone) in CLAIMER_MEMBERS.items():
            self.used_names.add(name)
            branch = self.branches.get(3) if name == "周志强" else rng.choice(branches)
            member = self._save(
                name=name,
                phone=phone,
                branch=branch,
                group=self._group(branch),
                status=status,
                work_unit=self.units_by_name.get(unit_name),
                work_unit_name="武钢集团（退休）" if name == "陈建国" else "",
                claimer=claimers.get(name),
                volunteer=xia_volunteer if name == "夏谋阶" else None,
                user=self.users.get("zhiyuan") if name == "夏谋阶" else None,
            )
            self.by_branch[branch.pk].append(member)
            if status == MemberStatus.IN_SERVICE:
                self.in_service.append(member)
        taken = {u for u, s, _ in CLAIMER_MEMBERS.values() if s == MemberStatus.IN_SERVICE}
        for name, _kind, _org, _post, count in UNITS:
            unit = self.units_by_name[name]
            for _ in range(count - (name in taken)):
                branch = rng.choice(branches)
                member = self._save(
                    name=_name(rng, self.used_names),
                    phone=_phone(rng),
                    branch=branch,
                    group=self._group(branch),
                    status=MemberStatus.IN_SERVICE,
                    work_unit=unit,
                )
                self.by_branch[branch.pk].append(member)
                self.in_service.append(member)
        for name, unit_name, phone in PENDING:
            self.used_names.add(name)
            self._save(
                name=name,
                phone=phone,
                status=MemberStatus.IN_SERVICE,
                work_unit=self.units_by_name.get(unit_name),
                work_unit_name="" if unit_name else "武汉市第十一中学",
                source=MemberSource.SELF,
                review=Review.PENDING,
                note="扫码报到，待社区确认",
            )

    def _group(self, branch):
        groups = self.groups.get(branch.grid.number) if branch.grid_id else None
        return self.rng.choice(groups) if groups else None

    def _volunteers(self, resident_ids) -> dict[int, int]:
        from linli.volunteers.models import Volunteer

        rows = Volunteer.objects.filter(community=self.community, resident_id__in=resident_ids).order_by("pk")
        return dict(rows.values_list("resident_id", "pk"))

    def _volunteer_by_name(self, name):
        from linli.volunteers.models import Volunteer

        return Volunteer.objects.filter(community=self.community, name=name).order_by("pk").first()

    def _claimers(self) -> dict:
        from linli.wishes.models import Claimer

        rows = Claimer.objects.filter(community=self.community, name__in=list(CLAIMER_MEMBERS)).order_by("pk")
        return {c.name: c for c in rows}

    def secretaries(self):
        """A branch without a demo login gets its secretary's name: its longest-standing resident member."""
        for org in self.branches.values():
            if org.secretary_name:
                continue
            residents = [m for m in self.by_branch[org.pk] if m.resident_id]
            pool = residents or self.by_branch[org.pk]
            if pool:
                org.secretary_name = min(pool, key=lambda m: (m.joined_on, m.pk)).name
                services.save_org(org, actor=self.actor)
        for number, groups in self.groups.items():
            for group in groups:
                pool = [m for m in self.by_branch[self.branches[number].pk] if m.group_id == group.pk]
                if pool:
                    group.secretary_name = min(pool, key=lambda m: (m.joined_on, m.pk)).name
                    services.save_org(group, actor=self.actor)

    # -- 党员中心户
    def centres(self):
        rng = self.rng
        candidates, homes = [], set()
        for member in self.resident_members:
            if member.resident.household_id not in homes:
                homes.add(member.resident.household_id)
                candidates.append(member)
        chosen = sorted(rng.sample(candidates, min(CENTRES, len(candidates))), key=lambda m: m.pk)
        buildings = {m.resident.household.building_id for m in chosen}
        occupied = set(
            Resident.objects.filter(building_id__in=buildings).order_by().values_list("household_id", flat=True)
        )
        by_building = defaultdict(list)
        for h in Household.objects.filter(building_id__in=buildings).select_related("building").order_by("pk"):
            if h.pk in occupied:
                by_building[h.building_id].append(h)
        taken = set(homes)
        self.centre_count = 0
        for member in chosen:
            home = member.resident.household
            near = sorted(
                (h for h in by_building[home.building_id] if h.pk not in taken),
                key=lambda h: (h.entrance != home.entrance, abs(h.floor - home.floor), h.room),
            )
            covered = near[: rng.randint(10, 30)]
            taken.update(h.pk for h in covered)
            since = self.today - datetime.timedelta(days=rng.randrange(200, 1500))
            services.set_centre(member, actor=self.actor, household=home, covered=covered, since=since)
            self.centre_count += 1

    # -- 结对帮扶
    def pairings(self):
        rng, today = self.rng, self.today
        need = {}
        rows = (
            Resident.objects.filter(community=self.community, tags__code__in=("living_alone", "empty_nest"))
            .order_by("household_id")
            .values_list("household_id", "grid__number", "tags__code")
        )
        for household_id, grid, tag in rows:
            need.setdefault(household_id, (grid, tag))
        by_grid = defaultdict(list)
        for household_id, (grid, tag) in need.items():
            by_grid[grid].append((household_id, tag))
        households = Household.objects.select_related("building").in_bulk(list(need))
        grid_of = {b.pk: n for n, b in self.branches.items()}
        pairs = []
        members = sorted(
            rng.sample(self.resident_members, min(20, len(self.resident_members)))
            + rng.sample(self.in_service, min(25, len(self.in_service))),
            key=lambda m: m.pk,
        )
        for member in members:
            grid = grid_of.get(member.branch_id) or rng.choice(sorted(by_grid))
            pool = by_grid.get(grid) or []
            if not pool:
                continue
            household_id, tag = pool.pop(rng.randrange(len(pool)))
            started = today - datetime.timedelta(days=rng.randrange(120, 420))
            text = "独居老人：每周电话问候，代购药品" if tag == "living_alone" else "空巢老人：定期上门看望，帮办小事"
            pairing = services.pair(member, households[household_id], actor=self.actor, started_on=started, need=text)
            pairs.append(pairing)
            first = max(started, today - datetime.timedelta(days=360))
            span = (today - first).days
            for day in sorted(rng.sample(range(1, span), min(span - 1, rng.randint(2, 8)))):
                kind, note = rng.choice(CONTACT_NOTES)
                services.add_contact(
                    pairing, actor=self.actor, contacted_on=first + datetime.timedelta(days=day), note=note, kind=kind
                )
        self.pairing_count = len(pairs)

    # -- 三会一课
    def meetings(self):
        months = _months(self.today)
        self.pending_meetings = []
        quarters = defaultdict(list)
        for index, month in enumerate(months):
            quarters[(month.year, (month.month - 1) // 3)].append(index)
        # Quarterly kinds once in each quarter of the window: 党员大会 in its first month, 党课 in its second.
        general_at = {q[0] for q in quarters.values()}
        lecture_at = {q[1] if len(q) > 1 else q[0] for q in quarters.values()}
        branches = [(0, self.community_org), *self.branches.items()]
        for number, org in branches:
            members = self.by_branch[org.pk]
            gap = GAPS.get(number)
            for index, month in enumerate(months):
                kinds = [MeetingKind.COMMITTEE, MeetingKind.THEME_DAY]
                if index in general_at:
                    kinds.append(MeetingKind.GENERAL)
                if index in lecture_at:
                    kinds.append(MeetingKind.LECTURE)
                for kind in kinds:
                    if gap and kind == gap[0] and self._same_period(kind, months[gap[1]], month):
                        continue
                    self._meeting(org, kind, month, members)
                for group in self.groups.get(number, ()):
                    self._meeting(group, MeetingKind.GROUP, month, [m for m in members if m.group_id == group.pk])
        self._write_meetings()

    @staticmethod
    def _same_period(kind, gap_month, month) -> bool:
        if kind == MeetingKind.LECTURE:
            return (gap_month.year, (gap_month.month - 1) // 3) == (month.year, (month.month - 1) // 3)
        return gap_month == month

    def _meeting(self, org, kind, month, members):
        """One meeting with its attendance, kept to be written in bulk (`_write_meetings`)."""
        rng = self.rng
        held = month.replace(day=rng.randint(3, 26))
        attendance = {}
        for member in members:
            roll = rng.random()
            if roll < 0.85:
                attendance[member.pk] = (Attendance.PRESENT, "")
            elif roll < 0.96:
                attendance[member.pk] = (Attendance.LEAVE, rng.choice(LEAVE_REASONS))
            else:
                attendance[member.pk] = (Attendance.ABSENT, "")
        topic = rng.choice(TOPICS[kind])
        present = sum(s == Attendance.PRESENT for s, _ in attendance.values())
        meeting = PartyMeeting(
            org=org,
            community_id=org.community_id,
            street_id=org.street_id,
            kind=kind,
            held_on=held,
            topic=f"{held.month}月{topic}" if kind in (MeetingKind.COMMITTEE, MeetingKind.THEME_DAY) else topic,
            place=rng.choice(PLACES),
            host=org.secretary_name,
            minutes=f"应到{len(members)}人，实到{present}人。会议围绕“{topic}”进行了学习讨论，形成会议记录。",
        )
        self.pending_meetings.append((meeting, attendance))

    def _write_meetings(self):
        """A year of meetings is history, not 600 separate actions: the rows as services.record_meeting writes them
        (every member of the organisation listed, each meeting with its change record), in three inserts."""
        meetings = [m for m, _ in self.pending_meetings]
        PartyMeeting.objects.bulk_create(meetings, batch_size=500)
        MeetingAttendance.objects.bulk_create(
            [
                MeetingAttendance(meeting=m, member_id=member_id, status=status, reason=reason)
                for m, attendance in self.pending_meetings
                for member_id, (status, reason) in attendance.items()
            ],
            batch_size=2000,
        )
        content_type = ContentType.objects.get_for_model(PartyMeeting)
        ChangeRecord.objects.bulk_create(
            [
                ChangeRecord(
                    actor_label=ACTOR_LABEL,
                    source=self.actor.source,
                    action=ChangeAction.CREATE,
                    content_type=content_type,
                    object_id=m.pk,
                    object_repr=str(m)[:200],
                    changes=audit.diff(
                        None,
                        audit.snapshot(m) | {"出席人数": sum(s == Attendance.PRESENT for s, _ in a.values())},
                    ),
                )
                for m, a in self.pending_meetings
            ],
            batch_size=500,
        )
        self.meeting_count = len(meetings)

    # -- 民主评议 of last year, through the services a branch secretary's page uses (opened, rated, finalised)
    def appraisals(self):
        from linli.party import services_life

        rng, year = self.rng, self.today.year - 1
        for number in sorted(self.branches)[:APPRAISED]:
            org = self.branches[number]
            held_on = datetime.date(year, 12, rng.randint(10, 28))
            appraisal = services_life.start_appraisal(org, actor=self.actor, year=year, held_on=held_on)
            ratings = {}
            for entry in appraisal.entries.order_by("member__name", "member_id"):
                roll = rng.random()
                rating = Rating.EXCELLENT if roll < 0.2 else Rating.BASIC if roll > 0.97 else Rating.QUALIFIED
                ratings[entry.pk] = (rng.choice(SELF_TEXTS), rating)
            services_life.save_entries(appraisal, actor=self.actor, entries=ratings)
            services_life.finalise_appraisal(appraisal, actor=self.actor, today=self.today)


@transaction.atomic
def build_party(demo) -> None:
    """The party organisation of the community the demo logins work in (see the module docstring)."""
    started = time.perf_counter()
    builder = _Builder(demo)
    builder.orgs()
    builder.units()
    builder.members()
    builder.secretaries()
    builder.centres()
    builder.pairings()
    builder.meetings()
    builder.appraisals()
    members = PartyMember.objects.filter(community=demo.community).active().count()
    demo.log(
        f"       党建：{len(builder.branches)}个网格党支部 {len(UNITS)}个共建单位 {members}名党员"
        f"（{len(builder.in_service)}名在职党员）{builder.centre_count}个党员中心户 {builder.pairing_count}对结对帮扶 "
        f"{builder.meeting_count}次三会一课（{time.perf_counter() - started:.1f}秒）"
    )


def demo_step(demo) -> None:
    """The demo step (shell.py)."""
    build_party(demo)
