"""Matters (议题) over the JSON API, read only: the list (MatterFilterSet, as the page) and one matter.

Rows start from `Matter.objects.restrict(request.auth_user)`; an answer carries no personal data (who raised a
matter is its kind, 提出方, not a name), so reads are not recorded in the export log.
"""

import datetime
from typing import Annotated, Literal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from linli.core.api_pagination import LinliPagination
from linli.core.filtersets import api_data, api_rows
from linli.core.params import MAX_ID
from linli.core.querysets import require_perm
from linli.deliberation.choices import MatterScope, MatterStatus
from linli.deliberation.filtersets import OPEN, MatterFilterSet
from linli.deliberation.models import Matter

router = Router(tags=["民事民议"])

NOT_IN_SCOPE = "找不到这个议题，或不在您的管辖范围内。"
MatterId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _status_help() -> str:
    return "状态：" + "，".join(f"{s.value} {s.label}" for s in MatterStatus)


class TaskSchema(Schema):
    title: str
    deadline: datetime.date
    status: str = Field(description="open 待落实，done 已完成")
    overdue: bool = Field(description="未完成且已过期限")


class MatterSchema(Schema):
    id: int
    community: int = Field(description="社区id")
    community_name: str
    title: str
    description: str
    scope: str = Field(description="范围：" + "，".join(f"{s.value} {s.label}" for s in MatterScope))
    scope_label: str
    grid: int | None = Field(description="网格id（范围是一个网格时）")
    buildings: list[str] = Field(description="楼栋名称（范围是一栋或几栋楼时）")
    raised_by: str = Field(description="提出方")
    raised_by_label: str
    source: str
    source_label: str
    status: str = Field(description=_status_help())
    status_label: str
    created_at: datetime.datetime
    closed_at: datetime.datetime | None


class MatterDetailSchema(MatterSchema):
    households: int = Field(description="范围内的户数（今天）")
    tasks: list[TaskSchema] = Field(description="落实任务")
    publications: int = Field(description="公示次数")


#: The list's status filter: one of the statuses, or "open" (every stage still in progress).
StatusFilter = Literal[(OPEN, *MatterStatus.values)]


class MatterFilterParams(Schema):
    status: StatusFilter | None = Field(None, description=f"{OPEN} 进行中；" + _status_help())
    scope: MatterScope | None = Field(None, description="范围")
    grid: int | None = Field(None, ge=1, le=MAX_ID, description="网格id")
    q: str | None = Field(None, max_length=50, description="关键词（议题、说明）")


def _row(m: Matter) -> dict:
    return {
        "id": m.pk,
        "community": m.community_id,
        "community_name": m.community.name,
        "title": m.title,
        "description": m.description,
        "scope": m.scope,
        "scope_label": m.get_scope_display(),
        "grid": m.grid_id,
        "buildings": [b.name for b in m.buildings.all()],
        "raised_by": m.raised_by,
        "raised_by_label": m.get_raised_by_display(),
        "source": m.source,
        "source_label": m.get_source_display(),
        "status": m.status,
        "status_label": m.get_status_display(),
        "created_at": m.created_at,
        "closed_at": m.closed_at,
    }


def _viewer(request):
    user = request.auth_user
    require_perm(user, "matter.view")
    return user


@router.get("/matters", response=list[MatterSchema], summary="议题列表（状态、范围、网格、关键词筛选，分页）")
@paginate(LinliPagination)
def matter_list(request, filters: Query[MatterFilterParams]):
    """管辖范围内的议题，新提出的在前。"""
    user = _viewer(request)
    rows = Matter.objects.restrict(user).select_related("community").prefetch_related("buildings")
    matters = api_rows(MatterFilterSet(api_data(filters), rows, user=user))
    return [_row(m) for m in matters.order_by("-created_at", "-id")]


@router.get("/matters/{matter_id}", response=MatterDetailSchema, summary="一个议题（含落实任务）")
def matter_detail(request, matter_id: MatterId):
    user = _viewer(request)
    matter = Matter.objects.restrict(user).select_related("community").filter(pk=matter_id).first()
    if matter is None:
        raise Http404(NOT_IN_SCOPE)
    today = timezone.localdate()
    tasks = [
        {"title": t.title, "deadline": t.deadline, "status": t.status, "overdue": t.is_overdue(today)}
        for t in matter.tasks.order_by("deadline", "id")
    ]
    return {
        **_row(matter),
        "households": matter.households_in_scope().count(),
        "tasks": tasks,
        "publications": matter.publications.filter(withdrawn=False).count(),
    }
