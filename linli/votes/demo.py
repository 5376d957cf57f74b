"""The demo's votes in 青和居: an open vote on a lift for 3栋 (民法典重大事项, by households and floor area, ballots
from about half its households: some on paper, some at the door, one replaced; the matter is 表决中) and a closed
vote (使用维修资金 for the roofs of 1栋 and 2栋) whose result is published as its matter's 公示 (the public board
shows it once, as a publication). Households of the buildings concerned get a floor area (60–120 ㎡)."""

from __future__ import annotations

from decimal import Decimal

from linli.areas.models import Building, Household
from linli.core.audit import Actor
from linli.deliberation import services as matters
from linli.deliberation.choices import MatterScope
from linli.deliberation.models import Matter
from linli.residents.models import Resident
from linli.votes import services
from linli.votes.choices import Channel, Choice, VoteRule

ACTOR = Actor.cli("演示数据")


def _matter(community, title, scope, buildings=(), description=""):
    """The matter (raised by the deliberation demo, or here when it did not run): being heard (征求意见) until the
    vote opens and moves it to 表决中."""
    matter = Matter.objects.filter(community=community, title=title).first()
    if matter is None:
        matter = matters.raise_matter(
            actor=ACTOR, community=community, title=title, description=description, scope=scope, buildings=buildings
        )
    return matter


def _areas(rng, buildings):
    """Areas for the buildings' households, once (a second demo run changes nothing)."""
    if Household.objects.filter(building__in=buildings, floor_area__isnull=False).exists():
        return
    households = list(Household.objects.filter(building__in=buildings))
    for h in households:
        if rng.random() < 0.92:  # a few households never told us their area
            h.floor_area = Decimal(rng.randint(6000, 12000)) / 100
    Household.objects.bulk_update(households, ["floor_area"], batch_size=500)


def _representatives(buildings) -> dict[int, Resident]:
    reps = {}
    for r in Resident.objects.filter(household__building__in=buildings, status="active").order_by("household_id", "id"):
        reps.setdefault(r.household_id, r)
    return reps


def demo_step(demo) -> None:
    rng = demo.rng("votes")
    community = demo.community
    b3 = Building.objects.filter(community=community, number=3).first()
    if b3 is None:
        return
    _areas(rng, [b3])
    lift = _matter(
        community,
        "3栋加装电梯",
        MatterScope.BUILDING,
        [b3],
        description="3栋是1990年代的6层老楼，住着不少老人，居民提出加装电梯，费用按楼层分摊，政府补贴一部分。",
    )
    if not lift.votes.exists():
        vote = services.create_vote(
            actor=ACTOR,
            matter=lift,
            title="是否同意3栋加装电梯",
            proposal="每个单元加装一部电梯，总费用约60万元，政府补贴20万元，其余按楼层分摊（一楼不出资）。",
            rule=VoteRule.CIVIL_CODE_MAJOR,
            weigh_by_area=True,
            secret=True,
        )
        vote = services.open_vote(vote, actor=ACTOR)
        reps = _representatives([b3])
        households = sorted(reps)
        taking_part = rng.sample(households, len(households) // 2)
        for n, household_id in enumerate(sorted(taking_part)):
            rep = reps[household_id]
            choice = rng.choices([Choice.FOR, Choice.AGAINST, Choice.ABSTAIN], weights=[7, 2, 1])[0]
            if n % 3 == 0:
                services.cast_ballot(
                    ACTOR, vote, rep.household, choice, rep, Channel.PAPER, paper_number=f"3D-{n + 1:03d}"
                )
            else:
                services.cast_ballot(ACTOR, vote, rep.household, choice, rep, Channel.DOOR)
        if taking_part:  # one household changed its mind: the second ballot replaces the first
            rep = reps[sorted(taking_part)[1 if len(taking_part) > 1 else 0]]
            services.cast_ballot(ACTOR, vote, rep.household, Choice.FOR, rep, Channel.DOOR)

    grid_buildings = list(Building.objects.filter(community=community, number__in=[1, 2]))
    if not grid_buildings:
        return
    _areas(rng, grid_buildings)
    roofs = _matter(
        community,
        "1栋、2栋屋面防水维修",
        MatterScope.BUILDINGS,
        grid_buildings,
        description="1栋、2栋顶楼住户反映雨天屋顶渗水，物业查看后建议整体重做屋面防水，需要使用专项维修资金。",
    )
    if not roofs.votes.exists():
        vote = services.create_vote(
            actor=ACTOR,
            matter=roofs,
            title="是否同意使用专项维修资金维修1栋和2栋屋面防水",  # "1栋、2栋" reads as a room to the anonymiser
            proposal="两栋楼屋面整体重做防水，预算约18万元，从两栋楼的专项维修资金中按建筑面积分摊列支。",
            rule=VoteRule.CIVIL_CODE_MAJOR,
            weigh_by_area=True,
            secret=True,
        )
        vote = services.open_vote(vote, actor=ACTOR)
        reps = _representatives(grid_buildings)
        for household_id in sorted(rng.sample(sorted(reps), int(len(reps) * 0.8))):
            rep = reps[household_id]
            choice = rng.choices([Choice.FOR, Choice.AGAINST, Choice.ABSTAIN], weights=[17, 2, 1])[0]
            services.cast_ballot(ACTOR, vote, rep.household, choice, rep, Channel.DOOR)
        services.close_vote(vote, actor=ACTOR)
    demo.log("表决：3栋加装电梯（进行中）、屋面防水维修使用维修资金（已结束并公示）")
