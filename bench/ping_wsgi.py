"""Linli's WSGI application plus a minimal JSON view at /bench/ping/, for the benches' servers only.

The minimal view goes through the same settings and middleware as every page, so "X is N times slower than
the minimal view" compares the work of X with the fixed cost of a request on the same server.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

import linli.urls  # noqa: E402


def ping(request):
    return JsonResponse({"ok": True})


linli.urls.urlpatterns.insert(0, path("bench/ping/", ping))
