"""The display device's pages: a screen's full-screen page and its data (JSON), opened by the screen's long random
link, no login. A stopped screen answers “已停用” (410), an unknown link 404; both say so in Chinese."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache

from linli.bigscreen.display import screen_data
from linli.bigscreen.services import screen_for_key, seen

GONE = 410


@method_decorator(never_cache, name="dispatch")
class ScreenShowView(View):
    """The full-screen page (the first data in the page itself, so it shows at once; the script refreshes it)."""

    def get(self, request, key):
        screen = screen_for_key(key)
        if screen is None:
            return render(request, "bigscreen/show_missing.html", status=404)
        if not screen.is_active:
            return render(request, "bigscreen/show_stopped.html", {"screen": screen}, status=GONE)
        seen(screen)
        data = screen_data(screen)
        data_url = reverse("bigscreen:screen_data", args=[key])
        return render(request, "bigscreen/show.html", {"screen": screen, "data": data, "data_url": data_url})


@method_decorator(never_cache, name="dispatch")
class ScreenDataView(View):
    def get(self, request, key):
        screen = screen_for_key(key)
        if screen is None:
            return JsonResponse({"error": "找不到这块大屏，请向社区工作人员索取新的显示链接。"}, status=404)
        if not screen.is_active:
            return JsonResponse({"stopped": True, "message": "这块大屏已停用。"}, status=GONE)
        seen(screen)
        return JsonResponse(screen_data(screen), json_dumps_params={"ensure_ascii": False})
