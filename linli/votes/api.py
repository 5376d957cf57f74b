"""表决 over the JSON API (read): votes and their results, never ballots.

Rows start from Vote.objects.restrict(request.auth_user) (a resident: the votes of their own household); the list
filters through VoteFilterSet as the list page does. A result is the frozen one of a closed vote, or the live
counts of an open one: households and area, each threshold with its arithmetic, and counts by building.
"""

import datetime
from typing import Annotated

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from linli.accounts.api_schemas import CommunityId, CommunityName
from linli.core.api_pagination import LinliPagination
from linli.core.filtersets import api_data, api_rows
from linli.core.params import MAX_ID
from linli.core.querysets import require_perm
from linli.votes import services
from linli.votes.choices import VoteRule, VoteStatus
from linli.votes.filtersets import VoteFilterSet
from linli.votes.models import Vote
from linli.votes.tally import Tally

router = Router(tags=["表决"])

NOT_IN_SCOPE = "找不到这个表决，或不在您的管辖范围内。"
VoteId = Annotated[int, Path(ge=1, le=MAX_ID)]


class VoteFilterParams(Schema):
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    status: VoteStatus | None = Field(None, description="，".join(f"{s.value} {s.label}" for s in VoteStatus))


class VoteSchema(Schema):
    id: int
    title: str
    matter_id: int
    community_id: CommunityId
    community: CommunityName
    status: VoteStatus
    rule: VoteRule = Field(description="，".join(f"{r.value} {r.label}" for r in VoteRule))
    weigh_by_area: bool
    secret: bool
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    closed_at: datetime.datetime | None


class ThresholdSchema(Schema):
    label: str
    text: str = Field(description="如“参与户数 312/450 = 69.3% ≥ 66.7% 达到”")
    met: bool


class BuildingTurnoutSchema(Schema):
    building: str
    eligible: int
    participating: int
    yes: int = Field(description="同意户数")
    no: int = Field(description="不同意户数")
    abstain: int = Field(description="弃权户数")


class CountsSchema(Schema):
    eligible: int
    participating: int
    yes: int
    no: int
    abstain: int
    eligible_area: str = Field(description="有表决权的建筑面积（㎡）")
    participating_area: str
    yes_area: str
    households_without_area: int = Field(description="没有登记建筑面积的户（按0㎡计）")


class ResultSchema(Schema):
    vote: VoteSchema
    final: bool = Field(description="true：表决已结束，结果已固定")
    passed: bool
    counts: CountsSchema
    thresholds: list[ThresholdSchema]
    buildings: list[BuildingTurnoutSchema]


def _votes(request):
    user = request.auth_user
    if not (user.is_superuser or user.has_role_perm("vote.view") or user.has_role_perm("vote.cast_self")):
        require_perm(user, "vote.view")
    return Vote.objects.restrict(user).select_related("community")


def _result(vote: Vote, t: Tally) -> dict:
    c = t.counts
    return {
        "vote": vote,
        "final": vote.status == VoteStatus.CLOSED,
        "passed": t.passed,
        "counts": {
            "eligible": c.eligible,
            "participating": c.participating,
            "yes": c.yes,
            "no": c.no,
            "abstain": c.abstain,
            "eligible_area": f"{c.eligible_area:.2f}",
            "participating_area": f"{c.participating_area:.2f}",
            "yes_area": f"{c.yes_area:.2f}",
            "households_without_area": c.without_area,
        },
        "thresholds": [{"label": th.label, "text": th.text, "met": th.met} for th in t.thresholds],
        "buildings": [vars(b) for b in t.buildings],
    }


@router.get("", response=list[VoteSchema], summary="表决列表（状态、社区筛选，分页）")
@paginate(LinliPagination)
def vote_list(request, filters: Query[VoteFilterParams]):
    """管辖范围内的表决（居民：本户有表决权的表决），新登记的在前。"""
    user = request.auth_user
    return api_rows(VoteFilterSet(api_data(filters), _votes(request), user=user)).order_by("-created_at", "-id")


@router.get(
    "/{vote_id}/result",
    response=ResultSchema,
    summary="表决结果（户数、面积、各项通过条件及算式、按楼栋计数；不含表决票）",
)
def vote_result(request, vote_id: VoteId):
    vote = _votes(request).exclude(status=VoteStatus.DRAFT).filter(pk=vote_id).first()
    if vote is None:
        raise Http404(NOT_IN_SCOPE)
    return _result(vote, services.tally(vote))
