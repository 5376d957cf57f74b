"""The love bank (爱心银行) over the JSON API: accounts, a statement, the catalogue, and redemptions.

Rows come from `Model.objects.restrict(request.auth_user, action)`, as on the pages (community staff and the
street; residents use 我的积分 instead). A redemption calls linli.lovebank.services.redeem with a source key made
from the client's idempotency key, so a POST sent twice (a retry on a weak network) spends points once and
answers with the first redemption. Refusals (too few points, out of stock) are 422 in the API's Chinese format.
"""

import datetime
import re

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import ConfigDict

from linli.accounts.api_schemas import CommunityId, CommunityName
from linli.core.api_pagination import LinliPagination
from linli.core.api_reads import RecordedPagination
from linli.core.audit import actor_of
from linli.core.filtersets import api_data, api_rows
from linli.core.models import Source
from linli.core.params import MAX_ID
from linli.core.querysets import require_perm
from linli.lovebank import services, stats
from linli.lovebank.choices import ExportKind
from linli.lovebank.filtersets import AccountFilterSet, CatalogueItemFilterSet
from linli.lovebank.models import Account, CatalogueItem, Redemption, Transaction

router = Router(tags=["爱心银行"])

ACCOUNT_NOT_IN_SCOPE = "找不到这个积分账户，或不在您的管辖范围内。"
ITEM_NOT_IN_SCOPE = "找不到这件兑换物品，或不在您的管辖范围内。"
KEY_PATTERN = r"^[A-Za-z0-9_.:-]{8,64}$"


# --- schemas -------------------------------------------------------------------------------


class AccountSchema(Schema):
    id: int
    name: str
    kind: str = Field(description="resident 居民，outside 辖区外人员")
    community: CommunityId
    community_name: CommunityName
    phone: str = Field(alias="phone_masked", description="电话（遮蔽中间四位）")
    balance: int


class EntrySchema(Schema):
    id: int
    at: datetime.datetime = Field(alias="created_at")
    kind: str = Field(alias="transaction.kind")
    kind_label: str = Field(alias="transaction.get_kind_display")
    reason: str = Field(alias="transaction.reason")
    amount: int = Field(description="正数为获得，负数为支出")
    balance_after: int | None = Field(description="这笔之后的余额")
    actor: str = Field(alias="transaction.actor_name")
    reversed: bool = Field(description="已被冲正（原记录保留）")

    @staticmethod
    def resolve_reversed(obj):
        return hasattr(obj.transaction, "reversed_by")


class ItemSchema(Schema):
    id: int
    community: CommunityId
    name: str
    kind: str = Field(description="goods 物品，service 服务")
    unit: str
    price: int = Field(description="所需积分（每单位）")
    stock: int | None = Field(description="库存；服务类为空表示不限")
    description: str
    is_active: bool


class RedemptionSchema(Schema):
    id: int
    account: int = Field(alias="account_id")
    item: int = Field(alias="item_id")
    item_name: str = Field(alias="item.name")
    quantity: int
    points: int
    status: str
    status_label: str = Field(alias="get_status_display")
    created_at: datetime.datetime
    balance: int = Field(alias="account.balance", description="兑换后账户的余额")


class RedemptionCreateSchema(Schema):
    model_config = ConfigDict(extra="forbid")

    account: int = Field(ge=1, le=MAX_ID, description="积分账户id")
    item: int = Field(ge=1, le=MAX_ID, description="兑换物品id")
    quantity: int = Field(1, ge=1, le=99)
    collected: bool = Field(False, description="true：当场领取；false：待领取")
    note: str = Field("", max_length=200)
    confirm_repeat: bool = Field(
        False,
        description="同一账户在几分钟内（LINLI_LOVEBANK_REPEAT_MINUTES，默认2分钟）已兑换过同一物品同样数量时，"
        "返回422（字段 confirm_repeat）；确认确实要再兑换一次时传 true。",
    )
    key: str | None = Field(
        None,
        description="幂等键（8到64位字母、数字或 _.:-，每笔兑换新生成一个，如UUID）；也可用请求头 Idempotency-Key。"
        "同一个键重复提交只兑换一次，返回第一次的结果。",
    )


class AccountFilterParams(Schema):
    q: str | None = Field(None, max_length=64, description="姓名（开头）、11位电话或电话后4位")
    community: int | None = Field(None, ge=1, le=MAX_ID, description="社区id")


# --- helpers -------------------------------------------------------------------------------


def _user(request, perm: str = "lovebank.view"):
    user = request.auth_user
    require_perm(user, perm)
    return user


def _account(user, account_id: int, action: str = "view") -> Account:
    account = (
        (Account.objects.restrict(user, action).holders().select_related("resident", "community"))
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        raise Http404(ACCOUNT_NOT_IN_SCOPE)
    return account


def _key(request, payload: RedemptionCreateSchema) -> str:
    key = (payload.key or request.headers.get("Idempotency-Key") or "").strip()
    if not key:
        raise ValidationError({"key": "请提供幂等键 key（或请求头 Idempotency-Key），以免重复提交时重复扣分。"})
    if not re.match(KEY_PATTERN, key):
        raise ValidationError({"key": "幂等键应为8到64位字母、数字或 _.:- 。"})
    return key


# --- endpoints -----------------------------------------------------------------------------


@router.get("/accounts", response=list[AccountSchema], summary="积分账户列表（每次调用记入导出记录）")
@paginate(RecordedPagination, record_as=ExportKind.API_LOVEBANK)
def account_list(request, filters: Query[AccountFilterParams]):
    """管辖范围内居民和辖区外人员的积分账户，按余额从高到低；电话遮蔽显示。"""
    user = _user(request)
    rows = api_rows(AccountFilterSet(api_data(filters), Account.objects.restrict(user).holders(), user=user))
    return rows.select_related("resident", "community").order_by("-balance", "id")


@router.get("/accounts/{account_id}", response=AccountSchema, summary="积分账户")
def account_detail(request, account_id: int):
    return _account(_user(request), account_id)


@router.get("/accounts/{account_id}/statement", response=list[EntrySchema], summary="积分明细（含每笔之后的余额）")
@paginate(LinliPagination)
def account_statement(request, account_id: int):
    """账户的每一笔积分往来，最新的在前；balance_after 为这笔之后的余额。"""
    return stats.statement(_account(_user(request), account_id))


@router.get("/items", response=list[ItemSchema], summary="兑换目录")
def item_list(request, community: int | None = Query(None, ge=1, le=MAX_ID)):
    user = _user(request)
    items = api_rows(
        CatalogueItemFilterSet(api_data({"community": community}), CatalogueItem.objects.restrict(user), user=user)
    )
    return list(items.order_by("community_id", "order", "id"))


@router.post("/redemptions", response={200: RedemptionSchema, 201: RedemptionSchema}, summary="积分兑换")
def redemption_create(request, payload: RedemptionCreateSchema):
    """扣积分和库存在同一事务中完成；积分不足或库存不足返回422和中文说明。同一幂等键再次提交返回第一次的兑换（200）。"""
    user = _user(request, "lovebank.add")
    key = _key(request, payload)
    account = _account(user, payload.account, "add")
    item = CatalogueItem.objects.restrict(user).filter(pk=payload.item).first()
    if item is None:
        raise Http404(ITEM_NOT_IN_SCOPE)
    source_key = f"api:{user.pk}:{key}"
    earlier = Transaction.objects.filter(source_key=source_key).select_related("redemption").first()
    if earlier is not None:
        return Status(200, _replayed(earlier, payload))
    redemption = services.redeem(
        account,
        item,
        quantity=payload.quantity,
        collected=payload.collected,
        note=payload.note,
        source_key=source_key,
        actor=actor_of(user, Source.API),
        confirm_repeat=payload.confirm_repeat,
    )
    return Status(201, Redemption.objects.select_related("account", "item").get(pk=redemption.pk))


def _replayed(txn: Transaction, payload: RedemptionCreateSchema) -> Redemption:
    """The redemption a key already made; a key reused for a different redemption is refused."""
    redemption = txn.redemption
    if redemption is None or (redemption.account_id, redemption.item_id, redemption.quantity) != (
        payload.account,
        payload.item,
        payload.quantity,
    ):
        raise ValidationError({"key": "这个幂等键已用于另一笔兑换，请为新的兑换生成新的键。"})
    return Redemption.objects.select_related("account", "item").get(pk=redemption.pk)
