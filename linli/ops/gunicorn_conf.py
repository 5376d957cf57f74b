"""gunicorn's configuration for Linli: `gunicorn -c python:linli.ops.gunicorn_conf linli.wsgi:application`.

`linli serve` and deploy/systemd/linli-web.service both start gunicorn with it. Everything comes from the environment:

LINLI_BIND             where to listen (comma-separated; default 127.0.0.1:8000: only nginx on the same machine talks
                       to it). unix:/run/linli/web.sock works too.
LINLI_WEB_WORKERS      worker processes; default 2 × cores + 1 (the cores this process may run on)
LINLI_WEB_THREADS      threads per worker (default 1: sync workers; more than 1 switches to gthread workers)
LINLI_WEB_TIMEOUT      seconds before a stuck worker is killed and replaced (default 60; a ledger import is queued to
                       Celery, no page needs longer)
LINLI_TRUSTED_PROXIES  the reverse proxies (addresses or networks) whose X-Forwarded-Proto gunicorn believes; the same
                       list linli.core.net uses for X-Forwarded-For. Default: none.
"""

from __future__ import annotations

import ipaddress
import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (a container or cpuset may limit them)
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _positive_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"{name} 应为正整数（现在是 {value!r}）")
    return int(value)


def _trusted_proxies() -> list[str]:
    """LINLI_TRUSTED_PROXIES as gunicorn wants it (normalised networks: gunicorn refuses 10.0.0.1/24)."""
    proxies = []
    for item in os.environ.get("LINLI_TRUSTED_PROXIES", "").split(","):
        if item.strip():
            try:
                proxies.append(str(ipaddress.ip_network(item.strip(), strict=False)))
            except ValueError:
                raise SystemExit(f"LINLI_TRUSTED_PROXIES 里有不是地址或网段的项：{item.strip()}")
    return proxies


bind = [b.strip() for b in os.environ.get("LINLI_BIND", "127.0.0.1:8000").split(",") if b.strip()]
workers = _positive_int("LINLI_WEB_WORKERS", 2 * _cores() + 1)
threads = _positive_int("LINLI_WEB_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# Proxy headers (X-Forwarded-Proto: the scheme Django sees) only from the configured proxies; by default none.
# Linli's settings leave Django's SECURE_PROXY_SSL_HEADER off in production: this list is the one place that decides.
forwarded_allow_ips = ",".join(_trusted_proxies())

timeout = _positive_int("LINLI_WEB_TIMEOUT", 60)
graceful_timeout = 30  # SIGTERM: workers finish the requests they are serving, for at most this long
keepalive = 5  # nginx keeps upstream connections open (deploy/nginx/linli.conf: keepalive 16)

# A worker is replaced after this many requests (jittered, so they do not all restart together): a slow leak in a
# library never grows into an outage.
max_requests = 2000
max_requests_jitter = 200

# Load Django once in the master, then fork: faster worker (re)starts and shared memory pages.
preload_app = True

# No access log here: linli.ops.logs writes one JSON line per request (user id, route, status, duration), without
# the query strings an access log would keep (search terms can be names and ID numbers).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LINLI_WEB_LOG_LEVEL", "info")
proc_name = "linli-web"

# Heartbeat files on a RAM disk (a worker blocked on a slow disk is not mistaken for a stuck one).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# gunicorn 27's control socket would sit in $HOME, shared by every gunicorn of the user (and read-only under systemd's
# ProtectSystem=strict): not used.
control_socket_disable = True


def when_ready(server):
    """Before the first worker is forked: the master keeps no database connection its workers would share, and what
    the preloaded application made (Django, every app's modules, the routing model: over a million objects) moves out
    of the garbage collector's sight (gc.freeze). Otherwise a worker's full collection walks all of it, now and then
    in the middle of a request: 100-250 ms of CPU measured inside single slow runs of bench/firstpage.py (its
    slowest: wall/CPU/GC column), and it writes to the pages the workers share after the fork."""
    import gc

    from django.db import connections

    connections.close_all()
    gc.collect()
    gc.freeze()


def child_exit(server, worker):
    """A worker that exits: its live gauges leave the Prometheus figures (its counters stay summed)."""
    from linli.ops.metrics import child_exit as forget_worker

    forget_worker(server, worker)
