"""Area tree over the JSON API: streets, communities, grids, buildings and their households.

Every endpoint starts from `Model.objects.restrict(request.auth_user, "view")`: a role without
the permission gets 403, an id outside the user's scope 404 (as if it did not exist).
"""

from django.db.models import Count, Q
from django.http import Http404
from ninja import Field, Query, Router, Schema

from linli.accounts.api_schemas import CommunityId
from linli.areas.models import Building, Community, Grid, Household, Street
from linli.core.params import MAX_ID
from linli.core.querysets import require_perm

router = Router(tags=["区域"])

NOT_IN_SCOPE = "找不到这个楼栋，或不在您的管辖范围内。"


class StreetSchema(Schema):
    id: int
    code: str
    name: str


class CommunitySchema(Schema):
    id: int
    street: int = Field(alias="street_id", description="街道id")
    code: str
    name: str
    address: str
    phone: str


class GridSchema(Schema):
    id: int
    community: CommunityId
    number: int
    name: str


class BuildingSchema(Schema):
    id: int
    community: CommunityId
    grid: int | None = Field(alias="grid_id", description="网格id；未分配网格时为null")
    number: int
    name: str
    compound: str
    entrances: int = Field(description="单元数")
    floors: int = Field(description="楼层数")
    rooms_per_floor: int = Field(description="每层每单元户数")


class BuildingDetailSchema(BuildingSchema):
    household_count: int = Field(description="户数")
    resident_count: int = Field(description="在册居民数")


class HouseholdSchema(Schema):
    id: int
    building: int = Field(alias="building_id", description="楼栋id")
    entrance: int
    floor: int
    room: str
    address: str = Field(description="如“3栋2单元502”")
    floor_area: float | None = Field(None, description="建筑面积（㎡），未登记为null")
    note: str
    resident_count: int = Field(description="在册居民数")


def _scoped(request, model, perm: str):
    user = request.auth_user
    require_perm(user, perm)
    return model.objects.restrict(user, "view")


def _building(request, building_id: int) -> Building:
    building = _scoped(request, Building, "area.view").filter(pk=building_id).first()
    if building is None:
        raise Http404(NOT_IN_SCOPE)
    return building


@router.get("/streets", response=list[StreetSchema], summary="街道列表")
def street_list(request):
    return _scoped(request, Street, "area.view")


@router.get("/communities", response=list[CommunitySchema], summary="社区列表")
def community_list(request, street: int | None = Query(None, ge=1, le=MAX_ID, description="街道id")):
    qs = _scoped(request, Community, "area.view")
    if street is not None:
        qs = qs.filter(street_id=street)
    return qs


@router.get("/grids", response=list[GridSchema], summary="网格列表")
def grid_list(request, community: int | None = Query(None, ge=1, le=MAX_ID, description="社区id")):
    qs = _scoped(request, Grid, "area.view")
    if community is not None:
        qs = qs.filter(community_id=community)
    return qs


@router.get("/buildings", response=list[BuildingSchema], summary="楼栋列表")
def building_list(
    request,
    community: int | None = Query(None, ge=1, le=MAX_ID, description="社区id"),
    grid: int | None = Query(None, ge=1, le=MAX_ID, description="网格id"),
    unassigned: bool | None = Query(None, description="true：只列未分配网格的楼栋；false：只列已分配的"),
):
    qs = _scoped(request, Building, "area.view")
    if community is not None:
        qs = qs.filter(community_id=community)
    if grid is not None:
        qs = qs.filter(grid_id=grid)
    if unassigned is not None:
        qs = qs.filter(grid__isnull=unassigned)
    return qs


@router.get("/buildings/{building_id}", response=BuildingDetailSchema, summary="楼栋详情")
def building_detail(request, building_id: int):
    from linli.residents.models import Resident

    building = _building(request, building_id)
    building.household_count = Household.objects.filter(building=building).count()
    building.resident_count = Resident.objects.active().filter(building=building).count()
    return building


@router.get("/buildings/{building_id}/households", response=list[HouseholdSchema], summary="楼栋的户")
def building_households(request, building_id: int):
    building = _building(request, building_id)
    qs = (
        _scoped(request, Household, "household.view")
        .filter(building=building)
        .annotate(resident_count=Count("residents", filter=Q(residents__status="active")))
        .order_by("entrance", "floor", "room")  # Meta.ordering does not apply to a GROUP BY query
    )
    households = list(qs)
    for household in households:
        household.building = building  # the address needs the building name: no query per row
    return households
