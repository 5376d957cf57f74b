"""帮扶与共建 demo for 青和居 (the demo community): 23 resident units and organisations (驻区单位, 社会组织, 业委会,
物业, 7 好商家 with offers) and their 共建项目; pairings of households in need with volunteers and units, so that
with the party demo's member pairings the community has at least 30; a year of assistance (festival visits at
春节 and 中秋, 临时救助, donated goods, unit and love-bank help).

Deterministic from the demo's seed and day (demo.rng("support"), querysets ordered before every draw); dates are
relative to demo.today. Linked rows (volunteer teams, wish claimers, party 共建单位) are found by name when the
other steps made them.
"""

from __future__ import annotations

import datetime
import time
from decimal import Decimal

from linli.areas.models import Household
from linli.core.audit import Actor
from linli.party.models import Pairing, PartnerUnit
from linli.residents.models import Resident
from linli.support import services
from linli.support.choices import (
    CARE_TAGS,
    AssistanceKind,
    AssistanceSource,
    ContributionKind,
    HelperKind,
    OrganisationKind,
)
from linli.support.models import Organisation
from linli.volunteers.models import Volunteer
from linli.wishes.models import Claimer

ACTOR_LABEL = "演示数据"  # linli.site.demo.ACTOR_LABEL: a reset removes the change records of this label
#: At least this many pairings (party and help) in the demo community.
PAIRINGS_WANTED = 30

# name, kind, offer (好商家), contributions [(title, kind)]
ORGS = [
    ("青和居小学", OrganisationKind.RESIDENT_UNIT, "", [("四点半学校志愿辅导", ContributionKind.SERVICE)]),
    ("青山区实验中学", OrganisationKind.RESIDENT_UNIT, "", [("暑期青少年活动场地", ContributionKind.VENUE)]),
    ("区人民医院青和分院", OrganisationKind.RESIDENT_UNIT, "", [("每月义诊", ContributionKind.SERVICE)]),
    ("工商银行青和支行", OrganisationKind.RESIDENT_UNIT, "", [("防诈骗宣讲", ContributionKind.SERVICE)]),
    ("青和派出所", OrganisationKind.RESIDENT_UNIT, "", [("平安小区巡逻", ContributionKind.SERVICE)]),
    ("区税务局第二分局", OrganisationKind.RESIDENT_UNIT, "", [("节日慰问困难户", ContributionKind.MONEY)]),
    ("供电所青和班组", OrganisationKind.RESIDENT_UNIT, "", [("老旧线路义务检修", ContributionKind.SERVICE)]),
    ("邮政青和营业所", OrganisationKind.RESIDENT_UNIT, "", [("为老人代寄代取", ContributionKind.SERVICE)]),
    ("物美超市青和店", OrganisationKind.RESIDENT_UNIT, "", [("爱心物资捐赠", ContributionKind.GOODS)]),
    ("青和社工服务站", OrganisationKind.SOCIAL_ORG, "", [("独居老人关爱项目", ContributionKind.SERVICE)]),
    ("夕阳红互助会", OrganisationKind.SOCIAL_ORG, "", [("老人结对互助", ContributionKind.SERVICE)]),
    ("青和书画协会", OrganisationKind.SOCIAL_ORG, "", [("书法公益课", ContributionKind.SERVICE)]),
    ("阳光助残服务中心", OrganisationKind.SOCIAL_ORG, "", [("残疾人康复陪伴", ContributionKind.SERVICE)]),
    ("青和居业主委员会", OrganisationKind.OWNERS_COMMITTEE, "", [("楼道清理动员", ContributionKind.SERVICE)]),
    ("青和居物业服务中心", OrganisationKind.PROPERTY, "", [("困难户免费维修", ContributionKind.SERVICE)]),
    ("绿城物业青和项目部", OrganisationKind.PROPERTY, "", [("保安岗位优先招聘居民", ContributionKind.JOBS)]),
    (
        "老张理发店",
        OrganisationKind.MERCHANT,
        "70岁以上老人理发九折，行动不便可上门",
        [("每月上门理发", ContributionKind.SERVICE)],
    ),
    ("好邻居便利店", OrganisationKind.MERCHANT, "爱心银行积分兑换米面油", [("积分兑换点", ContributionKind.GOODS)]),
    ("仁心大药房", OrganisationKind.MERCHANT, "免费量血压，老人购药九五折", [("健康咨询", ContributionKind.SERVICE)]),
    ("巧手裁缝铺", OrganisationKind.MERCHANT, "困难家庭缝补免费", [("免费缝补", ContributionKind.SERVICE)]),
    ("百味早餐店", OrganisationKind.MERCHANT, "独居老人早餐八折", [("助餐点", ContributionKind.SERVICE)]),
    ("明亮眼镜店", OrganisationKind.MERCHANT, "老人验光免费", [("老花镜捐赠", ContributionKind.GOODS)]),
    ("家电维修小李", OrganisationKind.MERCHANT, "低保户上门维修免工时费", [("家电义修", ContributionKind.SERVICE)]),
]

STREETS = ["青和路", "青山大道", "和平街", "育才路"]
FESTIVALS = [((1, 20), "春节慰问：米面油一套"), ((9, 10), "中秋慰问：月饼、食用油")]


class _Builder:
    def __init__(self, demo):
        self.demo, self.community, self.today = demo, demo.community, demo.today
        self.rng = demo.rng("support")
        self.actor = Actor.cli(ACTOR_LABEL)

    def orgs(self) -> list[Organisation]:
        rng, community = self.rng, self.community
        units = {u.name: u for u in PartnerUnit.objects.filter(community=community).order_by("pk")}
        claimers = {c.name: c for c in Claimer.objects.filter(community=community, kind="organisation").order_by("pk")}
        made = []
        for i, (name, kind, offer, projects) in enumerate(ORGS):
            org = Organisation(
                community=community,
                name=name,
                kind=kind,
                contact_name=rng.choice("王李张刘陈杨赵黄周吴") + rng.choice(["经理", "老师", "主任", "师傅"]),
                contact_phone=f"139{rng.randrange(10**8):08d}",
                address=f"{STREETS[i % len(STREETS)]}{rng.randrange(1, 300)}号",
                offer=offer,
                merchant_year=self.today.year - rng.randrange(0, 3) if kind == OrganisationKind.MERCHANT else None,
                partner_unit=units.get(name),
                claimer=claimers.get(name),
            )
            org = services.save_organisation(org, actor=self.actor)
            for title, ckind in projects:
                start = self.today - datetime.timedelta(days=rng.randrange(60, 700))
                services.add_contribution(org, actor=self.actor, title=title, kind=ckind, started_on=start)
            made.append(org)
        return made

    def in_need(self) -> list[Household]:
        ids = (
            Resident.objects.active()
            .filter(community=self.community, tags__code__in=CARE_TAGS)
            .order_by("household_id")
            .values_list("household_id", flat=True)
            .distinct()
        )
        return list(Household.objects.filter(pk__in=list(ids)).select_related("building").order_by("pk"))

    def pairings(self, orgs, households) -> list:
        rng = self.rng
        party = Pairing.objects.filter(community=self.community, ended_on__isnull=True)
        taken = set(party.values_list("household_id", flat=True))
        wanted = max(15, PAIRINGS_WANTED - party.count())
        free = [h for h in households if h.pk not in taken]
        volunteers = list(Volunteer.objects.filter(community=self.community, is_active=True).order_by("pk"))
        helpers = [
            o
            for o in orgs
            if o.kind in (OrganisationKind.SOCIAL_ORG, OrganisationKind.MERCHANT, OrganisationKind.RESIDENT_UNIT)
        ]
        made = []
        for i, household in enumerate(rng.sample(free, min(wanted, len(free)))):
            started = self.today - datetime.timedelta(days=rng.randrange(90, 500))
            if i % 3 == 2 or not volunteers:
                fields = {"helper_kind": HelperKind.ORGANISATION, "organisation": rng.choice(helpers)}
            else:
                fields = {"helper_kind": HelperKind.VOLUNTEER, "volunteer": rng.choice(volunteers)}
            if fields.get("volunteer") and any(
                p.household_id == household.pk and p.volunteer_id == fields["volunteer"].pk for p in made
            ):
                continue
            pairing = services.pair(
                household, actor=self.actor, started_on=started, need="定期上门看望，帮办小事", **fields
            )
            for day in sorted(rng.sample(range(1, 80), 3)):
                services.add_contact(
                    pairing,
                    actor=self.actor,
                    contacted_on=self.today - datetime.timedelta(days=day),
                    note=rng.choice(["上门看望，聊了家常。", "电话问候，身体还好。", "帮忙买菜、取药。"]),
                    kind=rng.choice(["visit", "phone", "errand"]),
                )
            made.append(pairing)
        return made

    def assistance(self, orgs, households, pairings) -> int:
        rng, today, n = self.rng, self.today, 0
        year = today.year
        for (month, day), text in FESTIVALS:
            when = datetime.date(year, month, day)
            if when > today:
                when = when.replace(year=year - 1)
            visited = [household for household in households if rng.random() < 0.7]
            services.record_assistance_many(
                visited, actor=self.actor, given_on=when, kind=AssistanceKind.GOODS, description=text,
                source=AssistanceSource.PROGRAMME, programme="节日慰问", quantity=1, given_by="社区工作人员",
            )  # fmt: skip
            n += len(visited)
        donors = [o for o in orgs if o.kind in (OrganisationKind.RESIDENT_UNIT, OrganisationKind.MERCHANT)]
        for household in rng.sample(households, min(12, len(households))):
            when = today - datetime.timedelta(days=rng.randrange(1, 330))
            choice = rng.randrange(3)
            if choice == 0:
                fields = {
                    "kind": AssistanceKind.MONEY,
                    "description": "临时救助金",
                    "source": AssistanceSource.PROGRAMME,
                    "programme": "临时救助",
                    "amount": Decimal(rng.choice([500, 800, 1000])),
                }
            elif choice == 1:
                fields = {
                    "kind": AssistanceKind.GOODS,
                    "description": rng.choice(["棉被一床", "电暖器一台", "书包文具"]),
                    "source": AssistanceSource.DONATION,
                    "quantity": 1,
                }
            else:
                fields = {
                    "kind": AssistanceKind.SERVICE,
                    "description": rng.choice(["上门理发", "家电维修", "义诊"]),
                    "source": AssistanceSource.UNIT,
                    "organisation": rng.choice(donors),
                }
            services.record_assistance(household, actor=self.actor, given_on=when, **fields)
            n += 1
        for pairing in pairings[:8]:
            services.record_assistance(
                pairing.household, actor=self.actor, given_on=today - datetime.timedelta(days=rng.randrange(1, 60)),
                kind=AssistanceKind.SERVICE, description="陪同就医", source=AssistanceSource.PAIRING, pairing=pairing,
            )  # fmt: skip
            n += 1
        return n


def demo_step(demo) -> None:
    """The demo step (shell.py)."""
    started = time.perf_counter()
    builder = _Builder(demo)
    orgs = builder.orgs()
    households = builder.in_need()
    pairings = builder.pairings(orgs, households)
    records = builder.assistance(orgs, households, pairings)
    party = Pairing.objects.filter(community=demo.community, ended_on__isnull=True).count()
    demo.log(
        f"       帮扶与共建：{len(orgs)}个驻区单位和组织 {len(pairings)}对志愿者/单位结对（连同党员结对共"
        f"{len(pairings) + party}对） {records}条帮扶记录（{time.perf_counter() - started:.1f}秒）"
    )
