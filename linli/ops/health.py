"""Liveness and readiness for load balancers and monitoring, on django-health-check's checks.

/healthz  the process answers (no database, no Redis): a supervisor restarts the process when it fails.
/readyz   the process can serve: the database answers, every migration of this code is applied, the cache
          stores and returns a value, the media/var disks have free space above LINLI_HEALTH_MIN_FREE_MB,
          and, when REDIS_URL is set, Redis answers and a Celery worker ran the heartbeat task recently
          (beat schedules it every minute; the worker also beats when it starts).
          200 when every check passes, 503 otherwise; JSON with each check's status.
/readyz?web=1  the same without the heartbeat, for a balancer of web nodes: a stopped Celery worker stops
          reminders and queued messages, not the pages, so it must not take every web node out of rotation.
          LINLI_HEALTH_WEB_ONLY=1 makes that the answer of plain /readyz on a node (one whose balancer cannot add
          a query string).

The answers hold no personal data, no host names, no versions and no library error text (those go to
the log): each failed check gives a fixed Chinese sentence. No login is needed.

Checks run concurrently under django-health-check's timeouts; those that use the database run in the
request's own thread, so they reuse its persistent connection instead of opening one per probe.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import shutil
import time
from pathlib import Path
from typing import ClassVar

from asgiref.sync import async_to_sync, sync_to_async
from celery import shared_task
from celery import signals as celery_signals
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import JsonResponse
from django.urls import resolve
from django.utils.cache import add_never_cache_headers
from health_check import Cache, Database
from health_check.base import HealthCheck
from health_check.contrib.redis import Redis
from health_check.exceptions import ServiceUnavailable

#: Redis key (in the broker's database) holding the Unix time of the last heartbeat task run.
HEARTBEAT_KEY = "linli:ops:celery-heartbeat"
PROBE_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def redis_client(url: str):
    """A synchronous Redis client that gives up quickly (a probe must answer even when Redis hangs)."""
    import redis

    return redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


# --- the checks --------------------------------------------------------------------------------------------


class _Named:
    """Each check's key in the JSON answer and the sentence shown when it fails."""

    key: ClassVar[str]
    failure: ClassVar[str]

    def public_message(self, error) -> str:
        return self.failure


@dataclasses.dataclass
class DatabaseCheck(_Named, Database):
    key: ClassVar[str] = "database"
    failure: ClassVar[str] = "数据库无法连接或查询失败"

    async def run(self):
        await sync_to_async(Database.run, thread_sensitive=True)(self)


_expected_migrations: set[tuple[str, str]] | None = None
_replacements: dict[tuple[str, str], list[tuple[str, str]]] = {}


def expected_migrations() -> set[tuple[str, str]]:
    """Every migration this code ships, read from disk once per process (the code cannot change under it)."""
    global _expected_migrations
    if _expected_migrations is None:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        _replacements.update({key: list(m.replaces) for key, m in loader.replacements.items()})
        _expected_migrations = set(loader.graph.nodes)
    return _expected_migrations


def missing_migrations(conn=connection) -> list[tuple[str, str]]:
    """Migrations of this code not recorded as applied in the database (squashed ones count as applied
    when everything they replace is)."""
    applied = set(MigrationRecorder(conn).applied_migrations())
    missing = []
    for key in sorted(expected_migrations() - applied):
        if key in _replacements and all(r in applied for r in _replacements[key]):
            continue
        missing.append(key)
    return missing


@dataclasses.dataclass
class MigrationsCheck(_Named, HealthCheck):
    key: ClassVar[str] = "migrations"
    failure: ClassVar[str] = "数据库迁移未全部执行（请运行 linli migrate）"

    async def run(self):
        await sync_to_async(self._run, thread_sensitive=True)()

    def _run(self):
        missing = missing_migrations()
        if missing:
            raise ServiceUnavailable(f"{len(missing)} 个迁移未执行")

    def public_message(self, error) -> str:
        return f"{self.failure}：{error.message}" if isinstance(error, ServiceUnavailable) else self.failure


@dataclasses.dataclass
class CacheCheck(_Named, Cache):
    key: ClassVar[str] = "cache"
    failure: ClassVar[str] = "缓存无法写入或读出"


@dataclasses.dataclass
class RedisCheck(_Named, Redis):
    key: ClassVar[str] = "redis"
    failure: ClassVar[str] = "Redis（任务队列）无法连接"

    def __repr__(self):  # the library's repr names host and port; keep it out of the logs' headline
        return "RedisCheck()"


@dataclasses.dataclass
class DiskCheck(_Named, HealthCheck):
    """Free space on the disks holding MEDIA_ROOT (uploads, spooled ledgers) and VAR_DIR."""

    key: ClassVar[str] = "disk"
    failure: ClassVar[str] = "磁盘剩余空间不足"
    min_free_mb: int = 1024

    def run(self):
        for path in _disk_paths():
            if shutil.disk_usage(path).free < self.min_free_mb * 1024 * 1024:
                raise ServiceUnavailable("low disk space")

    def public_message(self, error) -> str:
        return f"{self.failure}（低于 {self.min_free_mb} MB）"


def _disk_paths() -> list[Path]:
    paths = []
    for configured in (settings.MEDIA_ROOT, settings.VAR_DIR):
        path = Path(configured)
        while not path.exists() and path != path.parent:
            path = path.parent
        if path not in paths:
            paths.append(path)
    return paths


@dataclasses.dataclass
class CeleryHeartbeatCheck(_Named, HealthCheck):
    """A worker ran the heartbeat task less than `max_age` ago (beat sends it every minute)."""

    key: ClassVar[str] = "celery"
    failure: ClassVar[str] = "Celery 任务进程或定时调度（beat）没有心跳"
    url: str = dataclasses.field(default="", repr=False)
    max_age: datetime.timedelta = dataclasses.field(default=datetime.timedelta(minutes=5), repr=False)
    timeout: datetime.timedelta = dataclasses.field(default=datetime.timedelta(seconds=3), repr=False)

    def run(self):
        client = redis_client(self.url)
        try:
            value = client.get(HEARTBEAT_KEY)
        except Exception as exc:  # noqa: BLE001 - reported as "no heartbeat"; the redis check says why
            raise ServiceUnavailable("heartbeat unreadable") from exc
        finally:
            client.close()
        if value is None:
            raise ServiceUnavailable("no heartbeat yet")
        if time.time() - float(value) > self.max_age.total_seconds():
            raise ServiceUnavailable("heartbeat too old")

    def public_message(self, error) -> str:
        minutes = int(self.max_age.total_seconds() // 60)
        return f"{self.failure}：超过 {minutes} 分钟" if error.message == "heartbeat too old" else self.failure


def readiness_checks(*, web_only: bool = False) -> list[HealthCheck]:
    """The checks of /readyz; `web_only` leaves out the Celery heartbeat (the web node's own dependencies only)."""
    checks: list[HealthCheck] = [
        DatabaseCheck(),
        MigrationsCheck(),
        CacheCheck(),
        DiskCheck(min_free_mb=settings.LINLI_HEALTH_MIN_FREE_MB),
    ]
    url = settings.REDIS_URL
    if url:
        from redis.asyncio import Redis as AsyncRedis

        checks.append(
            RedisCheck(client_factory=lambda: AsyncRedis.from_url(url, socket_connect_timeout=2, socket_timeout=2))
        )
        if not web_only:
            checks.append(
                CeleryHeartbeatCheck(
                    url=url, max_age=datetime.timedelta(minutes=settings.LINLI_HEALTH_HEARTBEAT_MINUTES)
                )
            )
    return checks


async def _run_all(checks):
    return await asyncio.gather(*(check.get_result() for check in checks))


# --- the views -----------------------------------------------------------------------------------------------


def _json(body: dict, status: int) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    add_never_cache_headers(response)
    return response


def liveness(request):
    """GET /healthz: the process is up and answering. Touches nothing else."""
    return _json({"status": "ok"}, 200)


def readiness(request):
    """GET /readyz: every check's status; 200 when all pass, 503 when any fails. ?web=1 (or LINLI_HEALTH_WEB_ONLY):
    without the Celery heartbeat."""
    checks = readiness_checks(web_only=settings.LINLI_HEALTH_WEB_ONLY or request.GET.get("web") == "1")
    results = async_to_sync(_run_all)(checks)
    body: dict = {"status": "ok", "checks": {}}
    for result in results:
        entry = {"status": "ok"}
        if result.error is not None:
            entry = {"status": "fail", "message": result.check.public_message(result.error)}
            body["status"] = "fail"
        body["checks"][result.check.key] = entry
    return _json(body, 200 if body["status"] == "ok" else 503)


class ProbeMiddleware:
    """Answers /healthz, /readyz and /metrics before the rest of the middleware.

    A load balancer or Prometheus usually addresses the server by its IP (so the Host header is not in
    ALLOWED_HOSTS and CommonMiddleware would answer 400), over plain HTTP (SECURE_SSL_REDIRECT would answer
    301), and needs no session, CSRF or CSP. Placed after the log and metrics middleware, which still see it.
    A /metrics request from someone not allowed to scrape goes the ordinary way (and gets the ordinary 404).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path in PROBE_PATHS:
            if path == "/metrics":
                from linli.ops.metrics import scrape_allowed

                if not scrape_allowed(request):
                    # Through the whole stack to the view's ordinary 404 page: nothing tells it apart.
                    return self.get_response(request)
            match = resolve(path)
            request.resolver_match = match
            return match.func(request, *match.args, **match.kwargs)
        return self.get_response(request)


# --- the heartbeat --------------------------------------------------------------------------------------------


def _beat() -> None:
    url = settings.REDIS_URL
    if not url:
        return
    client = redis_client(url)
    try:
        client.set(HEARTBEAT_KEY, f"{time.time():.3f}")
    finally:
        client.close()


@shared_task(name="linli.ops.heartbeat", ignore_result=True)
def heartbeat() -> None:
    """Run by a Celery worker every minute (CELERY_BEAT_SCHEDULE "ops-heartbeat"): /readyz's proof that
    beat schedules, the broker carries and a worker runs tasks."""
    _beat()


@celery_signals.worker_ready.connect(weak=False)
def _on_worker_ready(**kwargs):
    # A freshly started set of processes is ready without waiting up to a minute for beat's first run.
    try:
        _beat()
    except Exception:  # noqa: BLE001 - the worker must start even if Redis hiccups; the check will say
        pass
