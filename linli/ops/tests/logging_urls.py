"""The site's URLs plus two views that log personal numbers in every way a developer might (test_logs.py)."""

import logging

from django.http import HttpResponse
from django.urls import path

from linli.urls import handler400, handler403, handler404, handler500  # noqa: F401
from linli.urls import urlpatterns as site_urlpatterns

log = logging.getLogger("linli.residents")


def chatty(request):
    log.warning("居民身份证 110105194912310021 手机 13812345678")
    log.warning("居民 %s 电话 %s 旧证 %s", "11010519491231002X", "+86 139-8765-4321", 110105491231002)
    log.warning("附加字段", extra={"id_number": "110105 19491231 0037", "phone": "136 0000 2222", "n": 13700000001})
    try:
        raise ValueError("核对失败：身份证 110105194912310053，手机 0086-13500003333")
    except ValueError:
        log.exception("处理出错")
    return HttpResponse("ok")


def crash(request):
    raise RuntimeError("居民 13400004444 的记录坏了")


urlpatterns = [
    path("test-log/chatty/", chatty, name="test_chatty"),
    path("test-log/crash/", crash, name="test_crash"),
    *site_urlpatterns,
]
