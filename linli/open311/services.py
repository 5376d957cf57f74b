"""Every write of the Open311 app: issuing and revoking keys, and turning a service request into an appeal.

A refusal raises ValidationError (bad or missing input: HTTP 400), PermissionDenied (no key, a bad or
revoked key, a community outside the key's scope: 403) or Http404 (an unknown jurisdiction_id: 404),
and changes nothing. The views turn them into Open311 error lists.

The appeal is created by linli.appeals.services.create_appeal with an actor that has no user (the
outside system is not a Linli user), so create_appeal's own role and area checks do not apply: the
scope check is this module's, from the key (its community, its street, or any community).
"""

from __future__ import annotations

import datetime
import decimal
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from linli.appeals import services as appeal_services
from linli.appeals.choices import Channel, Urgency
from linli.appeals.models import Appeal, Category
from linli.areas.addresses import match_address
from linli.areas.models import Building, Community, Street
from linli.areas.scope import communities_for
from linli.core.audit import Actor, record, snapshot
from linli.core.models import ChangeAction, Source
from linli.core.params import parse_id
from linli.core.querysets import require_perm
from linli.open311.models import ApiKey, Open311Request
from linli.open311.querysets import KEY_PERM

#: last_used_at is written at most this often per key (as for API tokens).
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)
MAX_DESCRIPTION = appeal_services.MAX_TEXT

#: The one attribute every service definition offers (GeoReport "attributes"): how urgent it is.
URGENCY_ATTRIBUTE = "urgency"

NO_KEY = "创建请求需要 api_key。请向街道或社区管理员申请Open311密钥。"
BAD_KEY = "api_key 无效。"
REVOKED_KEY = "这个 api_key 已作废，请向管理员申请新的密钥。"

# Control characters other than tab and newline: PostgreSQL refuses NUL, XML 1.0 refuses the rest.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_URL = re.compile(r"^https?://[^\s]+$", re.IGNORECASE)


def clean_text(value) -> str:
    return _CONTROL.sub("", str(value or "")).strip()


# --- keys ------------------------------------------------------------------------------------------


def key_communities(user):
    """Communities a user may bind a key to: those where their role holds KEY_PERM."""
    return communities_for(user, KEY_PERM, Community.objects.select_related("street"))


def key_streets(user):
    """Streets a user may bind a whole-street key to: only where they are assigned to the street itself."""
    if user.is_superuser:
        return Street.objects.all()
    if not user.has_role_perm(KEY_PERM):
        return Street.objects.none()
    return Street.objects.filter(pk__in=[node for level, node in user.assigned_nodes() if level == "street"])


@transaction.atomic
def issue_key(
    *, actor: Actor, name: str, community: Community | None = None, street: Street | None = None, hotline=False
) -> tuple[ApiKey, str]:
    """A new key (returned once, in clear) bound to a community, a street or (command line only) nothing."""
    name = clean_text(name)
    if not name:
        raise ValidationError({"name": "请填写密钥名称，如“12345热线平台”。"})
    if len(name) > 64:
        raise ValidationError({"name": "名称不超过64个字。"})
    if community is not None and street is not None:
        raise ValidationError("密钥只能绑定一个街道或一个社区。")
    user = actor.user
    if user is not None:
        require_perm(user, KEY_PERM)
        if community is not None and not key_communities(user).filter(pk=community.pk).exists():
            raise Http404("所选社区不在您的管辖范围内。")
        if street is not None and not key_streets(user).filter(pk=street.pk).exists():
            raise PermissionDenied("只有街道管理员可以为整个街道生成密钥。")
        if community is None and street is None and not user.is_superuser:
            raise ValidationError("请选择密钥适用的社区或街道。")
    raw = ApiKey.new_key()
    key = ApiKey.objects.create(
        name=name,
        key_hash=ApiKey.hash_key(raw),
        prefix=raw[:12],
        community=community,
        street=street,
        hotline=bool(hotline),
        created_by=user if getattr(user, "pk", None) else None,
    )
    record(key, ChangeAction.CREATE, None, snapshot(key), actor)
    return key, raw


@transaction.atomic
def revoke_key(key: ApiKey, *, actor: Actor) -> ApiKey:
    """作废: the key stops working at once; the requests it created stay."""
    user = actor.user
    if user is not None:
        require_perm(user, KEY_PERM)
        if not ApiKey.objects.restrict(user).filter(pk=key.pk).exists():
            raise Http404("不在您的管辖范围内。")
    key = ApiKey.objects.select_for_update().get(pk=key.pk)
    if key.revoked:
        return key
    before = snapshot(key)
    key.revoked, key.revoked_at = True, timezone.now()
    key.save(update_fields=["revoked", "revoked_at"])
    record(key, ChangeAction.UPDATE, before, snapshot(key), actor, note="作废Open311密钥")
    return key


def authenticate(raw: str | None, *, required: bool = True) -> ApiKey | None:
    """The usable key for `raw`, or PermissionDenied. A key dies with its revocation or its maker's account."""
    raw = clean_text(raw)
    if not raw:
        if required:
            raise PermissionDenied(NO_KEY)
        return None
    key = (
        ApiKey.objects.select_related("community", "street", "created_by").filter(key_hash=ApiKey.hash_key(raw)).first()
    )
    if key is None:
        raise PermissionDenied(BAD_KEY)
    if key.revoked or (key.created_by_id and not key.created_by.is_active):
        raise PermissionDenied(REVOKED_KEY)
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        ApiKey.objects.filter(pk=key.pk).exclude(last_used_at__gt=now - LAST_USED_RESOLUTION).update(last_used_at=now)
    return key


def find_jurisdiction(jurisdiction_id: str | None) -> Community | None:
    """The community whose code is `jurisdiction_id` (404 when there is none); None when not given."""
    code = clean_text(jurisdiction_id)
    if not code:
        return None
    community = Community.objects.select_related("street").filter(code=code).first()
    if community is None:
        raise Http404(f"jurisdiction_id “{code[:40]}” 不存在：请填写社区编码。")
    return community


def jurisdiction_for(key: ApiKey, jurisdiction_id: str | None) -> Community:
    """Where a keyed request goes: the key's community, or the named community inside the key's scope."""
    community = find_jurisdiction(jurisdiction_id)
    if key.community_id:
        if community is not None and community.pk != key.community_id:
            raise PermissionDenied(
                f"这个密钥只能提交到“{key.community.name}”（jurisdiction_id={key.community.code}）。"
            )
        return key.community
    if community is None:
        raise ValidationError({"jurisdiction_id": "请填写 jurisdiction_id（社区编码）：这个密钥可用于多个社区。"})
    if key.street_id and community.street_id != key.street_id:
        raise PermissionDenied(f"这个密钥只能提交到“{key.street.name}”的社区。")
    return community


def key_scope_q(key: ApiKey):
    """The appeals a key may read beyond the public ones (its community, its street, everything)."""
    from django.db.models import Q

    if key.community_id:
        return Q(community_id=key.community_id)
    if key.street_id:
        return Q(street_id=key.street_id)
    return Q()


# --- creating a service request --------------------------------------------------------------------


@dataclass
class ServiceRequestInput:
    """The fields of a GeoReport v2 POST Service Request, as strings from the form."""

    service_code: str = ""
    jurisdiction_id: str = ""
    lat: str = ""
    long: str = ""
    address_string: str = ""
    address_id: str = ""
    description: str = ""
    email: str = ""
    device_id: str = ""
    account_id: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    media_url: str = ""
    attributes: dict = field(default_factory=dict)


def _coordinate(value: str, name: str, limit: int, errors: dict) -> decimal.Decimal | None:
    if not value:
        return None
    try:
        number = decimal.Decimal(value)
    except decimal.InvalidOperation:
        errors[name] = f"{name} 必须是数字（十进制度数），收到“{value[:20]}”。"
        return None
    if not number.is_finite() or not -limit <= number <= limit:
        errors[name] = f"{name} 超出范围（-{limit} 到 {limit}）。"
        return None
    return number.quantize(decimal.Decimal("0.000001"))


def _validate(data: ServiceRequestInput, community: Community) -> dict:
    """Everything create_appeal needs, or ValidationError with every problem at once."""
    errors: dict[str, str] = {}
    code = clean_text(data.service_code)
    category = None
    if not code:
        errors["service_code"] = "请填写 service_code（问题类别代码，见 services.json）。"
    else:
        category = Category.objects.select_related("unit").filter(code=code, is_active=True).first()
        if category is None:
            errors["service_code"] = f"service_code “{code[:40]}” 不存在或已停用，请从 services.json 里选择。"
    description = clean_text(data.description)
    if not description:
        errors["description"] = "请填写 description（诉求内容）。"
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = f"description 太长了（{len(description)}字），请精简到{MAX_DESCRIPTION}字以内。"
    lat = _coordinate(clean_text(data.lat), "lat", 90, errors)
    long = _coordinate(clean_text(data.long), "long", 180, errors)
    if (lat is None) != (long is None) and "lat" not in errors and "long" not in errors:
        errors["lat"] = "lat 和 long 要一起填写。"
    address_string = clean_text(data.address_string)
    if len(address_string) > 200:
        errors["address_string"] = "address_string 不超过200个字。"
    building = household = None
    address_id = clean_text(data.address_id)
    if address_id:
        pk = parse_id(address_id)
        building = Building.objects.filter(community=community, pk=pk).first() if pk else None
        if building is None:
            errors["address_id"] = f"address_id “{address_id[:20]}” 不是{community.name}的楼栋编号。"
    elif address_string and "address_string" not in errors:
        place = match_address(address_string, community)
        building, household = place.building, place.household
    if not address_id and not address_string and lat is None and not errors.keys() & {"lat", "long"}:
        errors["location"] = "请提供位置：lat 和 long，或 address_string，或 address_id。"
    email = clean_text(data.email)
    if len(email) > 120 or (email and "@" not in email):
        errors["email"] = "email 格式不正确。"
    media_url = clean_text(data.media_url)
    if media_url and (len(media_url) > 500 or not _URL.match(media_url)):
        errors["media_url"] = "media_url 必须是 http:// 或 https:// 开头的链接，不超过500个字符。"
    for name in ("device_id", "account_id"):
        if len(clean_text(getattr(data, name))) > 64:
            errors[name] = f"{name} 不超过64个字符。"
    urgency = None
    attributes = {}
    for attr, value in (data.attributes or {}).items():
        attr, value = clean_text(attr), clean_text(value)
        if attr != URGENCY_ATTRIBUTE:
            errors[f"attribute[{attr[:30]}]"] = f"未知的属性 attribute[{attr[:30]}]：这个服务只有 attribute[urgency]。"
        elif value:
            if value not in Urgency.values:
                errors["attribute[urgency]"] = (
                    f"attribute[urgency] 只能是 {'、'.join(Urgency.values)} 之一，收到“{value[:20]}”。"
                )
            urgency = value
            attributes[attr] = value
    first, last = clean_text(data.first_name), clean_text(data.last_name)
    # Chinese order: family name first ("王" + "芳"); a Western client sends both, either may be empty.
    reporter_name = (last + first if _is_cjk(last + first) else f"{first} {last}").strip()
    if len(reporter_name) > 40:
        errors["first_name"] = "姓名不超过40个字。"
    phone = clean_text(data.phone)
    if len(phone) > 24:
        errors["phone"] = "phone 格式不正确。"
    if errors:
        raise ValidationError(errors)
    return {
        "category": category,
        "description": description,
        "lat": lat,
        "long": long,
        "address_string": address_string,
        "building": building,
        "household": household,
        "email": email,
        "media_url": media_url,
        "urgency": urgency,
        "attributes": attributes,
        "reporter_name": reporter_name,
        "phone": phone,
        "device_id": clean_text(data.device_id),
        "account_id": clean_text(data.account_id),
    }


def _is_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _place_text(v: dict) -> str:
    if v["address_string"]:
        return v["address_string"]
    if v["lat"] is not None:
        return f"经纬度 {v['lat']},{v['long']}"
    return ""


@transaction.atomic
def submit_request(key: ApiKey, data: ServiceRequestInput) -> Appeal:
    """POST Service Request: a new appeal (待派单) in the key's community, on the 12345 or API channel."""
    community = jurisdiction_for(key, data.jurisdiction_id)
    v = _validate(data, community)
    channel = Channel.HOTLINE if key.hotline else Channel.API
    actor = Actor(user=None, source=Source.API, label=f"Open311：{key.name}")
    anonymous = not v["reporter_name"] and not v["phone"]
    appeal = appeal_services.create_appeal(
        actor=actor,
        text=v["description"],
        channel=channel,
        category=v["category"],
        urgency=v["urgency"],
        reporter_name=v["reporter_name"],
        reporter_phone=v["phone"],
        anonymous=anonymous,
        community=community,
        building=v["building"] if v["household"] is None else None,
        household=v["household"],
        # A matched building says where; the free address is kept only when nothing matched.
        address="" if v["building"] is not None else _place_text(v),
    )
    Open311Request.objects.create(
        appeal=appeal,
        api_key=key,
        lat=v["lat"],
        long=v["long"],
        address_string=v["address_string"],
        email=v["email"],
        device_id=v["device_id"],
        account_id=v["account_id"],
        media_url=v["media_url"],
        attributes=v["attributes"],
    )
    return appeal


def service_notice(appeal: Appeal) -> str:
    unit = appeal_services.default_unit(appeal.category, appeal.community_id)
    who = f"，一般由{unit.name}办理" if unit else ""
    return f"已登记为诉求 {appeal.number}（{appeal.community.name}）{who}。社区派单后可查询办理进展。"
