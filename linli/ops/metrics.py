"""Prometheus metrics: HTTP requests and latency by route, Celery task runs and failures, queue length.

Label values are bounded: a request is labelled with its URL pattern's name (never its raw path, which
holds ids), an unknown method becomes "other", a path that matches no URL is "unmatched".

Several processes (gunicorn workers, the Celery worker and its children) each count for themselves; with
PROMETHEUS_MULTIPROC_DIR (or LINLI_METRICS_DIR) set in their environment, every process writes its values
to files in that folder and /metrics adds them up (prometheus_client's multiprocess mode). The variable
must be set before any process imports prometheus_client, the folder emptied when the set of processes
starts (`prepare_dir`), and gunicorn must call `child_exit` from its child_exit hook.
"""

from __future__ import annotations

import hmac
import ipaddress
import os
import shutil
import time
from pathlib import Path

if os.environ.get("LINLI_METRICS_DIR") and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # prometheus_client decides between in-process and multiprocess values when it is imported.
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = os.environ["LINLI_METRICS_DIR"]

from celery import signals as celery_signals  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import DatabaseError  # noqa: E402
from django.http import Http404, HttpResponse  # noqa: E402
from prometheus_client import (  # noqa: E402
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily  # noqa: E402

from linli.core.net import client_ip  # noqa: E402

METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
UNMATCHED = "unmatched"
#: Seconds. 0.1 and 0.3 are the targets of the benches (first pages; the load test's p95).
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

HTTP_REQUESTS = Counter(
    "linli_http_requests",
    "HTTP requests answered, by URL name, method and status class",
    ["route", "method", "status"],
)
HTTP_LATENCY = Histogram(
    "linli_http_request_duration_seconds",
    "Time from the request entering Linli's middleware to the response leaving it",
    ["route", "method"],
    buckets=LATENCY_BUCKETS,
)
DB_ERRORS = Counter(
    "linli_db_errors",
    "Requests that ended in a database error, by error class (OperationalError: the database is unreachable)",
    ["error"],
)
CELERY_TASKS = Counter(
    "linli_celery_tasks",
    "Celery task runs by task name and outcome (success, failure, retry)",
    ["task", "outcome"],
)
CELERY_TASK_DURATION = Histogram(
    "linli_celery_task_duration_seconds",
    "Run time of Celery tasks",
    ["task"],
    buckets=(0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 3600.0),
)


def multiprocess_dir() -> str:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or os.environ.get("prometheus_multiproc_dir") or ""


def prepare_dir(path: str | os.PathLike) -> Path:
    """Empties (or creates) the multiprocess folder. Call once before starting the web and Celery processes:
    files left by a previous run would otherwise be added to the new run's figures."""
    folder = Path(path)
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return folder


def child_exit(server, worker) -> None:
    """gunicorn's child_exit hook: a dead worker's live gauges are removed (its counters stay summed)."""
    folder = multiprocess_dir()
    if folder:
        multiprocess.mark_process_dead(worker.pid, folder)


def _status_class(code: int) -> str:
    return f"{code // 100}xx"


class MetricsMiddleware:
    """Counts each request and observes its duration, labelled by the URL's name (bounded)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        route = match.view_name if match is not None and match.view_name else UNMATCHED
        method = request.method if request.method in METHODS else "other"
        HTTP_REQUESTS.labels(route, method, _status_class(response.status_code)).inc()
        HTTP_LATENCY.labels(route, method).observe(elapsed)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DatabaseError):
            DB_ERRORS.labels(type(exception).__name__).inc()
        return None


# --- Celery -------------------------------------------------------------------------------------------


def _task_name(sender) -> str:
    return getattr(sender, "name", None) or "unknown"


# The start time rides on the task's request context, so a run that never reaches postrun leaves nothing behind.
@celery_signals.task_prerun.connect(weak=False)
def _on_task_prerun(task=None, **kwargs):
    if task is not None:
        task.request.linli_started = time.perf_counter()


@celery_signals.task_postrun.connect(weak=False)
def _on_task_postrun(task=None, **kwargs):
    started = getattr(task.request, "linli_started", None) if task is not None else None
    if started is not None:
        CELERY_TASK_DURATION.labels(_task_name(task)).observe(time.perf_counter() - started)


@celery_signals.task_success.connect(weak=False)
def _on_task_success(sender=None, **kwargs):
    CELERY_TASKS.labels(_task_name(sender), "success").inc()


@celery_signals.task_failure.connect(weak=False)
def _on_task_failure(sender=None, **kwargs):
    CELERY_TASKS.labels(_task_name(sender), "failure").inc()


@celery_signals.task_retry.connect(weak=False)
def _on_task_retry(sender=None, **kwargs):
    CELERY_TASKS.labels(_task_name(sender), "retry").inc()


# --- read at scrape time --------------------------------------------------------------------------------


class BrokerCollector:
    """Reads the Celery queue's length and the heartbeat's age from Redis when Prometheus scrapes.

    Nothing is emitted without REDIS_URL (tasks run in-process, there is no queue). When Redis does not
    answer, linli_redis_up is 0 and the queue figures are left out rather than reported as zero.
    """

    def collect(self):
        url = getattr(settings, "REDIS_URL", "")
        if not url:
            return
        from linli.ops.health import HEARTBEAT_KEY, redis_client

        up = GaugeMetricFamily("linli_redis_up", "1 when the Celery broker (Redis) answered this scrape")
        queue_name = getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")
        try:
            client = redis_client(url)
            try:
                length = client.llen(queue_name)
                beat = client.get(HEARTBEAT_KEY)
            finally:
                client.close()
        except Exception:  # noqa: BLE001 - any Redis failure means "down" for this scrape
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        queue = GaugeMetricFamily(
            "linli_celery_queue_length", "Tasks waiting in the Celery queue (Redis LLEN)", labels=["queue"]
        )
        queue.add_metric([queue_name], length)
        yield queue
        if beat is not None:
            age = GaugeMetricFamily(
                "linli_celery_heartbeat_age_seconds",
                "Seconds since a Celery worker last ran the heartbeat task (beat schedules it every minute)",
            )
            age.add_metric([], max(0.0, time.time() - float(beat)))
            yield age


_BROKER_COLLECTOR = BrokerCollector()
if not multiprocess_dir():
    REGISTRY.register(_BROKER_COLLECTOR)


def scrape() -> bytes:
    """The exposition text: this process's registry, or every process's files in multiprocess mode."""
    folder = multiprocess_dir()
    if not folder:
        return generate_latest(REGISTRY)
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry, path=folder)
    registry.register(_BROKER_COLLECTOR)
    return generate_latest(registry)


# --- who may scrape --------------------------------------------------------------------------------------

_FORWARDING_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED")


def _address_allowed(request) -> bool:
    from linli.core.net import _trusted

    remote = request.META.get("REMOTE_ADDR", "")
    if not _trusted(remote) and any(request.META.get(h) for h in _FORWARDING_HEADERS):
        # Came through a proxy Linli was not told to trust: the proxy's own address (often 127.0.0.1)
        # says nothing about the real client, so addresses are not believed at all.
        return False
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    for item in settings.LINLI_METRICS_ALLOWED:
        try:
            if ip in ipaddress.ip_network(item.strip(), strict=False):
                return True
        except ValueError:
            continue
    return False


def _token_allowed(request) -> bool:
    token = getattr(settings, "LINLI_METRICS_TOKEN", "")
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, given = header.partition(" ")
    if not token or scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def scrape_allowed(request) -> bool:
    return _token_allowed(request) or _address_allowed(request)


def metrics_view(request):
    """GET /metrics for Prometheus: from LINLI_METRICS_ALLOWED addresses or with LINLI_METRICS_TOKEN;
    anyone else gets the ordinary 404 (nothing tells them the endpoint exists)."""
    if not scrape_allowed(request):
        raise Http404
    return HttpResponse(scrape(), content_type=CONTENT_TYPE_LATEST)
