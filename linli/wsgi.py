"""The WSGI application, warmed before it serves (see warm_up)."""

import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "linli.settings")
application = get_wsgi_application()


def warm_up() -> None:
    """Do now what a process's first requests would otherwise do one by one, each making one person wait seconds
    (issue 20, bench/load.py: the resident's first /s/<社区>/ page had a 3.2 s p95 on fresh gunicorn workers):

    - the URL configuration, which imports every app's views, forms and their libraries (1-4 s on 2 busy cores);
    - the routing model: scikit-learn's import (1-4 s) and the active model's unpickling (0.5 s), which the
      resident pages (the 由谁处理 hint) and dispatching need.

    Under gunicorn's preload_app (linli/ops/gunicorn_conf.py) this runs once in the master and every worker, also
    each one restarted after max_requests, inherits the result; without preload each worker runs it before it
    accepts a connection. A database that does not answer yet costs only the model's warm-up (logged)."""
    from django.urls import get_resolver

    log = logging.getLogger(__name__)
    log.debug("%d URL names", len(get_resolver().reverse_dict))  # the tables {% url %} reads, every view imported
    from linli.appeals.routing.services import warm_up as warm_routing

    try:
        warm_routing()
    except Exception:  # noqa: BLE001 - the first suggestion loads it then; the server must start anyway
        log.warning("routing model not loaded at start", exc_info=True)
    finally:
        from django.db import connections

        connections.close_all()  # a preloading master keeps no connection its forked workers would share


if os.environ.get("LINLI_WARM_UP", "1") == "1":
    warm_up()
