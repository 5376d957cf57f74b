"""The WSGI application bench/servers.py serves with gunicorn and with granian: Linli plus a minimal view at
/bench/ping/ (added to the URLconf here only, never in Linli itself)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.http import HttpResponse  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402

import linli.urls  # noqa: E402


def ping(request):
    return HttpResponse(b"ok", content_type="text/plain")


linli.urls.urlpatterns.insert(0, path("bench/ping/", ping))
clear_url_caches()
