"""便民服务 JSON API (read): a community's published 办事指南 (public, no login), and the appointments and 代办 of
the caller's scope, filtered by the list pages' FilterSets (tests/test_one_filterset_per_list.py). Phones are
masked unless the token carries full personal data."""

import datetime
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from linli.accounts.api_auth import full_personal_data
from linli.areas.models import Community
from linli.core.api_pagination import LinliPagination
from linli.core.filtersets import api_data, api_rows
from linli.core.params import MAX_ID
from linli.core.phone import mask_phone
from linli.hall.choices import AppointmentStatus, ErrandStatus, MatterCategory
from linli.hall.filtersets import AppointmentFilterSet, ErrandFilterSet
from linli.hall.models import Appointment, Errand, ServiceMatter

router = Router(tags=["便民服务"])

AppointmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
ErrandId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _gate(request, perm: str = "hall.view"):
    user = request.auth_user
    if not (user.is_superuser or user.has_role_perm(perm)):
        raise PermissionDenied("您的角色没有这项权限。")
    return user


class ServiceMatterSchema(Schema):
    id: int
    name: str
    category: MatterCategory
    category_label: str
    audience: str
    materials: list[str]
    place: str
    hours: str
    time_limit_days: int = Field(description="承诺时限（工作日），0 为当场办结")
    deciding_office: str
    forwarded: bool
    fee: str
    notes: str
    link: str

    @staticmethod
    def resolve_category_label(matter):
        return matter.get_category_display()

    @staticmethod
    def resolve_materials(matter):
        return matter.material_list


class PublicGuideSchema(Schema):
    community: str
    matters: list[ServiceMatterSchema]


@router.get("/public/{code}", response=PublicGuideSchema, auth=None, summary="社区的办事指南（公开，无需登录）")
def hall_public_guide(request, code: str):
    """与公开页面 /hall/guide/<社区编码>/ 相同：社区公开的办事事项、所需材料、时限和办理机关。"""
    community = get_object_or_404(Community, code=code[:32])
    matters = ServiceMatter.objects.filter(community=community).published().order_by("sort", "name", "id")
    return {"community": community.name, "matters": list(matters)}


class AppointmentFilterParams(Schema):
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    counter: int | None = Field(None, ge=1, le=MAX_ID, description="窗口id")
    matter: int | None = Field(None, ge=1, le=MAX_ID, description="事项id")
    day: datetime.date | None = Field(None, description="预约日期")
    status: AppointmentStatus | None = None
    q: str | None = Field(None, max_length=30, description="姓名或电话尾号")


class AppointmentSchema(Schema):
    id: int
    community_id: int
    counter_id: int
    counter: str
    matter_id: int
    matter: str
    starts_at: datetime.datetime
    resident_id: int | None
    name: str
    phone: str
    status: AppointmentStatus
    status_label: str
    note: str

    @staticmethod
    def resolve_counter(a):
        return a.counter.name

    @staticmethod
    def resolve_matter(a):
        return a.matter.name

    @staticmethod
    def resolve_status_label(a):
        return a.get_status_display()

    @staticmethod
    def resolve_phone(a, context):
        return a.phone if full_personal_data(context["request"]) else mask_phone(a.phone)


def _appointments(user):
    return Appointment.objects.restrict(user).select_related("counter", "matter")


@router.get(
    "/appointments", response=list[AppointmentSchema], summary="便民服务预约（日期、窗口、事项、状态筛选，分页）"
)
@paginate(LinliPagination)
def hall_appointment_list(request, filters: Query[AppointmentFilterParams]):
    user = _gate(request)
    rows = api_rows(AppointmentFilterSet(api_data(filters), _appointments(user), user=user))
    return rows.order_by("-starts_at", "id")


@router.get("/appointments/{appointment_id}", response=AppointmentSchema, summary="一个预约")
def hall_appointment_detail(request, appointment_id: AppointmentId):
    user = _gate(request)
    row = _appointments(user).filter(pk=appointment_id).first()
    if row is None:
        raise Http404("找不到这个预约，或不在您的管辖范围内。")
    return row


class ErrandFilterParams(Schema):
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    matter: int | None = Field(None, ge=1, le=MAX_ID, description="事项id")
    state: str | None = Field(None, max_length=12, description="open 未办结，overdue 已超期，或状态编码")
    accepted_from: datetime.date | None = None
    accepted_to: datetime.date | None = None
    q: str | None = Field(None, max_length=30, description="居民姓名")


class ErrandEventSchema(Schema):
    status: ErrandStatus
    on: datetime.date
    note: str


class ErrandSchema(Schema):
    id: int
    community_id: int
    resident_id: int
    resident: str
    matter_id: int
    matter: str
    kind: str
    status: ErrandStatus
    status_label: str
    accepted_on: datetime.date
    due_on: datetime.date
    overdue: bool
    finished_on: datetime.date | None
    result: str
    handed_to: str
    handed_on: datetime.date | None

    @staticmethod
    def resolve_resident(e):
        return e.resident.name

    @staticmethod
    def resolve_matter(e):
        return e.matter.name

    @staticmethod
    def resolve_status_label(e):
        return e.get_status_display()

    @staticmethod
    def resolve_overdue(e):
        return e.is_overdue()


class ErrandDetailSchema(ErrandSchema):
    events: list[ErrandEventSchema]

    @staticmethod
    def resolve_events(e):
        return list(e.events.all())


def _errands(user):
    return Errand.objects.restrict(user).select_related("resident", "matter")


@router.get("/errands", response=list[ErrandSchema], summary="代办帮办（状态、超期、事项筛选，分页）")
@paginate(LinliPagination)
def hall_errand_list(request, filters: Query[ErrandFilterParams]):
    user = _gate(request)
    rows = api_rows(ErrandFilterSet(api_data(filters), _errands(user), user=user))
    return rows.order_by("-accepted_on", "-id")


@router.get("/errands/{errand_id}", response=ErrandDetailSchema, summary="一件代办（含进展）")
def hall_errand_detail(request, errand_id: ErrandId):
    user = _gate(request)
    row = _errands(user).filter(pk=errand_id).first()
    if row is None:
        raise Http404("找不到这件代办，或不在您的管辖范围内。")
    return row
