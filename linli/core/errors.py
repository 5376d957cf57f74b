"""Error pages in Chinese, with a way back, in production and under `make demo` (DEBUG) alike.

Django's own handlers (handler400/403/404/500) render our templates only when DEBUG is off; with DEBUG on
(the embedded demo) a missing page or a crash showed Django's English technical page, traceback included.
ErrorPageMiddleware replaces those technical pages by the Chinese ones whatever DEBUG says: the traceback of a
crash is logged (django.request, by Django's own handler) and never sent to the browser. Requests to the JSON
API get JSON errors instead of any HTML page.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader

#: Django's technical pages (404, 500 and the 400 it shows for a SuspiciousOperation) all carry this tag.
TECHNICAL_MARKER = b'<meta name="robots" content="NONE,NOARCHIVE">'

#: status -> (template, message for the JSON API)
PAGES = {
    400: ("400.html", "请求有误，无法处理。"),
    403: ("403.html", "没有权限。"),
    404: ("404.html", "找不到这个地址。"),
    413: ("413.html", "上传的内容太大。"),
    500: ("500.html", "系统出错了，数据没有改变。"),
}

#: The JSON API and the Open311 endpoints (their own errors are JSON or XML already; a page that does not exist
#: there answers in JSON too). /api/docs is HTML but never an error page.
API_PREFIXES = ("/api/", "/open311/v2/")


def too_big_message() -> str:
    """What a body over DATA_UPLOAD_MAX_MEMORY_SIZE is told (the API's 413 says the same)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{limit / (1024 * 1024):.1f}MB" if limit and limit >= 1024 * 1024 else f"{limit}字节"
    return f"提交的内容太大（不能超过{size}，不含上传的文件），没有保存。请缩短内容后重试。"


TOO_MANY_FIELDS_MESSAGE = "提交的字段太多，没有保存。"


def is_api(request) -> bool:
    return request.path.startswith(API_PREFIXES)


def back_url(request) -> str:
    """The page the user came from, when it is a page of this site (never an outside address)."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    parts = urlsplit(referer)
    if parts.netloc and parts.netloc != request.get_host():
        return ""
    if parts.scheme not in ("", "http", "https") or parts.path == request.path:
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def error_response(request, status: int, exception=None, message: str = ""):
    """The Chinese error page (or JSON error for the API) for `status`; `message` says more when known."""
    template, default_message = PAGES.get(status, PAGES[500])
    message = message or default_message
    if is_api(request):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 500:
        # No context processors, no database: whatever broke the request must not break its error page.
        return _plain(template, status, request)
    detail = ""
    if status == 403 and exception is not None:
        text = str(exception)
        detail = text if text and not text.isascii() else ""  # our Chinese messages, never Django's English ones
    try:
        context = {"exception": detail, "back_url": back_url(request), "message": message}
        return render(request, template, context, status=status)
    except Exception:  # the page itself failed (a context processor, the database): the plain 500 page
        return _plain(PAGES[500][0], 500, request)


def _plain(template, status, request):
    content = loader.get_template(template).render({"back_url": back_url(request)})
    return HttpResponse(content, status=status)


def bad_request(request, exception=None):
    """handler400: a body over the limit (RequestDataTooBig, TooManyFieldsSent, raised by whoever read the body first:
    the CSRF middleware, a view, the API's parser) is a 413 that says so; anything else a 400."""
    if isinstance(exception, RequestDataTooBig):
        return error_response(request, 413, exception, too_big_message())
    if isinstance(exception, TooManyFieldsSent):
        return error_response(request, 413, exception, TOO_MANY_FIELDS_MESSAGE)
    return error_response(request, 400, exception)


def permission_denied(request, exception=None):
    return error_response(request, 403, exception)


def page_not_found(request, exception=None):
    return error_response(request, 404, exception)


def server_error(request):
    return error_response(request, 500)


class ErrorPageMiddleware:
    """Swap Django's technical error pages for ours (DEBUG on), and HTML error pages for JSON on the API.

    Placed inside CSPMiddleware so the pages it renders carry the same security headers. Exceptions are
    still turned into responses by Django's handler first, so they are logged (with their traceback) and
    signalled as usual; only what reaches the browser changes.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code < 400 or response.streaming:
            return response
        html = response.get("Content-Type", "").startswith("text/html")
        if is_api(request):
            # An HTML error page (a missing address, a crash) becomes JSON; other answers (405 with its Allow
            # header, the API's own JSON errors) pass unchanged.
            if html and response.status_code in PAGES:
                return error_response(request, response.status_code)
            return response
        if html and TECHNICAL_MARKER in response.content:
            status = response.status_code
            if status == 400 and "RequestDataTooBig" in response.content[:4000].decode("utf-8", "replace"):
                return error_response(request, 413, message=too_big_message())
            return error_response(request, status if status in PAGES else 500)
        return response
