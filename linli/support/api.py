"""帮扶与共建 JSON API (read), scoped as the pages are: the directory (contact phones masked unless the caller may
reveal phones and the token carries full personal data), pairings with volunteers / units (helper phones never
given) and assistance records. Lists take the pages' FilterSets (tests/test_one_filterset_per_list.py)."""

import datetime
from decimal import Decimal
from typing import Annotated

from django.http import Http404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from linli.accounts.api_auth import full_personal_data
from linli.core.api_pagination import LinliPagination
from linli.core.filtersets import api_data, api_rows
from linli.core.params import MAX_ID
from linli.core.querysets import require_perm
from linli.support.choices import AssistanceKind, AssistanceSource, HelperKind, OrganisationKind
from linli.support.filtersets import AssistanceFilterSet, HelpPairingFilterSet, OrganisationFilterSet
from linli.support.models import Assistance, HelpPairing, Organisation

router = Router(tags=["帮扶与共建"])

OrgId = Annotated[int, Path(ge=1, le=MAX_ID)]


class OrganisationFilterParams(Schema):
    q: str | None = Field(None, max_length=50, description="名称或惠民服务")
    kind: OrganisationKind | None = Field(None, description="类型")
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")


class OrganisationSchema(Schema):
    id: int
    community_id: int
    kind: OrganisationKind
    name: str
    contact_name: str
    contact_phone: str = Field(description="联系电话（无完整电话权限时遮蔽）")
    address: str
    offer: str
    merchant_year: int | None
    is_active: bool

    @staticmethod
    def resolve_contact_phone(org, context):
        request = context["request"]
        user = request.auth_user
        if user.has_role_perm("resident.reveal_phone") and full_personal_data(request):
            return org.contact_phone
        return org.phone_masked


@router.get("/organisations", response=list[OrganisationSchema], summary="驻区单位名录（分页）")
@paginate(LinliPagination)
def organisation_list(request, filters: Query[OrganisationFilterParams]):
    """管辖社区的驻区单位、社会组织、业委会、物业和好商家。"""
    user = request.auth_user
    require_perm(user, "directory.view")
    rows = Organisation.objects.restrict(user)
    return api_rows(OrganisationFilterSet(api_data(filters), rows, user=user)).order_by("community_id", "name", "pk")


@router.get("/organisations/{org_id}", response=OrganisationSchema, summary="驻区单位")
def organisation_detail(request, org_id: OrgId):
    user = request.auth_user
    require_perm(user, "directory.view")
    org = Organisation.objects.restrict(user).filter(pk=org_id).first()
    if org is None:
        raise Http404("找不到这个单位，或不在您的管辖范围内。")
    return org


class PairingFilterParams(Schema):
    q: str | None = Field(None, max_length=50, description="帮扶人、需求或户")
    helper_kind: HelperKind | None = Field(None, description="帮扶人类型")
    grid: int | None = Field(None, ge=1, le=MAX_ID, description="网格id")
    tag: int | None = Field(None, ge=1, le=MAX_ID, description="帮扶对象类别（人员标签id）")
    state: str | None = Field(None, pattern="^(live|ended)$", description="live 结对中，ended 已结束")


class HelpPairingSchema(Schema):
    id: int
    community_id: int
    household_id: int
    household: str
    helper_kind: HelperKind
    helper: str
    volunteer_id: int | None
    organisation_id: int | None
    need: str
    started_on: datetime.date
    ended_on: datetime.date | None

    @staticmethod
    def resolve_household(pairing):
        return pairing.household.address


@router.get("/pairings", response=list[HelpPairingSchema], summary="结对帮扶（志愿者/单位，分页）")
@paginate(LinliPagination)
def pairing_list(request, filters: Query[PairingFilterParams]):
    """管辖范围内困难家庭与志愿者、单位或个人的结对（党员结对见 /api/party）。帮扶人电话不提供。"""
    user = request.auth_user
    require_perm(user, "support.view")
    rows = HelpPairing.objects.restrict(user).select_related("household__building", "volunteer", "organisation")
    return api_rows(HelpPairingFilterSet(api_data(filters), rows, user=user)).order_by("-started_on", "-id")


class AssistanceFilterParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度")
    q: str | None = Field(None, max_length=50, description="内容、项目或户")
    source: AssistanceSource | None = Field(None, description="来源")
    kind: AssistanceKind | None = Field(None, description="类型")
    grid: int | None = Field(None, ge=1, le=MAX_ID, description="网格id")
    organisation: int | None = Field(None, ge=1, le=MAX_ID, description="单位id")
    household: int | None = Field(None, ge=1, le=MAX_ID, description="户id")


class AssistanceSchema(Schema):
    id: int
    community_id: int
    household_id: int
    household: str
    given_on: datetime.date
    kind: AssistanceKind
    description: str
    amount: Decimal | None
    quantity: int | None
    source: AssistanceSource
    source_text: str
    organisation_id: int | None
    programme: str

    @staticmethod
    def resolve_household(row):
        return row.household.address


@router.get("/assistance", response=list[AssistanceSchema], summary="帮扶记录（分页）")
@paginate(LinliPagination)
def assistance_list(request, filters: Query[AssistanceFilterParams]):
    """管辖范围内的帮扶记录：日期、受助户、内容、金额或数量、来源。"""
    user = request.auth_user
    require_perm(user, "support.view")
    rows = Assistance.objects.restrict(user).select_related("household__building", "organisation")
    return api_rows(AssistanceFilterSet(api_data(filters), rows, user=user)).order_by("-given_on", "-id")
