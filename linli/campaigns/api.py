"""专项工作 over the JSON API: campaigns with their progress, a campaign's targets (minimal personal data: name,
place, age and outcome; no ID number, no phone) and recording an outcome.

Rows start from restrict(request.auth_user); the lists filter through the pages' FilterSets.
"""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from linli.accounts.api_schemas import CommunityId, CommunityName
from linli.campaigns import services
from linli.campaigns.choices import CampaignStatus
from linli.campaigns.filtersets import STATE_CHOICES, CampaignFilterSet, CampaignTargetFilterSet
from linli.campaigns.models import Campaign, CampaignTarget
from linli.core.api_pagination import LinliPagination
from linli.core.audit import actor_of
from linli.core.filtersets import api_data, api_rows
from linli.core.params import MAX_ID
from linli.residents.idcard import age_on

router = Router(tags=["专项工作"])

TargetId = Annotated[int, Path(ge=1, le=MAX_ID)]


class CampaignFilterParams(Schema):
    q: str | None = Field(None, max_length=50, description="名称或牵头部门")
    status: CampaignStatus | None = Field(None, description="，".join(f"{s.value} {s.label}" for s in CampaignStatus))


class CampaignOutcomeSchema(Schema):
    id: int
    code: str
    label: str
    is_done: bool
    in_person: bool


class CampaignSchema(Schema):
    id: int
    name: str
    department: str
    community_id: CommunityId
    community: CommunityName
    status: CampaignStatus
    deadline: datetime.date
    target_count: int = Field(description="名单人数（全社区）")
    done_count: int = Field(description="已完成人数（全社区）")
    outcomes: list[CampaignOutcomeSchema]


class CampaignTargetFilterParams(Schema):
    campaign: int | None = Field(None, ge=1, le=MAX_ID, description="专项工作id")
    grid: int | None = Field(None, ge=1, le=MAX_ID)
    building: int | None = Field(None, ge=1, le=MAX_ID)
    outcome: int | None = Field(None, ge=1, le=MAX_ID, description="结果id（须同时给出专项工作）")
    state: str | None = Field(None, description="，".join(f"{v} {label}" for v, label in STATE_CHOICES))
    q: str | None = Field(None, max_length=50, description="姓名、拼音首字母、电话或证件后4位")


class CampaignTargetSchema(Schema):
    id: int
    campaign_id: int
    resident_id: int
    name: str
    address: str = Field(description="楼栋、单元、房号")
    age: int | None
    grid: str | None
    outcome_id: int | None
    outcome: str | None
    done: bool
    recorded_at: datetime.datetime | None
    note: str

    @staticmethod
    def resolve_name(t):
        return t.resident.name

    @staticmethod
    def resolve_address(t):
        return f"{t.building.name}{t.household.entrance}单元{t.household.room}"

    @staticmethod
    def resolve_age(t):
        born, today = t.resident.birth_date, timezone.localdate()
        return age_on(born, today) if born and born <= today else None

    @staticmethod
    def resolve_grid(t):
        return t.grid.name if t.grid_id else None

    @staticmethod
    def resolve_outcome(t):
        return t.outcome.label if t.outcome_id else None


class CampaignRecordSchema(Schema):
    outcome: str = Field(max_length=30, description="结果id或代码（见专项工作的 outcomes）")
    note: str = Field("", max_length=200)


def _need(user, perm):
    if not (user.is_superuser or user.has_role_perm(perm)):
        raise PermissionDenied("您的角色没有这项权限。")


@router.get("", response=list[CampaignSchema], summary="专项工作列表（状态、名称筛选，分页）")
@paginate(LinliPagination)
def campaign_list(request, filters: Query[CampaignFilterParams]):
    user = request.auth_user
    _need(user, "campaign.view")
    rows = Campaign.objects.restrict(user).select_related("community").prefetch_related("outcomes")
    return api_rows(CampaignFilterSet(api_data(filters), rows, user=user)).order_by("-created_at", "-id")


@router.get("/targets", response=list[CampaignTargetSchema], summary="专项工作名单（筛选，分页）")
@paginate(LinliPagination)
def campaign_target_list(request, filters: Query[CampaignTargetFilterParams]):
    """管辖范围内的名单（网格员：本网格），按楼栋、单元、楼层、房号排好；不含身份证号和电话。"""
    user = request.auth_user
    _need(user, "campaign.view")
    rows = CampaignTarget.objects.restrict(user).select_related("resident", "household", "building", "grid", "outcome")
    return api_rows(CampaignTargetFilterSet(api_data(filters), rows, user=user)).order_by(
        "building__number", "household__entrance", "household__floor", "household__room", "id"
    )


@router.post("/targets/{target_id}/outcome", response=CampaignTargetSchema, summary="登记结果")
def campaign_target_record(request, target_id: TargetId, payload: CampaignRecordSchema):
    """登记（或更正）一位居民的结果；上门办结的结果对关爱对象同时记一次走访。已结束的工作不能登记。"""
    user = request.auth_user
    _need(user, "campaign.record")
    target = CampaignTarget.objects.restrict(user, "record").filter(pk=target_id).first()
    if target is None:
        raise Http404("找不到这位居民，或不在您的管辖范围内。")
    services.record_outcome(target, payload.outcome, actor=actor_of(user), note=payload.note)
    target = CampaignTarget.objects.select_related("resident", "household", "building", "grid", "outcome").get(
        pk=target.pk
    )
    return target
