"""The resident registry over the JSON API.

Rows come from `Resident.objects.restrict(request.auth_user, action)`; which rows a list
returns is decided by ResidentFilterSet, the same definition the list page uses. Writes go
through residents.services with an API actor, so they are validated, scope-checked and
recorded exactly like the pages' writes. What a role may see of a row (full or masked phone:
linli.accounts.api_schemas.PhoneSchema; sensitive tags: here) is decided the way the templates decide it
(templatetags/residents.py), and a token sees full phones and sensitive tags only when it was made for them
(`full_personal_data`).
Each list request is written to the export log (linli.core.api_reads); full ID numbers come
one at a time from reveal-id, recorded and limited per hour (services.reveal_id_number).
"""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from linli.accounts.api_auth import full_personal_data
from linli.accounts.api_schemas import CommunityId, PhoneSchema
from linli.areas.models import Household
from linli.core.api_reads import RecordedPagination
from linli.core.audit import actor_of
from linli.core.filtersets import api_rows
from linli.core.models import Source
from linli.core.net import client_ip
from linli.core.params import MAX_ID, parse_id
from linli.core.querysets import require_perm
from linli.residents import services, services_contacts
from linli.residents.choices import ContactRelation, ExportKind, Relation, ResidenceType, ResidentStatus
from linli.residents.filtersets import LIST_ORDERING, ResidentFilterSet
from linli.residents.models import Resident, Tag

router = Router(tags=["居民"])

NOT_IN_SCOPE = "找不到这位居民，或不在您的管辖范围内。"


# --- schemas -------------------------------------------------------------------------------


class TagSchema(Schema):
    code: str
    name: str


class EmergencyContactSchema(PhoneSchema):
    name: str
    relation: str = Field(description="关系：" + "，".join(f"{c.value} {c.label}" for c in ContactRelation))
    relation_label: str = Field(alias="get_relation_display", description="关系的中文名称")
    phone: str = Field(description="与居民本人的电话同样遮蔽（见 phone）")
    note: str


class EmergencyContactIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    relation: ContactRelation
    phone: str = Field(description="手机号或带区号的固定电话")
    note: str = ""


class ResidentSchema(PhoneSchema):
    id: int
    name: str
    sex: str = Field(description="M 男，F 女；空表示未知（由身份证号码得出）")
    birth_date: datetime.date | None
    age: int | None = Field(description="周岁")
    id_number_masked: str = Field(
        alias="id_masked", description="遮蔽后的身份证号码；完整号码只能通过 reveal-id 查看（会留记录）"
    )
    phone: str = Field(
        description="有“查看电话”权限的角色看到完整号码，其他角色看到遮蔽后的号码；"
        "API令牌须勾选“完整电话和敏感标签”才返回完整号码"
    )
    household: int = Field(alias="household_id", description="户id")
    address: str = Field(alias="household.address", description="如“3栋2单元502”")
    building: int = Field(alias="building_id", description="楼栋id")
    grid: int | None = Field(alias="grid_id", description="网格id")
    community: CommunityId
    relation: str = Field(description="与户主关系：" + "，".join(f"{c.value} {c.label}" for c in Relation))
    residence_type: str = Field(description="居住类型：" + "，".join(f"{c.value} {c.label}" for c in ResidenceType))
    status: str = Field(description="状态：" + "，".join(f"{c.value} {c.label}" for c in ResidentStatus))
    tags: list[TagSchema] = Field(
        description="人员标签；敏感标签只对有权限的角色列出（API令牌须勾选“完整电话和敏感标签”）"
    )
    hukou_place: str
    note: str
    # A related manager is read as its rows (django-ninja lists `.all()`, so a prefetch is used).
    emergency_contacts: list[EmergencyContactSchema] = Field(description="紧急联系人（子女、亲属、邻居等）")

    @staticmethod
    def resolve_tags(obj, context):
        request = context["request"]
        allowed = request.auth_user.has_role_perm("resident.view_sensitive") and full_personal_data(request)
        return [t for t in obj.tags.all() if allowed or not t.sensitive]


class ResidentCreateSchema(Schema):
    model_config = ConfigDict(extra="forbid")  # a misspelt field is an error, not silently dropped

    household: int = Field(ge=1, le=MAX_ID, description="户id（见 /api/areas/buildings/{id}/households）")
    name: str
    id_number: str = Field("", description="18位或15位；出生日期和性别由它得出")
    phone: str = ""
    relation: Relation = Relation.HEAD
    residence_type: ResidenceType = ResidenceType.PERMANENT
    status: ResidentStatus = ResidentStatus.ACTIVE
    hukou_place: str = ""
    note: str = ""
    tags: list[str] = Field([], description='人员标签编码，如 ["elderly60", "living_alone"]')
    emergency_contacts: list[EmergencyContactIn] = Field([], description="紧急联系人，最多5位")


class ResidentUpdateSchema(Schema):
    """只修改请求里出现的字段。`id_number: ""` 清除身份证号码；`tags` 替换调用者能看到的标签
    （调用者的角色看不到的敏感标签保持不变）。"""

    model_config = ConfigDict(extra="forbid")

    # The None defaults mark "not sent"; an explicit null is rejected by the str/int types.
    household: int = Field(None, ge=1, le=MAX_ID)
    name: str = None
    id_number: str = None
    phone: str = None
    relation: Relation = None
    residence_type: ResidenceType = None
    status: ResidentStatus = None
    hukou_place: str = None
    note: str = None
    tags: list[str] = None
    emergency_contacts: list[EmergencyContactIn] = Field(None, description="传入时替换全部紧急联系人；[] 清空")


class RevealedIdSchema(Schema):
    id: int
    id_number: str


class ResidentFilterParams(Schema):
    """查询参数，即 ResidentFilterSet 的字段（与居民列表页相同）。"""

    q: str | None = Field(None, description="姓名、拼音、首字母、电话或身份证后4位、地址（如 3栋2单元502）")
    grid: int | None = Field(None, ge=1, le=MAX_ID, description="网格id")
    building: int | None = Field(None, ge=1, le=MAX_ID, description="楼栋id")
    tag: str | None = Field(None, description="人员标签编码（或id）")
    residence_type: Literal[tuple(ResidenceType.values)] | None = Field(
        None, description="、".join(ResidenceType.values)
    )
    status: Literal[("", *ResidentStatus.values)] | None = Field(
        ResidentStatus.ACTIVE.value,
        description="默认 active（与列表页一致）；传空值（status=）列出全部状态。可选："
        + "、".join(ResidentStatus.values),
    )
    sex: Literal["M", "F"] | None = Field(None, description="M 或 F")
    min_age: int | None = Field(None, ge=0, le=150, description="最小年龄（周岁，含）")
    max_age: int | None = Field(None, ge=0, le=150, description="最大年龄（周岁，含）")


# --- helpers -------------------------------------------------------------------------------


def _viewer(request):
    """The user, if their role may look at residents at all (a resident: at their own record)."""
    user = request.auth_user
    if not (user.has_role_perm("resident.view") or user.has_role_perm("resident.view_self")):
        raise PermissionDenied("您的角色没有这项权限。")
    return user


def _with_related(qs):
    return qs.select_related("household__building").prefetch_related("tags", "emergency_contacts")


def _get(queryset, resident_id: int) -> Resident:
    resident = queryset.filter(pk=resident_id).first()
    if resident is None:
        raise Http404(NOT_IN_SCOPE)
    return resident


def _household(user, household_id: int) -> Household:
    household = Household.objects.restrict(user).filter(pk=household_id).first()
    if household is None:
        raise ValidationError({"household": "找不到这户，或不在您的管辖范围内。"})
    return household


def _visible_tags(user, request=None):
    tags = Tag.objects.restrict(user).visible_to(user).filter(is_active=True)
    if request is not None and not full_personal_data(request):
        # A token that does not list sensitive tags does not filter by them either (which would list
        # exactly who has them).
        tags = tags.filter(sensitive=False)
    return tags


def _tags(user, codes: list[str]) -> list[Tag]:
    codes = list(dict.fromkeys(codes))
    found = {t.code: t for t in _visible_tags(user).filter(code__in=codes)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationError({"tags": f"没有这些人员标签（或您无权使用）：{'、'.join(unknown)}"})
    return [found[c] for c in codes]


def _actor(user):
    return actor_of(user, Source.API)


# --- endpoints -----------------------------------------------------------------------------


@router.get("", response=list[ResidentSchema], summary="居民列表（筛选、分页；每次调用记入导出记录）")
@paginate(RecordedPagination, record_as=ExportKind.API_RESIDENTS)
def resident_list(request, filters: Query[ResidentFilterParams]):
    """管辖范围内、按 ResidentFilterSet 筛选的居民，顺序固定（楼号、单元、房号、id）。居民角色只得到本人的记录。

    每次调用都像导出一样记入导出记录（“接口读取居民”：筛选条件、返回行数）。"""
    user = _viewer(request)
    data = {k: str(v) for k, v in filters.model_dump().items() if v is not None}
    if data.get("tag") and parse_id(data["tag"]) is None:
        # The filter set takes a tag id; the API also accepts the code. An unknown code stays
        # as it is so that the filter set rejects it with its own message.
        tag_id = _visible_tags(user, request).filter(code=data["tag"]).values_list("pk", flat=True).first()
        if tag_id is not None:
            data["tag"] = str(tag_id)
    filterset = ResidentFilterSet(data, Resident.objects.restrict(user), user=user)
    filterset.filters["tag"].queryset = _visible_tags(user, request)
    return _with_related(api_rows(filterset)).order_by(*LIST_ORDERING)


@router.get("/{resident_id}", response=ResidentSchema, summary="居民详情")
def resident_detail(request, resident_id: int):
    user = _viewer(request)
    return _get(_with_related(Resident.objects.restrict(user)), resident_id)


@router.post("", response={201: ResidentSchema}, summary="登记居民")
def resident_create(request, payload: ResidentCreateSchema):
    user = request.auth_user
    require_perm(user, "resident.add")
    contacts = services_contacts.clean_contacts([c.model_dump(mode="json") for c in payload.emergency_contacts])
    with transaction.atomic():
        resident = _create(user, payload)
        if contacts:
            services_contacts.replace_contacts(resident, contacts, actor=_actor(user))
    return Status(201, _get(_with_related(Resident.objects.restrict(user)), resident.pk))


def _create(user, payload) -> Resident:
    return services.create_resident(
        actor=_actor(user),
        household=_household(user, payload.household),
        name=payload.name,
        id_number=payload.id_number,
        phone=payload.phone,
        tags=_tags(user, payload.tags),
        relation=payload.relation.value,
        residence_type=payload.residence_type.value,
        status=payload.status.value,
        hukou_place=payload.hukou_place,
        note=payload.note,
    )


@router.patch("/{resident_id}", response=ResidentSchema, summary="修改居民（只改传入的字段）")
def resident_update(request, resident_id: int, payload: ResidentUpdateSchema):
    user = request.auth_user
    require_perm(user, "resident.change")
    resident = _get(Resident.objects.restrict(user, "change").prefetch_related("tags"), resident_id)
    changes = payload.model_dump(exclude_unset=True, mode="json")
    contacts = changes.pop("emergency_contacts", None)
    if contacts is not None:
        contacts = services_contacts.clean_contacts(contacts)  # refused before anything is written
    kwargs = {}
    if "household" in changes:
        kwargs["household"] = _household(user, changes.pop("household"))
    if "tags" in changes:
        visible = set(_visible_tags(user))
        hidden = [t for t in resident.tags.all() if t not in visible]
        kwargs["tags"] = [*_tags(user, changes.pop("tags")), *hidden]
    for key, value in changes.items():
        kwargs[key] = value.value if isinstance(value, (Relation, ResidenceType, ResidentStatus)) else value
    with transaction.atomic():
        services.update_resident(resident, actor=_actor(user), **kwargs)
        if contacts is not None:
            services_contacts.replace_contacts(resident, contacts, actor=_actor(user))
    return _get(_with_related(Resident.objects.restrict(user)), resident.pk)


@router.post("/{resident_id}/reveal-id", response=RevealedIdSchema, summary="查看完整身份证号码（留记录，每小时限次）")
def resident_reveal_id(request, resident_id: int, response: HttpResponse):
    """完整的身份证号码，仅限有权限的角色；每次调用都记入查看记录。

    每人每小时最多查看 LINLI_REVEAL_LIMIT_PER_HOUR 次（默认30），超过后返回429、不显示号码；
    次数较多时社区书记和街道管理员会收到提醒。API令牌须为“读写”令牌（本接口是POST）。"""
    user = request.auth_user
    require_perm(user, "resident.reveal_id")
    resident = _get(Resident.objects.restrict(user, "reveal_id"), resident_id)
    if not resident.id_cipher:
        raise Http404("这位居民没有登记身份证号码。")
    try:
        number = services.reveal_id_number(resident, user=user, ip=client_ip(request))
    except services.RevealLimitReached as exc:
        raise HttpError(429, str(exc)) from exc
    response["Cache-Control"] = "no-store"
    return {"id": resident.pk, "id_number": number}
