"""党建 JSON API (read): organisations, members (masked) and meetings, scoped as the pages are.

Party membership is personal data (linli.party.querysets): only party-work roles and organisation secretaries reach
these endpoints (403 for everyone else, as on the pages), and rows start from restrict(request.auth_user). Members'
phones are masked for every caller and every token (the roster is never a phone list); no ID number is given; a
member's resident id only where the caller may read that resident. A page of the member list is recorded in the
export log like an export (接口读取党员). An organisation's phone is for party.manage only; meeting minutes for
those who may record the meeting.

Filters: the member list takes the roster page's PartyMemberFilterSet (tests/test_one_filterset_per_list.py); the
organisation and meeting lists filter by the few query parameters of their schemas.
"""

import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from linli.accounts.api_auth import full_personal_data
from linli.core.api_pagination import LinliPagination
from linli.core.api_reads import RecordedPagination
from linli.core.filtersets import api_data, api_rows
from linli.core.params import MAX_ID
from linli.core.phone import mask_phone
from linli.party.access import may_use
from linli.party.choices import Attendance, ExportKind, MeetingKind, MemberKind, MemberStatus, OrgKind, Review
from linli.party.filtersets import PartyMemberFilterSet
from linli.party.filtersets_life import PartyMeetingFilterSet
from linli.party.models import PartyMeeting, PartyMember, PartyOrg
from linli.party.service import member_figures

router = Router(tags=["党建"])

OrgId = Annotated[int, Path(ge=1, le=MAX_ID)]
MemberId = Annotated[int, Path(ge=1, le=MAX_ID)]
MeetingId = Annotated[int, Path(ge=1, le=MAX_ID)]
YearParam = Annotated[int | None, Query(ge=2000, le=2100, description="年度，默认今年")]


def _labels(choices) -> str:
    return "，".join(f"{c.value} {c.label}" for c in choices)


def _gate(request):
    """The acting user, when they may use the party pages at all (party-work role or secretary): 403 otherwise."""
    user = request.auth_user
    if not may_use(user, "party.view"):
        raise PermissionDenied("您没有党建工作的权限。")
    return user


# --------------------------------------------------------------------------- organisations


class PartyOrgFilterParams(Schema):
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    kind: OrgKind | None = Field(None, description=_labels(OrgKind))
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="上级组织id")
    q: str | None = Field(None, max_length=50, description="名称")


class PartyOrgSchema(Schema):
    id: int
    kind: OrgKind
    kind_label: str
    form: str
    name: str
    parent_id: int | None
    street_id: int
    community_id: int | None
    grid_id: int | None
    secretary_name: str
    phone: str | None = Field(description="联系电话：仅党建管理权限可见（令牌未勾选完整电话时遮蔽）")
    established_on: datetime.date | None
    is_active: bool
    member_count: int = Field(description="本组织在册党员数（已确认）")

    @staticmethod
    def resolve_kind_label(org):
        return org.get_kind_display()

    @staticmethod
    def resolve_phone(org, context):
        request = context["request"]
        user = request.auth_user
        if not org.phone or not (user.is_superuser or user.has_role_perm("party.manage")):
            return None
        return org.phone if full_personal_data(request) else mask_phone(org.phone)


def _orgs(user):
    live = Q(members__is_active=True, members__review=Review.CONFIRMED)
    return PartyOrg.objects.restrict(user).annotate(member_count=Count("members", filter=live))


def _filter_orgs(rows, filters: PartyOrgFilterParams):
    if filters.community:
        rows = rows.filter(community_id=filters.community)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.parent:
        rows = rows.filter(parent_id=filters.parent)
    if filters.q and filters.q.strip():
        rows = rows.filter(name__contains=filters.q.strip())
    return rows


@router.get("/orgs", response=list[PartyOrgSchema], summary="党组织列表（层级、社区、上级筛选，分页）")
@paginate(LinliPagination)
def party_org_list(request, filters: Query[PartyOrgFilterParams]):
    """管辖范围内的党组织（街道大工委、社区大党委、社区党组织、网格党支部、党小组），自上而下排好。支部书记：本支部及其党小组。"""
    user = _gate(request)
    return _filter_orgs(_orgs(user), filters).order_by("street_id", "community_id", "sort_order", "id")


@router.get("/orgs/{org_id}", response=PartyOrgSchema, summary="党组织")
def party_org_detail(request, org_id: OrgId):
    user = _gate(request)
    org = _orgs(user).filter(pk=org_id).first()
    if org is None:
        raise Http404("找不到这个党组织，或不在您的管辖范围内。")
    return org


# --------------------------------------------------------------------------- members


class PartyMemberFilterParams(Schema):
    """The roster page's filters (PartyMemberFilterSet): the same names, the same rows."""

    q: str | None = Field(None, max_length=50, description="姓名、拼音首字母或电话")
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    branch: int | None = Field(None, ge=1, le=MAX_ID, description="所在支部id")
    group: int | None = Field(None, ge=1, le=MAX_ID, description="党小组id")
    work_unit: int | None = Field(None, ge=1, le=MAX_ID, description="双报到单位id")
    status: MemberStatus | None = Field(None, description=_labels(MemberStatus))
    kind: MemberKind | None = Field(None, description=_labels(MemberKind))
    review: Review | None = Field(None, description=f"{_labels(Review)}（默认全部）")
    state: Literal["active", "left", "all"] = Field("active", description="active 在册（默认），left 已离开，all 全部")


class PartyMemberSchema(Schema):
    id: int
    name: str
    phone: str = Field(description="联系电话，一律遮蔽（如 139****5678）")
    community_id: int
    resident_id: int | None = Field(description="居民档案id：仅当调用者可查看这位居民时给出")
    branch_id: int | None
    branch: str | None
    group_id: int | None
    kind: MemberKind
    status: MemberStatus
    joined_on: datetime.date | None
    work_unit_id: int | None
    work_unit: str = Field(description="工作单位（双报到单位或填写的名称）")
    skills: str
    availability: str
    source: str
    review: Review
    is_active: bool

    @staticmethod
    def resolve_phone(member):
        return member.masked_phone

    @staticmethod
    def resolve_resident_id(member, context):
        readable = getattr(context["request"], "party_residents", set())
        return member.resident_id if member.resident_id in readable else None

    @staticmethod
    def resolve_branch(member):
        return member.branch.name if member.branch_id else None

    @staticmethod
    def resolve_work_unit(member):
        return member.work_unit.name if member.work_unit_id else member.work_unit_name


class PartyServiceSchema(Schema):
    year: int
    volunteer_hours: float
    activities: int
    wishes_claimed: int
    wishes_fulfilled: int
    pairings: int
    contacts: int
    meetings_attended: int
    meetings_expected: int
    attendance_rate: int | None = Field(description="三会一课出席率（%），当年无会议时为空")


class PartyMemberDetailSchema(PartyMemberSchema):
    service: PartyServiceSchema = Field(description="这一年在社区的服务：志愿时长、微心愿、结对帮扶、三会一课")


def _members(user):
    return PartyMember.objects.restrict(user).select_related("resident", "branch", "work_unit")


def _readable_residents(request, members) -> None:
    """Which of these members' residents the caller may read (one query), for resolve_resident_id."""
    from linli.residents.models import Resident

    ids = {m.resident_id for m in members if m.resident_id}
    rows = Resident.objects.restrict(request.auth_user).filter(pk__in=ids) if ids else Resident.objects.none()
    request.party_residents = set(rows.values_list("pk", flat=True))


class _MemberPagination(RecordedPagination):
    """Recorded pages (接口读取党员) that also look up, once per page, which residents the caller may read."""

    def paginate_queryset(self, queryset, pagination, request=None, **params):
        result = super().paginate_queryset(queryset, pagination, request=request, **params)
        _readable_residents(request, result[self.items_attribute])
        return result


@router.get("/members", response=list[PartyMemberSchema], summary="党员名册（筛选，分页；电话遮蔽）")
@paginate(_MemberPagination, record_as=ExportKind.API_MEMBERS)
def party_member_list(request, filters: Query[PartyMemberFilterParams]):
    """管辖范围内的党员（社区书记、街道党建办：辖区；支部书记：本支部）。电话一律遮蔽，不含身份证号；
    每次调用都像导出一样记入导出记录（“接口读取党员”）。"""
    user = _gate(request)
    rows = api_rows(PartyMemberFilterSet(api_data(filters), _members(user), user=user))
    return rows.order_by("community_id", "branch_id", "name", "id")


@router.get("/members/{member_id}", response=PartyMemberDetailSchema, summary="党员（含一年的服务情况）")
def party_member_detail(request, member_id: MemberId, year: YearParam = None):
    user = _gate(request)
    member = _members(user).filter(pk=member_id).first()
    if member is None:
        raise Http404("找不到这位党员，或不在您的管辖范围内。")
    _readable_residents(request, [member])
    year = year or timezone.localdate().year
    figures = member_figures([member], year)[member.pk]
    member.service = {
        "year": year,
        **{name: getattr(figures, name) for name in PartyServiceSchema.model_fields if name not in ("year",)},
    }
    return member


# --------------------------------------------------------------------------- meetings


class PartyMeetingFilterParams(Schema):
    """The meeting list page's filters (PartyMeetingFilterSet)."""

    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    org: int | None = Field(None, ge=1, le=MAX_ID, description="党组织id（支部含其党小组）")
    kind: MeetingKind | None = Field(None, description=_labels(MeetingKind))
    month: str | None = Field(None, max_length=7, description="月份，如 2026-03")
    held_from: datetime.date | None = Field(None, description="开始日期（含）")
    held_to: datetime.date | None = Field(None, description="结束日期（含）")


class PartyMeetingSchema(Schema):
    id: int
    org_id: int
    org: str
    community_id: int
    kind: MeetingKind
    kind_label: str
    held_on: datetime.date
    topic: str
    place: str
    host: str
    present: int = Field(description="出席人数")
    leave: int = Field(description="请假人数")
    absent: int = Field(description="缺席人数")
    minutes: str | None = Field(description="会议记录：仅可记录本组织三会一课的人可见")

    @staticmethod
    def resolve_org(meeting):
        return meeting.org.name

    @staticmethod
    def resolve_kind_label(meeting):
        return meeting.get_kind_display()

    @staticmethod
    def resolve_minutes(meeting):
        return meeting.minutes if meeting.can_record else None


class PartyAttendanceSchema(Schema):
    member_id: int
    name: str
    status: Attendance
    reason: str

    @staticmethod
    def resolve_name(row):
        return row.member.name


class PartyMeetingDetailSchema(PartyMeetingSchema):
    attendance: list[PartyAttendanceSchema]

    @staticmethod
    def resolve_attendance(meeting):
        return sorted(meeting.attendance.all(), key=lambda row: (row.status != Attendance.PRESENT, row.member.name))


def _meetings(user):
    def counted(status):
        return Count("attendance", filter=Q(attendance__status=status))

    recordable = PartyMeeting.objects.restrict(user, "record").filter(pk=OuterRef("pk"))
    return (
        PartyMeeting.objects.restrict(user)
        .select_related("org")
        .annotate(
            present=counted(Attendance.PRESENT),
            leave=counted(Attendance.LEAVE),
            absent=counted(Attendance.ABSENT),
            can_record=Exists(recordable),
        )
    )


@router.get("/meetings", response=list[PartyMeetingSchema], summary="三会一课（组织、类型、日期筛选，分页）")
@paginate(LinliPagination)
def party_meeting_list(request, filters: Query[PartyMeetingFilterParams]):
    """管辖范围内的三会一课和主题党日，新的在前，带出席、请假、缺席人数。"""
    user = _gate(request)
    rows = api_rows(PartyMeetingFilterSet(api_data(filters), _meetings(user), user=user))
    return rows.order_by("-held_on", "-id")


@router.get("/meetings/{meeting_id}", response=PartyMeetingDetailSchema, summary="三会一课（含参会情况）")
def party_meeting_detail(request, meeting_id: MeetingId):
    user = _gate(request)
    meeting = _meetings(user).prefetch_related("attendance__member").filter(pk=meeting_id).first()
    if meeting is None:
        raise Http404("找不到这次会议，或不在您的管辖范围内。")
    return meeting
