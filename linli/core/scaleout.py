"""Deploy checks for running on several web workers and machines (issue 20, docs/scale-out.md).

In production nothing a later request relies on may live in one process's memory or on one machine's disk: rate
limit counters, cached versions and sessions go to Redis (or sessions to the database). `linli check --deploy`
refuses a production configuration that keeps them in a process (LocMemCache) or a local file.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks

PROCESS_LOCAL = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.filebased.FileBasedCache",
)


def _backend(alias: str) -> str:
    return settings.CACHES.get(alias, {}).get("BACKEND", "")


def check_shared_state(app_configs=None, **kwargs):
    if not getattr(settings, "PRODUCTION", False):
        return []
    errors = []
    rate = getattr(settings, "LINLI_RATE_CACHE", "default")
    for alias in sorted({"default", rate}):
        if _backend(alias) in PROCESS_LOCAL:
            errors.append(
                checks.Error(
                    f"缓存 {alias} 在单个进程内（{_backend(alias).rsplit('.', 1)[-1]}）：限流计数、验证码和缓存版本"
                    "在多个工作进程和多台机器之间不共享。请设置 REDIS_URL。",
                    id="linli.scaleout.E001",
                )
            )
    engine = settings.SESSION_ENGINE
    alias = getattr(settings, "SESSION_CACHE_ALIAS", "default")
    if engine == "django.contrib.sessions.backends.cache" and _backend(alias) in PROCESS_LOCAL:
        errors.append(
            checks.Error(
                f"会话存放在进程内的缓存 {alias} 里：换一个工作进程就掉线。"
                "请设置 REDIS_URL，或 LINLI_SESSION_STORE=db。",
                id="linli.scaleout.E002",
            )
        )
    if engine == "django.contrib.sessions.backends.file":
        errors.append(
            checks.Error(
                "会话存放在本机磁盘上：其他机器读不到。请用 LINLI_SESSION_STORE=cache（Redis）或 db。",
                id="linli.scaleout.E002",
            )
        )
    replica = getattr(settings, "LINLI_DB_REPLICA", "")
    if replica and "linli.core.dbrouter.ReplicaRouter" not in getattr(settings, "DATABASE_ROUTERS", []):
        errors.append(
            checks.Error("配置了只读副本，但没有启用 linli.core.dbrouter.ReplicaRouter。", id="linli.scaleout.E003")
        )
    return errors
