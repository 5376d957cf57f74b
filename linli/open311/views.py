"""The GeoReport v2 endpoints under /open311/v2/ (docs/open311.md).

Reading (services, requests) needs no key, as the specification intends; requests are anonymised and
the sensitive kinds (低保, 残疾, 医疗, 调解, 治安 …) are left out unless a key for their community is
given. Creating a request needs an `api_key`. Every refusal is a GeoReport error list with a Chinese
description and changes nothing.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt

from linli.appeals.choices import FINISHED
from linli.appeals.models import Appeal, Category, CategoryRoute
from linli.open311 import georeport, services
from linli.residents.names import CommunityNames

#: Units whose appeals say something private about a household; public readers do not see them.
SENSITIVE_UNITS = ("mediation", "police", "civil_affairs", "disability", "hr_social", "health")
MAX_REQUESTS = 1000
MAX_DAYS = 90
#: create_appeal's field names, as the client sent them
FIELD_NAMES = {"text": "description", "reporter_phone": "phone", "reporter": "first_name"}


class Refusal(Exception):
    def __init__(self, status: int, *descriptions: str):
        super().__init__(descriptions)
        self.status, self.descriptions = status, descriptions


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, errors in exc.error_dict.items():
            for error in errors:
                for message in error.messages:
                    prefix = FIELD_NAMES.get(name)
                    out.append(f"{prefix}：{message}" if prefix and prefix not in message else message)
        return out
    return list(exc.messages)


def endpoint(methods=("GET",)):
    """Wrap a view: check format and method, and turn every refusal into a GeoReport error list."""

    def wrap(view):
        @csrf_exempt  # clients authenticate with api_key, never with a session cookie
        def run(request, fmt, **kwargs):
            fmt = fmt.lower()
            if fmt not in georeport.FORMATS:
                return georeport.errors("json", 400, [f"不支持的格式“{fmt[:10]}”：请用 .json 或 .xml。"])
            if request.method not in methods:
                response = georeport.errors(fmt, 405, [f"这个地址不支持 {request.method} 请求。"])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, **kwargs)
            except Refusal as exc:
                return georeport.errors(fmt, exc.status, exc.descriptions)
            except ValidationError as exc:
                return georeport.errors(fmt, 400, _messages(exc))
            except PermissionDenied as exc:
                return georeport.errors(fmt, 403, [str(exc) or services.BAD_KEY])
            except Http404 as exc:
                return georeport.errors(fmt, 404, [str(exc) or "没有找到。"])

        run.__name__ = view.__name__
        run.__doc__ = view.__doc__
        return run

    return wrap


def _param(request, name: str) -> str:
    """A parameter from the form body or, as some clients send api_key and jurisdiction_id, the query."""
    value = request.POST.get(name) if request.method == "POST" else None
    return services.clean_text(value if value not in (None, "") else request.GET.get(name, ""))


@endpoint()
def discovery(request, fmt):
    """Service discovery: where the GeoReport v2 endpoint is and how to get a key."""
    url = request.build_absolute_uri(reverse("open311:root"))
    doc = {
        "changeset": "2026-01-01T00:00:00+08:00",
        "contact": "请联系所在街道或社区的管理员。",
        "key_service": "由街道管理员或社区书记在邻里“管理 › Open311密钥”页面生成。",
        "endpoints": [
            {
                "specification": georeport.SPECIFICATION,
                "url": url.rstrip("/"),
                "changeset": "2026-01-01T00:00:00+08:00",
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return georeport.respond(fmt, "discovery", doc)


def _routes(community) -> dict:
    if community is None:
        return {}
    return {r.category_id: r.unit for r in CategoryRoute.objects.filter(community=community).select_related("unit")}


@endpoint()
def service_list(request, fmt):
    """GET Service List: the active categories; `group` is the unit that handles each in the jurisdiction."""
    community = services.find_jurisdiction(_param(request, "jurisdiction_id"))
    routes = _routes(community)
    rows = [
        georeport.service_row(c, routes.get(c.pk, c.unit))
        for c in Category.objects.filter(is_active=True).select_related("unit")
    ]
    return georeport.respond(fmt, "services", rows)


@endpoint()
def service_definition(request, fmt, code):
    """GET Service Definition: the attributes a request of this service may carry."""
    services.find_jurisdiction(_param(request, "jurisdiction_id"))
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise Refusal(404, f"service_code “{code[:40]}” 不存在或已停用。")
    return georeport.respond(fmt, "service_definition", georeport.service_definition(category))


# --- requests --------------------------------------------------------------------------------------


def _readable(request):
    """Appeals this reader may see: public kinds everywhere, plus everything in a given key's scope."""
    appeals = Appeal.objects.filter(category__isnull=False)
    public = ~Q(category__unit__code__in=SENSITIVE_UNITS) & ~Q(unit__code__in=SENSITIVE_UNITS)
    key = services.authenticate(_param(request, "api_key"), required=False)
    if key is not None:
        public |= services.key_scope_q(key)
    community = services.find_jurisdiction(_param(request, "jurisdiction_id"))
    if community is not None:
        appeals = appeals.filter(community=community)
    return appeals.filter(public)


def _rows(appeals) -> list[dict]:
    appeals = list(
        appeals.select_related(
            "category", "community", "building", "assigned_org", "reporter", "merged_into", "open311"
        )
    )
    registry = CommunityNames()  # every registry name of each community, read once for this response
    registry.load({a.community_id for a in appeals})
    return [georeport.request_row(a, registry[a.community_id]) for a in appeals]


def _when(request, name: str) -> datetime.datetime | None:
    raw = _param(request, name)
    if not raw:
        return None
    try:
        value = parse_datetime(raw.replace(" ", "+"))  # a "+08:00" sent unencoded arrives as a space
        if value is None:
            day = parse_date(raw)
            value = datetime.datetime.combine(day, datetime.time.min) if day else None
    except ValueError:
        value = None
    if value is None:
        raise Refusal(400, f"{name} 不是有效的W3C日期时间（如 2026-01-01T00:00:00+08:00）：“{raw[:40]}”。")
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def _filtered(request, appeals):
    ids = [i for i in (s.strip() for s in _param(request, "service_request_id").split(",")) if i]
    if ids:
        # The specification: service_request_id overrides every other filter.
        if len(ids) > MAX_REQUESTS:
            raise Refusal(400, f"service_request_id 一次最多{MAX_REQUESTS}个。")
        return appeals.filter(number__in=ids)
    problems = []
    codes = [c for c in (s.strip() for s in _param(request, "service_code").split(",")) if c]
    if codes:
        known = set(Category.objects.filter(code__in=codes).values_list("code", flat=True))
        unknown = [c for c in codes if c not in known]
        if unknown:
            problems.append(f"未知的 service_code：{'、'.join(c[:40] for c in unknown[:5])}。")
        appeals = appeals.filter(category__code__in=codes)
    statuses = {s.strip().lower() for s in _param(request, "status").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        problems.append("status 只能是 open 或 closed（可用逗号同时写两个）。")
    elif statuses == {"open"}:
        appeals = appeals.exclude(status__in=FINISHED)
    elif statuses == {"closed"}:
        appeals = appeals.filter(status__in=FINISHED)
    try:
        start, end = _when(request, "start_date"), _when(request, "end_date")
    except Refusal as exc:
        raise Refusal(400, *problems, *exc.descriptions)
    window = datetime.timedelta(days=MAX_DAYS)
    if start and end and start > end:
        problems.append("start_date 不能晚于 end_date。")
    elif start and end and end - start > window:
        problems.append(f"start_date 到 end_date 不能超过{MAX_DAYS}天。")
    if problems:
        raise Refusal(400, *problems)
    if start is None and end is None:
        end = timezone.now()
    if start is None:
        start = end - window
    if end is None:
        end = start + window
    return appeals.filter(received_at__gte=start, received_at__lte=end)


@endpoint(methods=("GET", "POST"))
def requests(request, fmt):
    """GET Service Requests (filters per the specification, newest first, at most 1000) or POST Service Request."""
    if request.method == "POST":
        return _create(request, fmt)
    appeals = _filtered(request, _readable(request)).order_by("-received_at", "-id")[:MAX_REQUESTS]
    return georeport.respond(fmt, "service_requests", _rows(appeals))


@endpoint()
def request_detail(request, fmt, number):
    """GET Service Request: a list of one, as the specification has it."""
    appeals = _readable(request).filter(number=number)
    rows = _rows(appeals)
    if not rows:
        raise Refusal(404, f"没有编号为“{number[:40]}”的请求，或它不公开。")
    return georeport.respond(fmt, "service_requests", rows)


@endpoint()
def token(request, fmt, token):
    """GET request id from a token: Linli answers POST with the id at once (type realtime), so no token exists."""
    raise Refusal(404, "本系统创建请求时直接返回 service_request_id，没有 token。")


#: The window of LINLI_OPEN311_POSTS_PER_MINUTE, in seconds.
POST_WINDOW = 60


def _over_post_limit(key) -> bool:
    """Count one POST for `key`; True when it is past LINLI_OPEN311_POSTS_PER_MINUTE in the current window.

    A window starts with a key's first POST and lasts POST_WINDOW seconds (the cache entry's timeout); the
    count is an atomic increment in the shared cache (Redis in production), so every worker counts together.
    Refused POSTs count too: a client hammering past the limit stays refused until it waits a full window.
    The cache key is the key's hash, not its id, so no two keys ever share a counter.
    """
    from linli.tracking import limits

    # One atomic INCR-with-timeout in the shared cache (limits.increment): Django's own cache.incr checks and
    # increments in two steps, and a window ending between them would leave a counter that never expires.
    count = limits.increment(f"linli:open311:posts:{key.key_hash}", POST_WINDOW)
    return count > settings.LINLI_OPEN311_POSTS_PER_MINUTE


def _create(request, fmt):
    key = services.authenticate(_param(request, "api_key"))
    if _over_post_limit(key):
        limit = settings.LINLI_OPEN311_POSTS_PER_MINUTE
        response = georeport.errors(
            fmt, 429, [f"提交太频繁：每个 api_key 每分钟最多提交{limit}条请求，请稍后再试。本次提交未受理。"]
        )
        response["Retry-After"] = str(POST_WINDOW)
        return response
    attributes = {}
    for name in request.POST:
        if name.startswith("attribute[") and name.endswith("]"):
            attributes[name[len("attribute[") : -1]] = request.POST.get(name)
    data = services.ServiceRequestInput(
        **{
            name: _param(request, name)
            for name in (
                "service_code",
                "jurisdiction_id",
                "lat",
                "long",
                "address_string",
                "address_id",
                "description",
                "email",
                "device_id",
                "account_id",
                "first_name",
                "last_name",
                "phone",
                "media_url",
            )
        },
        attributes=attributes,
    )
    appeal = services.submit_request(key, data)
    row = georeport.created_row(appeal, services.service_notice(appeal))
    return georeport.respond(fmt, "service_requests", [row], status=201)
