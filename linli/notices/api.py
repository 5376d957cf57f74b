"""通知公告 over the JSON API (read only): notices and their counts, never who they reached.

Rows start from Notice.objects.restrict(request.auth_user) (a resident: the sent notices that reached their
household); the list filters through NoticeFilterSet as the list page does. No personal data: the audience is its
label and counts, not its residents.
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
from linli.notices.choices import NoticeCategory, NoticeChannel, NoticeStatus
from linli.notices.filtersets import NoticeFilterSet
from linli.notices.models import Notice

router = Router(tags=["通知公告"])

NOT_IN_SCOPE = "找不到这条通知，或不在您的管辖范围内。"
NoticeId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _described(choices) -> str:
    return "，".join(f"{c.value} {c.label}" for c in choices)


class NoticeFilterParams(Schema):
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")
    status: NoticeStatus | None = Field(None, description=_described(NoticeStatus))
    category: NoticeCategory | None = Field(None, description=_described(NoticeCategory))
    q: str | None = Field(None, max_length=50, description="标题或正文包含")


class NoticeSchema(Schema):
    id: int
    title: str
    category: NoticeCategory = Field(description=_described(NoticeCategory))
    community_id: CommunityId
    community: CommunityName
    status: NoticeStatus = Field(description=_described(NoticeStatus))
    channels: list[NoticeChannel] = Field(description=_described(NoticeChannel))
    is_public: bool
    must_confirm: bool
    confirm_by: datetime.date | None
    audience_label: str = Field(description="通知对象，如“第2网格、3栋 · 独居老人 · 80岁以上”")
    resident_count: int = Field(description="发布时确定的通知人数")
    household_count: int = Field(description="发布时确定的通知户数")
    sent_at: datetime.datetime | None


class NoticeDetailSchema(NoticeSchema):
    body: str
    withdrawn_at: datetime.datetime | None


def _notices(request):
    user = request.auth_user
    if not (user.is_superuser or user.has_role_perm("notice.view") or user.has_role_perm("notice.read_self")):
        require_perm(user, "notice.view")
    return Notice.objects.restrict(user).select_related("community")


@router.get("", response=list[NoticeSchema], summary="通知列表（状态、类别、社区、文字筛选，分页）")
@paginate(LinliPagination)
def notice_list(request, filters: Query[NoticeFilterParams]):
    """管辖范围内的通知（居民：发到本户的已发布通知），新的在前。"""
    rows = api_rows(NoticeFilterSet(api_data(filters), _notices(request), user=request.auth_user))
    return rows.order_by("-created_at", "-id")


@router.get("/{notice_id}", response=NoticeDetailSchema, summary="一条通知（正文、通知对象说明和人数、渠道）")
def notice_detail(request, notice_id: NoticeId):
    notice = _notices(request).filter(pk=notice_id).first()
    if notice is None:
        raise Http404(NOT_IN_SCOPE)
    return notice
