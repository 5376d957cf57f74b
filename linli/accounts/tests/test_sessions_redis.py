"""Issue 20: sessions in Redis (LINLI_SESSION_STORE=cache, the production default with REDIS_URL).

Every way a session ends must work with sessions in the cache as it does with the django_session table: nothing in
Linli reads that table (a deactivated account fails ModelBackend.get_user at its next request; a new password
changes the session hash every other session carries; the idle stamp lives in the session itself). These tests run
the same stories with the cache engine on the Redis at 127.0.0.1:6379/4 (skipped when unreachable).
"""

from __future__ import annotations

import threading
import time
import uuid

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse

from linli.accounts import services
from linli.accounts.middleware import IdleTimeoutMiddleware
from linli.core.audit import Actor
from linli.testing import PASSWORD
from linli.tracking.tests.test_limits_shared import REDIS, _redis_or_skip

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_sessions(settings):
    client = _redis_or_skip()
    prefix = f"s{uuid.uuid4().hex[:8]}"
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "sessions": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix},
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
    settings.SESSION_CACHE_ALIAS = "sessions"
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def login(client, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:300]
    return client


def test_a_login_session_lives_in_redis_and_any_worker_reads_it(world, client, redis_sessions):
    redis, prefix = redis_sessions
    login(client, "grid_worker_1")
    key = client.cookies["sessionid"].value
    assert list(redis.scan_iter(f"{prefix}:*{key}"))
    assert not Session.objects.exists()  # nothing in django_session
    # another worker: a new thread has its own cache client (its own Redis connection) and loads the same session
    seen = {}

    def other_worker():
        from django.contrib.sessions.backends.cache import SessionStore

        seen.update(SessionStore(session_key=key).load())

    thread = threading.Thread(target=other_worker)
    thread.start()
    thread.join()
    assert seen["_auth_user_id"] == str(world.users["grid_worker_1"].pk)
    assert client.get(reverse("core:home")).status_code == 200


def test_deactivating_an_account_ends_its_redis_session_at_the_next_request(world, client, redis_sessions):
    login(client, "grid_worker_1")
    assert client.get(reverse("core:home")).status_code == 200
    services.deactivate_user(world.users["grid_worker_1"], actor=Actor(user=world.users["street_admin"]))
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_password_reset_by_an_administrator_ends_the_redis_sessions(world, client, redis_sessions):
    login(client, "grid_worker_1")
    services.reset_password(
        world.users["grid_worker_1"], "Another-pass-2026", actor=Actor(user=world.users["street_admin"])
    )
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_logging_out_removes_the_session_from_redis(world, client, redis_sessions):
    redis, prefix = redis_sessions
    login(client, "grid_worker_1")
    key = client.cookies["sessionid"].value
    client.post(reverse("accounts:logout"))
    assert not list(redis.scan_iter(f"{prefix}:*{key}"))


def test_the_idle_timeout_holds_with_redis_sessions(world, client, redis_sessions):
    login(client, "grid_worker_1")
    session = client.session
    session[IdleTimeoutMiddleware.KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get(reverse("core:home"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_redis_session_expires_with_the_cookie_age(world, client, redis_sessions, settings):
    redis, prefix = redis_sessions
    login(client, "grid_worker_1")
    key = client.cookies["sessionid"].value
    (full,) = redis.scan_iter(f"{prefix}:*{key}")
    assert 0 < redis.ttl(full) <= settings.SESSION_COOKIE_AGE
