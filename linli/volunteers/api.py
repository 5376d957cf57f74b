"""Volunteer activities and service hours over the JSON API (read-only).

Rows come from `Activity.objects.restrict(request.auth_user)` and `Volunteer.objects.restrict(...)`, as on
the pages: managers see their area, a volunteer's account the activities of its own communities and its own
record. Phones are always masked here (a program reading hours has no need of a full number).
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from linli.accounts.api_schemas import CommunityId, CommunityName
from linli.core.api_pagination import LinliPagination
from linli.core.api_reads import record_api_read
from linli.core.filtersets import api_rows
from linli.core.params import MAX_ID
from linli.volunteers.choices import ActivityKind, ActivityState, AttendanceStatus, ExportKind, SignUpStatus
from linli.volunteers.filtersets import ActivityFilterSet
from linli.volunteers.models import Activity, Volunteer

router = Router(tags=["志愿服务"])

NOT_IN_SCOPE = "找不到这项活动，或不在您的管辖范围内。"
STATES = dict(ActivityState.choices)


def state_of(activity: Activity, now) -> str:
    if activity.is_cancelled:
        return "cancelled"
    if now < activity.starts_at:
        return "upcoming"
    return "ongoing" if now < activity.ends_at else "ended"


# --- schemas -------------------------------------------------------------------------------


class ActivitySchema(Schema):
    id: int
    title: str
    kind: str = Field(description="活动类型：" + "，".join(f"{c.value} {c.label}" for c in ActivityKind))
    kind_label: str = Field(alias="get_kind_display")
    community: CommunityId
    community_name: CommunityName
    team: int | None = Field(alias="team_id", description="组织服务队id")
    team_name: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    capacity: int
    state: str = Field(description="，".join(f"{k} {v}" for k, v in STATES.items()))
    cancel_reason: str
    confirmed: int = Field(description="已报名人数")
    waiting: int = Field(description="候补人数")

    @staticmethod
    def resolve_team_name(obj):
        return obj.team.name if obj.team_id else ""

    @staticmethod
    def resolve_state(obj, context):
        return state_of(obj, context["request"].api_now)


class ActivityDetailSchema(ActivitySchema):
    notice: str
    cancelled_at: datetime.datetime | None
    cancelled_signups: int = Field(description="取消的报名（含活动取消时随之取消的）")
    checked_in: int = Field(description="已签到未签退")
    attended: int = Field(description="已确认考勤的人数")


class KindHoursSchema(Schema):
    kind: str
    kind_label: str
    hours: Decimal


class VolunteerHoursSchema(Schema):
    id: int
    name: str
    community: str = Field(description="社区名称")
    phone: str = Field(description="遮蔽后的电话，如 139****5678")
    teams: str = Field(description="所在服务队，以“、”分隔")
    total: Decimal = Field(description="已确认的服务时长（小时）")
    count: int = Field(description="活动次数")
    by_kind: list[KindHoursSchema]


class HoursSummarySchema(Schema):
    start: datetime.date
    end: datetime.date
    total: Decimal
    count: int
    volunteers: list[VolunteerHoursSchema]


class ActivityFilterParams(Schema):
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    kind: ActivityKind | None = None
    state: ActivityState | None = Field(None, description="，".join(f"{k} {v}" for k, v in STATES.items()))
    date_from: datetime.date | None = Field(None, description="开始日期从（含）")
    date_to: datetime.date | None = Field(None, description="开始日期到（含）")


class HoursParams(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="年度，默认今年")
    date_from: datetime.date | None = Field(None, description="开始日期（含），与 date_to 一起使用时优先于 year")
    date_to: datetime.date | None = Field(None, description="结束日期（含）")


# --- helpers -------------------------------------------------------------------------------


def _require_any(user, *perms: str):
    if not any(user.has_role_perm(p) for p in perms):
        raise PermissionDenied("您的角色没有这项权限。")
    return user


def _activities(request):
    user = _require_any(request.auth_user, "activity.view", "activity.signup")
    request.api_now = timezone.now()
    return (
        Activity.objects.restrict(user)
        .select_related("community", "team")
        .annotate(
            confirmed=Count("signups", filter=Q(signups__status=SignUpStatus.CONFIRMED), distinct=True),
            waiting=Count("signups", filter=Q(signups__status=SignUpStatus.WAITING), distinct=True),
        )
    )


def _filter(qs, f: ActivityFilterParams, user, now):
    """ActivityFilterSet, as on the list page; a value it refuses (another community, dates backwards) is a 422."""
    return api_rows(ActivityFilterSet(f.model_dump(mode="json", exclude_none=True), qs, user=user, now=now))


# --- endpoints -----------------------------------------------------------------------------


@router.get("/activities", response=list[ActivitySchema], summary="志愿活动列表（筛选、分页）")
@paginate(LinliPagination)
def activity_list(request, filters: Query[ActivityFilterParams]):
    """管辖范围内的活动（志愿者：本人登记所在社区的活动），按开始时间从新到旧。"""
    qs = _activities(request)
    return _filter(qs, filters, request.auth_user, request.api_now).order_by("-starts_at", "-id")


@router.get("/activities/{activity_id}", response=ActivityDetailSchema, summary="志愿活动详情（含报名人数）")
def activity_detail(request, activity_id: int):
    qs = _activities(request).annotate(
        cancelled_signups=Count("signups", filter=Q(signups__status=SignUpStatus.CANCELLED), distinct=True),
        checked_in=Count("attendances", filter=Q(attendances__status=AttendanceStatus.CHECKED_IN), distinct=True),
        attended=Count("attendances", filter=Q(attendances__status=AttendanceStatus.CONFIRMED), distinct=True),
    )
    activity = qs.filter(pk=activity_id).first() if 1 <= activity_id <= MAX_ID else None
    if activity is None:
        raise Http404(NOT_IN_SCOPE)
    return activity


@router.get("/hours", response=HoursSummarySchema, summary="志愿者服务时长汇总（每次调用记入导出记录）")
def hours_summary(request, period: Query[HoursParams]):
    """管辖范围内每位志愿者在这段时间的已确认时长（按活动开始日期），按活动类型分列；志愿者只得到本人的。"""
    from linli.volunteers.forms import HoursPeriodForm
    from linli.volunteers.report import KINDS, build_hours_report

    user = _require_any(request.auth_user, "volunteer.view", "volunteer.view_self")
    form = HoursPeriodForm({"year": period.year or "", "start": period.date_from or "", "end": period.date_to or ""})
    if not form.is_valid():
        raise ValidationError(
            {"date_from" if f == "start" else "date_to" if f == "end" else f: e for f, e in form.errors.items()}
        )
    report = build_hours_report(user, form.cleaned_data["start"], form.cleaned_data["end"])

    def q(value) -> Decimal:  # the same "2.00" on SQLite and PostgreSQL
        return Decimal(value).quantize(Decimal("0.01"))

    people = Volunteer.objects.restrict(user).select_related("resident").in_bulk([r.volunteer_id for r in report.rows])
    # Names and phones of every volunteer in scope in one answer: recorded like an export.
    record_api_read(
        request,
        ExportKind.API_VOLUNTEER_HOURS,
        row_count=len(report.rows),
        filters={"start": report.start, "end": report.end},
    )
    return {
        "start": report.start,
        "end": report.end,
        "total": q(report.total),
        "count": report.count,
        "volunteers": [
            {
                "id": r.volunteer_id,
                "name": r.name,
                "community": r.community,
                "phone": people[r.volunteer_id].phone_masked,
                "teams": r.teams,
                "total": q(r.total),
                "count": r.count,
                "by_kind": [
                    {"kind": k.value, "kind_label": k.label, "hours": q(r.by_kind[k.value])}
                    for k in KINDS
                    if k.value in r.by_kind
                ],
            }
            for r in report.rows
        ],
    }
