"""Micro-wishes (微心愿) over the JSON API: a community's public list (no login), the list and one wish for
staff and claimers, and claim / release.

The public list is the public page's data: open wishes, public fields only, run through the anonymiser.
The signed-in list starts from `Wish.objects.restrict(request.auth_user)`; a wish's private part (who,
where, phone, delivery notes) is filled only where `services.can_see_private` would allow it (the wish's
staff, the claimer holding its live claim), and is null otherwise. Claim and release are thin wrappers over
linli.wishes.services: refusals are 422 with the service's Chinese message, a role without the right 403,
a wish outside the user's scope 404.
"""

import datetime
from typing import Annotated

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Value
from django.http import Http404, HttpResponse
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import ConfigDict

from linli.accounts.api_auth import full_personal_data
from linli.areas.models import Community
from linli.core.api_reads import RecordedPagination
from linli.core.audit import actor_of
from linli.core.filtersets import api_data, api_rows
from linli.core.models import Source
from linli.core.params import MAX_ID
from linli.core.phone import mask_phone
from linli.core.querysets import require_perm
from linli.residents.names import CommunityNames
from linli.wishes import services
from linli.wishes.choices import ExportKind, WishCategory, WishStatus
from linli.wishes.filtersets import WishFilterSet
from linli.wishes.models import Claimer, Wish, WishClaim

router = Router(tags=["微心愿"])

NOT_IN_SCOPE = "找不到这个心愿，或不在您的管辖范围内。"
NO_COMMUNITY = "没有这个社区编码：{code}"
NO_CLAIMER = "没有这个认领人，或不在您的管辖范围内。"


#: A path id past the bigint range would overflow in the database driver (500): 422 instead.
WishId = Annotated[int, Path(ge=1, le=MAX_ID)]


# --- schemas -------------------------------------------------------------------------------


def _status_help() -> str:
    return "状态：" + "，".join(f"{s.value} {s.label}" for s in WishStatus)


class WishPublicSchema(Schema):
    """What anyone may read: the wish and its neutral description, never who or where."""

    title: str
    description: str
    category: str = Field(description="类别：" + "，".join(f"{c.value} {c.label}" for c in WishCategory))
    category_label: str
    target_date: datetime.date | None = Field(description="希望实现日期")


class WishPublicListSchema(Schema):
    community: str = Field(description="社区名称")
    fulfilled: int = Field(description="已实现的心愿数")
    claimed: int = Field(description="已认领、正在实现的心愿数")
    items: list[WishPublicSchema] = Field(description="待认领的心愿（最多200条）")


class WishPrivateSchema(Schema):
    beneficiary_name: str = Field(description="心愿人")
    address: str
    contact_phone: str
    delivery_notes: str


class WishSchema(Schema):
    id: int
    community: int = Field(description="社区id")
    community_name: str
    title: str = Field(description="心愿（公开部分，已去除姓名、电话、门牌号）")
    description: str
    category: str
    category_label: str
    target_date: datetime.date | None
    status: str = Field(description=_status_help())
    status_label: str
    claimer: str | None = Field(description="当前认领人（姓名或单位名称）")
    claimed_at: datetime.datetime | None
    fulfilled_at: datetime.datetime | None
    created_at: datetime.datetime
    private: WishPrivateSchema | None = Field(
        description="送达信息：只有本社区工作人员和当前认领人能看到，其他人为null"
    )


class WishFilterParams(Schema):
    status: WishStatus | None = Field(None, description=_status_help())
    # The pattern is documented here and checked by WishFilterSet (with its own Chinese message).
    month: str | None = Field(
        None, json_schema_extra={"pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}, description="登记月份，YYYY-MM"
    )
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")


class ClaimSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    claimer: int | None = Field(
        None, ge=1, le=MAX_ID, description="认领人id：工作人员代为登记时必填；志愿者/党员本人认领时不填"
    )
    note: str = Field("", max_length=500)


class ReleaseSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(max_length=200, description="取消认领的原因")


# --- helpers -------------------------------------------------------------------------------


def _public_row(wish: Wish, registry: CommunityNames | None = None) -> dict:
    names = registry[wish.community_id] | wish.private_names() if registry else wish.private_names()
    return {
        "title": services.public_text(wish.title, names),
        "description": services.public_text(wish.description, names),
        "category": wish.category,
        "category_label": wish.get_category_display(),
        "target_date": wish.target_date,
    }


def _row(wish: Wish, full_phone: bool = True) -> dict:
    """The wish as the API returns it; `full_phone` False (a token without 完整电话) masks the contact phone."""
    claim = wish.live_claims[0] if wish.live_claims else None
    private = None
    if wish.managed or wish.mine:
        private = {
            "beneficiary_name": wish.beneficiary_name,
            "address": wish.address,
            "contact_phone": wish.contact_phone if full_phone else mask_phone(wish.contact_phone),
            "delivery_notes": wish.delivery_notes,
        }
    return {
        **_public_row(wish),
        "id": wish.pk,
        "community": wish.community_id,
        "community_name": wish.community.name,
        "status": wish.status,
        "status_label": wish.get_status_display(),
        "claimer": claim.claimer.name if claim else None,
        "claimed_at": wish.claimed_at,
        "fulfilled_at": wish.fulfilled_at,
        "created_at": wish.created_at,
        "private": private,
    }


def _viewer(request):
    user = request.auth_user
    require_perm(user, "wish.view")
    return user


def _rows(user):
    """The user's wishes with what decides the private part computed in the same query."""
    managed = (
        Exists(Wish.objects.restrict(user, "manage").filter(pk=OuterRef("pk")))
        if user.is_superuser or user.has_role_perm("wish.manage")
        else Value(False)
    )
    mine = Exists(WishClaim.objects.live().filter(wish=OuterRef("pk"), claimer__user=user))
    live = Prefetch("claims", queryset=WishClaim.objects.live().select_related("claimer"), to_attr="live_claims")
    return (
        Wish.objects.restrict(user)
        .select_related("community", "resident")
        .prefetch_related(live)
        .annotate(managed=managed, mine=mine)
    )


def _get(user, wish_id: int) -> Wish:
    wish = Wish.objects.restrict(user).filter(pk=wish_id).first()
    if wish is None:
        raise Http404(NOT_IN_SCOPE)
    return wish


def _detail(user, wish_id: int, full_phone: bool = True) -> dict:
    wish = _rows(user).filter(pk=wish_id).first()
    if wish is None:
        raise Http404(NOT_IN_SCOPE)
    return _row(wish, full_phone)


def _after(user, wish_id: int, full_phone: bool = True) -> dict:
    """The wish after a step the user just took: a claimer who saw it only through their claim and gave it
    back still gets an answer (the public part), not a 404 for a release that succeeded."""
    try:
        return _detail(user, wish_id, full_phone)
    except Http404:
        wish = Wish.objects.select_related("community", "resident").get(pk=wish_id)
        wish.live_claims, wish.managed, wish.mine = [], False, False
        return _row(wish, full_phone)


# --- endpoints -----------------------------------------------------------------------------


@router.get("/public/{code}", response=WishPublicListSchema, auth=None, summary="社区的待认领心愿（公开，无需登录）")
def wish_public_list(request, code: str, response: HttpResponse):
    """与公开页面 /wishes/public/<社区编码>/ 相同：只有待认领的心愿和公开内容，没有心愿人的姓名、地址、电话。"""
    community = Community.objects.filter(code=code).first()
    if community is None:
        raise Http404(NO_COMMUNITY.format(code=code))
    wishes = Wish.objects.public_board(community)
    counts = Wish.objects.board_counts(community)
    response["Cache-Control"] = "public, max-age=300"
    registry = CommunityNames()  # every registry name of the community, the anonymiser's second line of defence
    return {"community": community.name, **counts, "items": [_public_row(w, registry) for w in wishes]}


@router.get("", response=list[WishSchema], summary="心愿列表（状态、登记月份、社区筛选，分页；每次调用记入导出记录）")
@paginate(RecordedPagination, record_as=ExportKind.API_WISHES)
def wish_list(request, filters: Query[WishFilterParams]):
    """管辖范围内的心愿（志愿者/党员：报到社区的心愿和自己认领的心愿），新登记的在前。"""
    user = _viewer(request)
    wishes = api_rows(WishFilterSet(api_data(filters), _rows(user), user=user))
    full_phone = full_personal_data(request)
    return [_row(w, full_phone) for w in wishes.order_by("-created_at", "-id")]


@router.get("/{wish_id}", response=WishSchema, summary="一个心愿")
def wish_detail(request, wish_id: WishId):
    return _detail(_viewer(request), wish_id, full_personal_data(request))


@router.post("/{wish_id}/claim", response=WishSchema, summary="认领心愿")
def wish_claim(request, wish_id: WishId, payload: ClaimSchema):
    """志愿者/党员以本人登记的认领人身份认领；工作人员为登记的认领人（如电话认领的单位）代为登记。
    已被认领时返回422：“手慢了一步……”。"""
    user = _viewer(request)
    wish = _get(user, wish_id)
    claimer = None
    if payload.claimer is not None:
        claimer = Claimer.objects.restrict(user, "view").filter(pk=payload.claimer).first()
        if claimer is None:
            raise ValidationError({"claimer": NO_CLAIMER})
    services.claim_wish(wish, actor=actor_of(user, Source.API), claimer=claimer, note=payload.note)
    return _after(user, wish_id, full_personal_data(request))


@router.post("/{wish_id}/release", response=WishSchema, summary="取消认领")
def wish_release(request, wish_id: WishId, payload: ReleaseSchema):
    """认领人本人或社区工作人员取消认领，须写原因；心愿回到待认领。"""
    user = _viewer(request)
    services.release_claim(_get(user, wish_id), actor=actor_of(user, Source.API), reason=payload.reason)
    return _after(user, wish_id, full_personal_data(request))
