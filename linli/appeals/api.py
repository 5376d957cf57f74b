"""Appeals (诉求) over the JSON API: the queues and lists, one appeal with its timeline, and the main steps.

Rows come from `Appeal.objects.restrict(request.auth_user)`; which rows a list returns is decided by
the queue (`queue`, as the tabs of /appeals/) and AppealFilterSet, the definitions the pages use.
Every step is a thin wrapper over linli.appeals.services with an API actor: the service checks the
state and the user and refuses with a Chinese message (422), PermissionDenied (403) or Http404 (404).
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404, QueryDict
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus
from pydantic import ConfigDict

from linli.accounts.api_schemas import CommunityId, shows_full_phone
from linli.appeals import services
from linli.appeals.catalogue import active_category
from linli.appeals.choices import OPEN, Channel, ExportKind, Outcome, Rating, ReplyMethod, Status, Urgency
from linli.appeals.duplicates import find_main
from linli.appeals.filtersets import AppealFilterSet
from linli.appeals.models import Appeal, Category, HandlingUnit
from linli.appeals.querysets import in_user_area, sees_directory
from linli.appeals.queues import TABS, may_view_appeals, queue_queryset, tabs_for
from linli.areas import placecache
from linli.areas.models import Building, Community, Household
from linli.core.api_answers import answer
from linli.core.api_reads import RecordedPagination
from linli.core.audit import actor_of
from linli.core.filtersets import api_rows
from linli.core.models import Source
from linli.core.params import MAX_ID
from linli.residents.models import Resident

router = Router(tags=["诉求"])

NOT_IN_SCOPE = "找不到这件诉求，或不在您的管辖范围内。"
RELATED = ("category", "unit", "assigned_org", "community", "building")
#: Read by a second query each (none when the appeal has no household / registered reporter): joining households and
#: residents (a million rows each, many indexes) as well made PostgreSQL spend ~10 ms *planning* one appeal's SELECT.
PREFETCH = ("household__building", "reporter")


# --- schemas -------------------------------------------------------------------------------


class AppealSchema(Schema):
    id: int
    number: str
    summary: str
    text: str
    status: str = Field(description="状态：" + "，".join(f"{s.value} {s.label}" for s in Status))
    status_label: str = Field(alias="get_status_display")
    channel: str
    urgency: str
    category: str | None = Field(description="问题类别代码")
    category_name: str | None
    community: CommunityId
    grid: int | None = Field(alias="grid_id")
    building: int | None = Field(alias="building_id")
    household: int | None = Field(alias="household_id")
    place: str = Field(alias="place_label", description="地点，如“1栋1单元101”")
    unit: str | None = Field(description="承办单位代码")
    organisation: int | None = Field(alias="assigned_org_id", description="承办机构id")
    organisation_name: str | None
    reporter: str = Field(alias="reporter_label", description="反映人：姓名（匿名时为“匿名”）")
    reporter_phone: str = Field(description="有“查看电话”权限的角色看到完整号码，其他角色看到遮蔽后的号码")
    received_at: datetime.datetime
    current_due: datetime.datetime | None = Field(description="当前环节（签收、办结或回访）的时限")
    overdue: bool
    supervised: bool
    reopen_count: int
    outcome: str
    rating: str

    @staticmethod
    def resolve_number(obj):
        return obj.number or ""

    @staticmethod
    def resolve_category(obj):
        return obj.category.code if obj.category_id else None

    @staticmethod
    def resolve_category_name(obj):
        return obj.category.name if obj.category_id else None

    @staticmethod
    def resolve_unit(obj):
        return obj.unit.code if obj.unit_id else None

    @staticmethod
    def resolve_organisation_name(obj):
        return obj.assigned_org.name if obj.assigned_org_id else None

    @staticmethod
    def resolve_reporter_phone(obj, context):
        if obj.anonymous:
            return ""
        return obj.reporter_phone if shows_full_phone(context) else obj.reporter_phone_masked

    @staticmethod
    def resolve_overdue(obj):
        return bool(obj.status in OPEN and obj.current_due and obj.current_due < timezone.now())


class EventSchema(Schema):
    at: datetime.datetime
    actor: str = Field(alias="actor_label")
    action: str
    action_label: str = Field(alias="get_action_display")
    from_status: str
    to_status: str
    organisation: str | None
    note: str
    internal: bool
    public: bool

    @staticmethod
    def resolve_organisation(obj):
        return obj.org.name if obj.org_id else None


class AppealDetailSchema(AppealSchema):
    address: str
    sign_due: datetime.datetime | None
    resolve_due: datetime.datetime | None
    reply_due: datetime.datetime | None
    dispatched_at: datetime.datetime | None
    signed_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    replied_at: datetime.datetime | None
    due_warning: str
    resolution: str
    explanation: str
    reply_text: str
    reply_method: str
    rating_note: str
    public_summary: str
    public_reply: str
    events: list[EventSchema] = Field(
        alias="timeline", description="办理记录（时间线）；仅内部可见的记录只列给社区工作人员"
    )


class AppealFilterParams(Schema):
    """查询参数：queue 为队列（与 /appeals/ 页面的标签相同），其余为 AppealFilterSet 的字段。"""

    queue: str | None = Field(
        None, description="队列：" + "，".join(f"{k} {v}" for k, v in TABS.items()) + "；默认 all"
    )
    q: str | None = Field(None, description="编号（或后几位）、诉求内容、地点")
    status: list[str] | None = Field(None, description="状态，可多选（status=a&status=b）")
    category: str | None = Field(None, description="问题类别代码")
    unit: str | None = Field(None, description="承办单位代码")
    organisation: int | None = Field(None, ge=1, le=MAX_ID, description="承办机构id")
    channel: Channel | None = None
    urgency: Urgency | None = None
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    grid: int | None = Field(None, ge=1, le=MAX_ID, description="网格id")
    building: int | None = Field(None, ge=1, le=MAX_ID, description="楼栋id")
    overdue: bool | None = Field(None, description="true 只列超期未办的，false 排除它们")
    supervised: bool | None = None
    needs_reply: bool | None = Field(None, description="true：已办结待回访")
    rating: Rating | None = None
    received_from: datetime.date | None = Field(None, description="受理日期从（含）")
    received_to: datetime.date | None = Field(None, description="受理日期到（含）")


class AppealCreateSchema(Schema):
    """地点三选一：household（户室）、building（楼栋，可加 address 补充），或 community + address。"""

    model_config = ConfigDict(extra="forbid")

    text: str
    channel: Channel = Channel.API
    category: str | None = Field(None, description="问题类别代码，如 corridor_light")
    urgency: Urgency | None = Field(None, description="默认为类别的默认紧急程度")
    household: int | None = Field(None, ge=1, le=MAX_ID)
    building: int | None = Field(None, ge=1, le=MAX_ID)
    community: int | None = Field(None, ge=1, le=MAX_ID)
    address: str = ""
    reporter: int | None = Field(None, ge=1, le=MAX_ID, description="反映人（登记在册的居民id）")
    reporter_name: str = ""
    reporter_phone: str = ""
    anonymous: bool = False
    received_at: datetime.datetime | None = Field(None, description="受理时间，默认为现在")


class DispatchSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    unit: str = Field(description="承办单位代码，如 property、water")
    note: str = ""


class ResolveSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    outcome: Outcome
    resolution: str
    explanation: str = Field("", description="部分解决、无法解决、不属实时必填：向居民的说明")
    resolution_public: bool = Field(
        True, description="办理情况向反映人公开（反映人在自己的查询页面能看到；不是向所有人公开）"
    )
    public_summary: str = Field("", max_length=200, description="公开摘要：将公开，请勿填写姓名、电话、门牌号")
    public_reply: str = Field(
        "", max_length=300, description="公开答复：将在公开页面和12345/Open311接口中公开，请勿填写姓名、电话、门牌号"
    )


class MergeSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    main: str = Field(description="主诉求：编号（如 20261201-00012）或id；本诉求并入它，作为附议")
    note: str = ""


class ReplySchema(Schema):
    model_config = ConfigDict(extra="forbid")

    text: str
    method: ReplyMethod
    rating: Rating = Rating.NONE
    rating_note: str = ""
    public_reply: str | None = Field(
        None, max_length=300, description="公开答复（不传则保留办结时填写的）；将公开，请勿填写姓名、电话、门牌号"
    )


# --- helpers -------------------------------------------------------------------------------


def _viewer(request):
    user = request.auth_user
    if not may_view_appeals(user):
        raise PermissionDenied("您的角色没有这项权限。")
    return user


def _actor(user):
    return actor_of(user, Source.API)


def _detail(request, user, appeal_id: int) -> AppealDetailSchema:
    appeal = Appeal.objects.restrict(user).select_related(*RELATED).prefetch_related(*PREFETCH).filter(pk=appeal_id)
    appeal = appeal.first()
    if appeal is None:
        raise Http404(NOT_IN_SCOPE)
    return _answer(request, _with_timeline(user, appeal))


def _created(request, user, appeal: Appeal) -> AppealDetailSchema:
    """The answer to a create from the appeal just saved: its category, community, building, household and reporter
    are the objects the request named (already loaded); only what is missing is read. Its timeline is the one step
    create_appeal wrote. Still a 404 when the creator may not see what they created, as _detail (decided in memory
    when the appeal lies in the creator's area, else by restrict())."""
    if not in_user_area(user, appeal) and not Appeal.objects.restrict(user).filter(pk=appeal.pk).exists():
        raise Http404(NOT_IN_SCOPE)
    missing = [name for name in (*RELATED, *PREFETCH) if _unloaded(appeal, name.split("__")[0])]
    if missing:
        prefetch_related_objects([appeal], *missing)
    appeal.timeline = [e for e in [appeal.created_event] if _sees_internal(user) or not e.internal]
    return _answer(request, appeal, 201)


def _answer(request, appeal: Appeal, status: int = 200) -> AppealDetailSchema:
    """The appeal as the answer's schema, read once (linli.core.api_answers), not validated again by ninja."""
    return answer(AppealDetailSchema, appeal, {"request": request, "response_status": status})


def _unloaded(appeal: Appeal, name: str) -> bool:
    """A relation the appeal names (not null) whose object is not loaded yet."""
    field = Appeal._meta.get_field(name)
    return getattr(appeal, field.attname) is not None and not field.is_cached(appeal)


def _sees_internal(user) -> bool:
    """Outside organisations' handlers see the public steps; community staff see the internal ones too."""
    return user.is_superuser or user.has_role_perm("appeal.view")


def _with_timeline(user, appeal: Appeal) -> Appeal:
    events = appeal.events.select_related("org")
    if not _sees_internal(user):
        events = events.filter(internal=False)
    appeal.timeline = list(events)
    return appeal


def _get(user, appeal_id: int) -> Appeal:
    appeal = Appeal.objects.restrict(user).filter(pk=appeal_id).first()
    if appeal is None:
        raise Http404(NOT_IN_SCOPE)
    return appeal


def _scoped(user, model, pk, field: str, message: str, *related: str):
    """The row `pk` of `model` within the user's scope (with `related` joined), None without a pk; a ValidationError
    on `field` when it is outside. The scoped queryset is built only for a pk that was sent: building one (restrict(),
    its scope Q) costs ~0.3 ms of Python, and a create names one place of three (docs/benchmarks.md, API create)."""
    if pk is None:
        return None
    if model is Building:
        # The tree's buildings are kept per process (linli.areas.placecache); the scope is restrict()'s rule decided
        # in memory, the database asked only when that cannot say yes.
        place = placecache.building(pk)
        if place is not None and Building.objects.all().holds(user, place):
            return place
    # One row by primary key needs no ORDER BY: order_by() drops the Meta ordering (Building's), which [:1] would keep
    # and compile on every create (first() would add one).
    found = model.objects.restrict(user).select_related(*related).filter(pk=pk).order_by()[:1]
    if not found:
        raise ValidationError({field: message})
    return found[0]


def _code_to_id(queryset, code, field: str, label: str):
    found = queryset.filter(code=code).values_list("pk", flat=True).first()
    if found is None:
        raise ValidationError({field: f"没有这个{label}代码：{code}"})
    return found


def _filter_data(user, filters: AppealFilterParams) -> QueryDict:
    data = QueryDict(mutable=True)
    for key, value in filters.model_dump(exclude={"queue", "status"}).items():
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = "1" if value else "0"
        elif key == "category":
            value = _code_to_id(Category.objects.restrict(user), value, "category", "问题类别")
        elif key == "unit":
            value = _code_to_id(HandlingUnit.objects.restrict(user), value, "unit", "承办单位")
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[key] = str(getattr(value, "value", value))
    if filters.status:
        data.setlist("status", filters.status)
    return data


# --- endpoints -----------------------------------------------------------------------------


@router.get("", response=list[AppealSchema], summary="诉求列表（队列、筛选、分页；每次调用记入导出记录）")
@paginate(RecordedPagination, record_as=ExportKind.API_APPEALS)
def appeal_list(request, filters: Query[AppealFilterParams]):
    """管辖范围内（承办人：本机构承办或协办的）诉求，按队列和 AppealFilterSet 筛选，顺序同页面的队列。"""
    user = _viewer(request)
    queue = filters.queue or "all"
    if queue not in tabs_for(user):
        raise ValidationError({"queue": f"没有这个队列，或您的角色没有：{queue}"})
    now = timezone.now()
    filterset = AppealFilterSet(_filter_data(user, filters), queue_queryset(user, queue, now), user=user, now=now)
    return api_rows(filterset).select_related(*RELATED).prefetch_related(*PREFETCH)


@router.get("/{appeal_id}", response=AppealDetailSchema, summary="诉求详情（含办理记录）")
def appeal_detail(request, appeal_id: int):
    user = _viewer(request)
    return _detail(request, user, appeal_id)


@router.post("", response={201: AppealDetailSchema}, summary="登记诉求")
def appeal_create(request, payload: AppealCreateSchema):
    user = request.auth_user
    if not (user.is_superuser or user.has_role_perm("appeal.add")):
        raise PermissionDenied("您的角色没有这项权限。")
    category = None
    if payload.category:
        category = active_category(payload.category) if sees_directory(user) else None
        if category is None:
            raise ValidationError({"category": f"没有这个问题类别代码：{payload.category}"})
    appeal = services.create_appeal(
        actor=_actor(user),
        text=payload.text,
        channel=payload.channel.value,
        category=category,
        urgency=payload.urgency.value if payload.urgency else None,
        household=_scoped(
            user,
            Household,
            payload.household,
            "household",
            "找不到这户，或不在您的管辖范围内。",
            "building__community",
        ),
        building=_scoped(
            user, Building, payload.building, "building", "找不到这栋楼，或不在您的管辖范围内。", "community"
        ),
        community=_scoped(user, Community, payload.community, "community", "找不到这个社区，或不在您的管辖范围内。"),
        address=payload.address,
        reporter=_scoped(user, Resident, payload.reporter, "reporter", "找不到这位居民，或不在您的管辖范围内。"),
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        anonymous=payload.anonymous,
        received_at=payload.received_at,
        scope_checked=True,  # each place and the reporter were read through restrict(user) above
    )
    return HttpStatus(201, _created(request, user, appeal))


@router.post("/{appeal_id}/dispatch", response=AppealDetailSchema, summary="派单")
def appeal_dispatch(request, appeal_id: int, payload: DispatchSchema):
    user = _viewer(request)
    appeal = _get(user, appeal_id)
    unit = HandlingUnit.objects.filter(code=payload.unit, is_active=True).first()
    if unit is None:
        raise ValidationError({"unit": f"没有这个承办单位代码：{payload.unit}"})
    services.dispatch(appeal, unit, actor=_actor(user), note=payload.note)
    return _detail(request, user, appeal.pk)


@router.post("/{appeal_id}/sign", response=AppealDetailSchema, summary="签收")
def appeal_sign(request, appeal_id: int):
    user = _viewer(request)
    services.sign(_get(user, appeal_id), actor=_actor(user))
    return _detail(request, user, appeal_id)


@router.post("/{appeal_id}/resolve", response=AppealDetailSchema, summary="办结")
def appeal_resolve(request, appeal_id: int, payload: ResolveSchema):
    user = _viewer(request)
    services.resolve(
        _get(user, appeal_id),
        actor=_actor(user),
        outcome=payload.outcome.value,
        resolution=payload.resolution,
        explanation=payload.explanation,
        public_summary=payload.public_summary,
        public_reply=payload.public_reply,
        resolution_public=payload.resolution_public,
    )
    return _detail(request, user, appeal_id)


@router.post("/{appeal_id}/reply", response=AppealDetailSchema, summary="回访结案")
def appeal_reply(request, appeal_id: int, payload: ReplySchema):
    user = _viewer(request)
    services.reply(
        _get(user, appeal_id),
        actor=_actor(user),
        text=payload.text,
        method=payload.method.value,
        rating=payload.rating.value,
        rating_note=payload.rating_note,
        public_reply=payload.public_reply,
    )
    return _detail(request, user, appeal_id)


@router.post("/{appeal_id}/merge", response=AppealDetailSchema, summary="合并到主诉求（附议）")
def appeal_merge(request, appeal_id: int, payload: MergeSchema):
    """本诉求（待派单或待签收）与主诉求是同一件事：本诉求变为“已合并”，随主诉求一并答复。返回主诉求。"""
    user = _viewer(request)
    duplicate = _get(user, appeal_id)
    main = find_main(user, payload.main)
    services.merge_appeal(duplicate, main, actor=_actor(user), note=payload.note)
    return _detail(request, user, main.pk)
