"""Error pages that Django renders itself (handler400): in Chinese, and a 413 for a body over the limit.

Django reads a request body lazily; the first read past DATA_UPLOAD_MAX_MEMORY_SIZE (or a form with more than
DATA_UPLOAD_MAX_NUMBER_FIELDS fields) raises RequestDataTooBig / TooManyFieldsSent, which are SuspiciousOperation:
Django answers them through handler400. Whoever read first (the CSRF middleware, a view, the API's parser),
the person gets a Chinese page, and an API client (under /api/) the API's JSON error shape.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import JsonResponse
from django.shortcuts import render


def too_big_message() -> str:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    size = f"{limit / (1024 * 1024):.1f}MB" if limit and limit >= 1024 * 1024 else f"{limit}字节"
    return f"提交的内容太大（不能超过{size}，不含上传的文件），没有保存。请缩短内容后重试。"


TOO_MANY_FIELDS_MESSAGE = "提交的字段太多，没有保存。"
BAD_REQUEST_MESSAGE = "请求不完整或格式不正确，没有保存。请返回重试。"


def bad_request(request, exception=None):
    """handler400: 413 for a body over the limit, 400 otherwise; JSON under /api/, a page elsewhere."""
    if isinstance(exception, RequestDataTooBig):
        status, message = 413, too_big_message()
    elif isinstance(exception, TooManyFieldsSent):
        status, message = 413, TOO_MANY_FIELDS_MESSAGE
    else:
        status, message = 400, BAD_REQUEST_MESSAGE
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status, json_dumps_params={"ensure_ascii": False})
    return render(request, "400.html", {"message": message, "status": status}, status=status)
