"""Issue 20: the settings for several machines — sessions in Redis when asked, the deploy checks on shared state."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from linli.core.scaleout import check_shared_state

PROJECT = Path(__file__).resolve().parents[3]
LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/4"}


def run_settings(script: str, env: dict) -> str:
    """What `script` prints after importing `linli.settings` with this environment (and no LINLI_, REDIS_URL or
    DATABASE_ variable of the test run's own)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("LINLI_", "REDIS_URL", "DATABASE_"))}
    base.pop("PYTEST_VERSION", None)
    out = subprocess.run(
        [sys.executable, "-c", script],
        env={**base, "PYTHONPATH": str(PROJECT), **env},
        cwd=PROJECT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return (out.stdout + out.stderr).strip()


def settings_of(**env) -> str:
    """SESSION_ENGINE, the sessions cache and the replica alias, as `linli.settings` reads this environment."""
    script = (
        "import linli.settings as s; print(getattr(s, 'SESSION_ENGINE', 'django.contrib.sessions.backends.db'), s.CACHES.get('sessions', {}).get('LOCATION'), "
        "s.DATABASES.get('replica', {}).get('NAME'), s.LINLI_DB_REPLICA or '-')"
    )
    return run_settings(script, env)


def test_development_keeps_database_sessions_and_no_replica():
    assert settings_of() == "django.contrib.sessions.backends.db None None -"


def test_sessions_go_to_their_own_redis_alias_when_asked():
    out = settings_of(REDIS_URL="redis://127.0.0.1:6379/4", LINLI_SESSION_STORE="cache")
    assert out.startswith("django.contrib.sessions.backends.cache redis://127.0.0.1:6379/4 ")
    out = settings_of(
        REDIS_URL="redis://127.0.0.1:6379/4", LINLI_SESSION_STORE="cache", LINLI_SESSION_REDIS_URL="redis://10.0.0.9/1"
    )
    assert "backends.cache redis://10.0.0.9/1" in out


def test_cache_sessions_without_redis_are_refused_with_a_message():
    assert "LINLI_SESSION_STORE=cache 需要 REDIS_URL" in settings_of(LINLI_SESSION_STORE="cache")
    assert "只能是 cache" in settings_of(LINLI_SESSION_STORE="memory")


def test_a_replica_url_adds_the_replica_alias_and_switches_routing_on():
    out = settings_of(DATABASE_REPLICA_URL="postgres://reader@10.0.0.8:5432/linli")
    assert out.endswith("linli replica")


@pytest.mark.parametrize("caches", [{"default": LOCMEM}])
def test_production_refuses_counters_and_caches_in_one_process(settings, caches):
    settings.PRODUCTION = True
    settings.CACHES = caches
    assert [e.id for e in check_shared_state()] == ["linli.scaleout.E001"]


def test_production_refuses_sessions_in_a_process_or_on_local_disk(settings):
    settings.PRODUCTION = True
    settings.CACHES = {"default": REDIS, "sessions": LOCMEM}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.SESSION_CACHE_ALIAS = "sessions"
    assert [e.id for e in check_shared_state()] == ["linli.scaleout.E002"]
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.file"
    assert [e.id for e in check_shared_state()] == ["linli.scaleout.E002"]


def test_production_with_redis_passes_and_development_is_not_checked(settings):
    settings.PRODUCTION = True
    settings.CACHES = {"default": REDIS, "sessions": REDIS}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.SESSION_CACHE_ALIAS = "sessions"
    assert check_shared_state() == []
    settings.PRODUCTION = False
    settings.CACHES = {"default": LOCMEM}
    assert check_shared_state() == []


def cache_prefix_of(**env) -> str:
    return run_settings("import linli.settings as s; print(s.CACHES['default'].get('KEY_PREFIX', '-'))", env)


def test_two_databases_sharing_one_redis_keep_their_cache_keys_apart():
    redis = {"REDIS_URL": "redis://127.0.0.1:6379/4"}
    district = cache_prefix_of(DATABASE_URL="postgres://linli@10.0.0.5:5432/district_a", **redis)
    again = cache_prefix_of(DATABASE_URL="postgres://linli@10.0.0.5:5432/district_a", **redis)
    other = cache_prefix_of(DATABASE_URL="postgres://linli@10.0.0.5:5432/district_b", **redis)
    assert district.startswith("linli-") and district == again and other != district
    assert cache_prefix_of(LINLI_CACHE_PREFIX="city", **redis) == "city"
