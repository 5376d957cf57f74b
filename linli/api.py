"""The JSON API root (django-ninja). Routers per app are mounted here.

Errors have one shape whatever raised them, with messages in Chinese:
``{"detail": "<message>"}`` for 400/401/403/404/413/429 and ``{"detail": [{"field": ..., "message": ...}]}``
for invalid input (422), whether pydantic rejected the request or a service rejected the data (the
Linli-Refusal header tells which). Every operation's schema documents them (LinliAPI, ERROR_RESPONSES).
"""

from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import Swagger
from ninja.renderers import JSONRenderer

from linli.accounts.api_auth import bearer_token, session_auth
from linli.core.errors import TOO_MANY_FIELDS_MESSAGE, too_big_message


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON with the Chinese left readable (not \\uXXXX escapes) for people reading curl output."""

    json_dumps_params = {"ensure_ascii": False}


NOT_FOUND_MESSAGE = "找不到这条记录，或不在您的管辖范围内。"
FORBIDDEN_MESSAGE = "您的角色没有这项权限。"

#: The error answers every operation can give (the handlers below make them), documented on each operation so
#: that a client, and schemathesis (tests/test_api_schema.py), knows them. 400 and 413 only where there is a
#: body. Keys are ints like ninja's own, so that an operation declaring one itself keeps its declaration.
ERROR_RESPONSES = {
    400: "请求体不是有效的JSON。",
    401: "未登录，或API令牌无效、已撤销。",
    403: "角色没有这项权限（以登录会话修改数据时也可能是CSRF校验失败）。",
    404: "不存在，或不在您的管辖范围内。",
    413: "请求体太大。",
    422: "数据不合格：请求参数或请求体不符合要求，或业务规则不允许（逐项中文说明）。",
    429: "请求太频繁，请稍后再试。",
}
BODY_ONLY = {400, 413}

#: On a 422: "rule" when a service or filter refused data the schema allows (a household outside the scope, a
#: missing reporter), "schema" when the request did not match the schema. A client (and tests/test_api_schema.py)
#: can tell "fix the request" from "the data was refused".
REFUSAL_HEADER = "Linli-Refusal"

ERROR_SCHEMAS = {
    "FieldError": {
        "type": "object",
        "properties": {
            "field": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "字段名，整体问题为null"},
            "message": {"type": "string", "description": "中文说明"},
        },
        "required": ["field", "message"],
    },
    "Error": {
        "type": "object",
        "properties": {
            "detail": {
                "anyOf": [{"type": "string"}, {"type": "array", "items": {"$ref": "#/components/schemas/FieldError"}}],
                "description": "中文说明；422时为逐项说明的列表",
            }
        },
        "required": ["detail"],
    },
}


class LinliAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI schema documents the error answers of every operation (ERROR_RESPONSES)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema.setdefault("components", {}).setdefault("schemas", {}).update(ERROR_SCHEMAS)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                has_body = "requestBody" in operation
                for status, description in ERROR_RESPONSES.items():
                    if status in BODY_ONLY and not has_body:
                        continue
                    response = {
                        "description": description,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                    }
                    if status == 422:
                        response["headers"] = {
                            REFUSAL_HEADER: {
                                "description": "schema：请求不符合接口格式；rule：格式正确，但业务规则不允许",
                                "schema": {"type": "string", "enum": ["schema", "rule"]},
                            }
                        }
                    operation["responses"].setdefault(status, response)
        return schema


api = LinliAPI(
    title="邻里 Linli API",
    version="1",
    description=(
        "邻里平台的数据接口。认证：请求头 `Authorization: Bearer <API令牌>`，或浏览器的登录会话"
        "（修改数据的请求须带 `X-CSRFToken`）。每个接口只返回当前用户管辖范围内的数据。\n\n"
        "API令牌有有效期；默认只读（修改数据的请求返回403），默认电话遮蔽、不列出敏感标签。"
        "列出居民、诉求、心愿、积分账户、志愿者时长的接口每次调用都记入导出记录；查看完整身份证号码每人每小时限次。\n\n"
        "错误：400 请求体不是有效的JSON；401 未登录或令牌无效、已过期；403 角色没有这项权限，或令牌只读；"
        "404 不存在或不在管辖范围内；413 请求体太大；"
        '422 数据不合格，格式为 `{"detail": [{"field": 字段, "message": 说明}]}`，响应头 `Linli-Refusal` 为 schema'
        "（请求不符合接口格式）或 rule（格式正确但业务规则不允许）；429 请求太频繁或超过次数上限。"
    ),
    urls_namespace="api",
    auth=[bearer_token, session_auth],
    renderer=ChineseJSONRenderer(),
    # ninja's own template loads the bundled swagger files from our static and its init from a
    # static file (no inline script), so the site-wide CSP applies unchanged. The validator badge
    # would load an image from validator.swagger.io: switched off (offline intranets, CSP img-src).
    docs=Swagger(settings={"validatorUrl": None}),
)


def _error(request, status: int, detail, refusal: str | None = None):
    response = api.create_response(request, {"detail": detail}, status=status)
    if refusal:
        response[REFUSAL_HEADER] = refusal
    return response


@api.exception_handler(DjangoValidationError)
def _on_validation_error(request, exc: DjangoValidationError):
    """A service refused the data: 422 with its Chinese messages, keyed by field."""
    if hasattr(exc, "error_dict"):
        items = [
            {"field": None if field == NON_FIELD_ERRORS else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        items = [{"field": None, "message": message} for message in exc.messages]
    return _error(request, 422, items, refusal="rule")


@api.exception_handler(PermissionDenied)
def _on_permission_denied(request, exc: PermissionDenied):
    return _error(request, 403, str(exc) or FORBIDDEN_MESSAGE)


@api.exception_handler(Http404)
def _on_not_found(request, exc: Http404):
    # Django's own 404 texts are English ("No Resident matches..."); endpoints raise Chinese ones.
    message = str(exc)
    return _error(request, 404, message if message and not message.isascii() else NOT_FOUND_MESSAGE)


@api.exception_handler(RequestDataTooBig)
def _on_body_too_big(request, exc: RequestDataTooBig):
    """A JSON body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413, not the 500 of an unexpected exception."""
    return _error(request, 413, too_big_message())


@api.exception_handler(TooManyFieldsSent)
def _on_too_many_fields(request, exc: TooManyFieldsSent):
    return _error(request, 413, TOO_MANY_FIELDS_MESSAGE)


@api.exception_handler(AuthenticationError)
def _on_unauthenticated(request, exc: AuthenticationError):
    message = str(exc)
    if message == "Unauthorized":
        message = "请先登录，或在请求头里提供有效的API令牌（Authorization: Bearer …）。"
    return _error(request, 401, message)


_HTTP_ERROR_MESSAGES = {
    "Cannot parse request body": "请求体不是有效的JSON。",
    "CSRF check Failed": "CSRF校验失败。",
    "Too many requests.": "请求太频繁，请稍后再试。",
}


@api.exception_handler(HttpError)
def _on_http_error(request, exc: HttpError):
    message = str(exc)
    return _error(request, exc.status_code, _HTTP_ERROR_MESSAGES.get(message, message))


def _field_of(loc) -> str | None:
    # ("query", "limit") -> "limit"; ("body", "payload", "tags", 0) -> "tags.0"
    parts = [str(p) for p in loc[1:]]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or None


def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "必须填写。"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "请填写整数。"
    if kind in ("float_parsing", "float_type", "decimal_parsing"):
        return "请填写数字。"
    if kind in ("greater_than_equal", "greater_than"):
        return f"不能小于{ctx.get('ge', ctx.get('gt'))}。"
    if kind in ("less_than_equal", "less_than"):
        return f"不能大于{ctx.get('le', ctx.get('lt'))}。"
    if kind in ("enum", "literal_error"):
        expected = str(ctx.get("expected", "")).replace("' or '", "', '")
        return f"不是有效的选项，可选：{expected}。"
    if kind in ("string_type", "string_unicode"):
        return "请填写文字。"
    if kind == "string_too_long":
        return f"最多{ctx.get('max_length')}个字符。"
    if kind in ("bool_parsing", "bool_type"):
        return "请填写 true 或 false。"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "应为列表。"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return "日期格式不正确，应为 YYYY-MM-DD。"
    if kind == "string_pattern_mismatch":
        return "格式不正确（见接口文档中的格式要求）。"
    if kind == "extra_forbidden":
        return "不支持这个字段。"
    if kind in ("json_invalid", "dict_type", "model_type", "model_attributes_type"):
        return "请求体格式不正确，应为JSON对象。"
    return "格式不正确。"


@api.exception_handler(NinjaValidationError)
def _on_request_invalid(request, exc: NinjaValidationError):
    """The request did not match the schema: same shape as a service's 422, in Chinese."""
    items = [{"field": _field_of(e.get("loc", ())), "message": _pydantic_message(e)} for e in exc.errors]
    return _error(request, 422, items, refusal="schema")


api.add_router("/areas", "linli.areas.api.router")
api.add_router("/residents", "linli.residents.api.router")
api.add_router("/appeals", "linli.appeals.api.router")
api.add_router("/volunteers", "linli.volunteers.api.router")
api.add_router("/wishes", "linli.wishes.api.router")
api.add_router("/mediation", "linli.mediation.api.router")
api.add_router("/lovebank", "linli.lovebank.api.router")
api.add_router("/deliberation", "linli.deliberation.api.router")
api.add_router("/votes", "linli.votes.api.router")
api.add_router("/notices", "linli.notices.api.router")
api.add_router("/campaigns", "linli.campaigns.api.router")
api.add_router("/party", "linli.party.api.router")
api.add_router("/places", "linli.places.api.router")
api.add_router("/afterschool", "linli.afterschool.api.router")
api.add_router("/hall", "linli.hall.api.router")
api.add_router("/certificates", "linli.certificates.api.router")
api.add_router("/support", "linli.support.api.router")
