"""Votes for tests and the scope matrix: a matter and a vote in 东一社区 (e1: both its buildings) and in 西一社区."""

from __future__ import annotations

from decimal import Decimal

from linli.areas.models import Household
from linli.deliberation.choices import MatterScope, MatterStatus
from linli.deliberation.models import Matter
from linli.testing import SYSTEM
from linli.votes import services
from linli.votes.choices import Channel, Choice, VoteRule


def make_matter(
    community, title="楼道加装照明", *, scope=MatterScope.COMMUNITY, buildings=(), status=MatterStatus.HEARING
):
    """A matter being heard (征求意见): the stage a vote opens from."""
    matter = Matter.objects.create(community=community, title=title, scope=scope, status=status)
    if buildings:
        matter.buildings.set(buildings)
    return matter


def open_vote(community, *, title="是否同意加装楼道照明", rule=VoteRule.ORDINARY, secret=True, **kw):
    matter = kw.pop("matter", None) or make_matter(community)
    vote = services.create_vote(actor=SYSTEM, matter=matter, title=title, rule=rule, secret=secret, **kw)
    return services.open_vote(vote, actor=SYSTEM)


def cast(vote, resident, choice=Choice.FOR, channel=Channel.DOOR, **kw):
    return services.cast_ballot(SYSTEM, vote, resident.household, choice, resident, channel, **kw)


def set_area(household, area):
    Household.objects.filter(pk=household.pk).update(floor_area=None if area is None else Decimal(area))


def matrix_objects(world) -> dict:
    """objects["votes"]["e1"|"w1"]: an open, non-secret vote with one ballot each (张三, 孙七); ["draft_votes"];
    ["vote_matters"] for the add page; ["closed_votes"]["e1"] for the public result page."""
    votes, drafts, matters = {}, {}, {}
    for key, resident in (("e1", "zhang"), ("w1", "sun")):
        community = world.communities[key]
        matters[key] = matter = make_matter(community)
        votes[key] = vote = open_vote(community, matter=matter, secret=False)
        cast(vote, world.residents[resident])
        drafts[key] = services.create_vote(actor=SYSTEM, matter=matter, title="草稿表决")
    closed = open_vote(world.communities["e1"], matter=matters["e1"], title="已结束的表决")
    cast(closed, world.residents["wang"], Choice.AGAINST)
    services.close_vote(closed, actor=SYSTEM)
    return {"votes": votes, "draft_votes": drafts, "vote_matters": matters, "closed_votes": {"e1": closed}}
