"""/healthz and /readyz: each check passing and failing, status codes, the JSON's shape, no login, few queries."""

from __future__ import annotations

import json
import time
from unittest import mock

import pytest
from django.db import OperationalError, connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from linli.ops import health

REDIS_DB = "redis://127.0.0.1:6379/2"  # this branch's own Redis database (never another helper's)
UNREACHABLE_REDIS = "redis://127.0.0.1:1/2"


def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_DB, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return client


@pytest.fixture
def broker(settings):
    client = _redis_or_skip()
    client.delete(health.HEARTBEAT_KEY)
    settings.REDIS_URL = REDIS_DB
    yield client
    client.delete(health.HEARTBEAT_KEY)
    client.close()


@pytest.fixture(autouse=True)
def _low_disk_threshold(settings):
    settings.LINLI_HEALTH_MIN_FREE_MB = 1  # the test machine's free space is not what these tests are about


def _ready(client=None, **extra):
    response = (client or Client()).get("/readyz", **extra)
    return response, json.loads(response.content)


def test_liveness_answers_ok_without_the_database():
    response = Client().get("/healthz")  # no django_db mark: any query would raise
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_readiness_passes_with_the_database_migrated_and_room_on_disk():
    response, body = _ready()
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body == {
        "status": "ok",
        "checks": {
            "database": {"status": "ok"},
            "migrations": {"status": "ok"},
            "cache": {"status": "ok"},
            "disk": {"status": "ok"},
        },
    }


@pytest.mark.django_db
def test_without_redis_the_redis_and_celery_checks_are_left_out(settings):
    settings.REDIS_URL = ""
    _, body = _ready()
    assert "redis" not in body["checks"] and "celery" not in body["checks"]


@pytest.mark.django_db
def test_readiness_costs_few_queries(django_assert_max_num_queries):
    Client().get("/readyz")  # the migration graph is read from disk once per process
    with django_assert_max_num_queries(3):
        response = Client().get("/readyz")
    assert response.status_code == 200


@pytest.mark.django_db
def test_it_fails_when_a_migration_is_not_applied():
    # The newest residents migration (an early one may be replaced by a squash, which is then checked in its stead).
    [(app, name)] = MigrationLoader(connection).graph.leaf_nodes("residents")
    MigrationRecorder(connection).record_unapplied(app, name)
    response, body = _ready()
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["migrations"]["status"] == "fail"
    assert "1 个迁移未执行" in body["checks"]["migrations"]["message"]
    assert body["checks"]["database"] == {"status": "ok"}


@pytest.mark.django_db
def test_it_fails_when_the_database_does_not_answer_and_says_nothing_of_the_error():
    error = OperationalError('connection to server at "10.20.30.40", port 5432 failed: password authentication')
    with mock.patch.object(type(connections["default"]), "temporary_connection", side_effect=error):
        response, body = _ready()
    assert response.status_code == 503
    assert body["checks"]["database"] == {"status": "fail", "message": "数据库无法连接或查询失败"}
    assert "10.20.30.40" not in response.content.decode() and "password" not in response.content.decode()


@pytest.mark.django_db
def test_it_fails_when_free_disk_space_is_below_the_threshold(settings):
    settings.LINLI_HEALTH_MIN_FREE_MB = 10**12  # an exabyte: more than any disk has free
    response, body = _ready()
    assert response.status_code == 503
    assert body["checks"]["disk"]["status"] == "fail"
    assert "磁盘剩余空间不足" in body["checks"]["disk"]["message"]


@pytest.mark.django_db
def test_it_fails_when_the_cache_cannot_store_a_value():
    with mock.patch("django.core.cache.backends.locmem.LocMemCache.get", return_value=None):
        response, body = _ready()
    assert response.status_code == 503
    assert body["checks"]["cache"] == {"status": "fail", "message": "缓存无法写入或读出"}


@pytest.mark.django_db
def test_it_fails_when_redis_is_unreachable_and_does_not_name_it(settings):
    settings.REDIS_URL = UNREACHABLE_REDIS
    response, body = _ready()
    assert response.status_code == 503
    assert body["checks"]["redis"]["status"] == "fail"
    assert body["checks"]["celery"]["status"] == "fail"
    assert "127.0.0.1" not in response.content.decode() and "redis://" not in response.content.decode()


@pytest.mark.django_db
def test_it_passes_with_redis_and_a_fresh_heartbeat(broker):
    health.heartbeat()  # what the worker runs every minute (beat: "ops-heartbeat")
    response, body = _ready()
    assert response.status_code == 200, body
    assert body["checks"]["redis"] == {"status": "ok"}
    assert body["checks"]["celery"] == {"status": "ok"}


@pytest.mark.django_db
def test_it_fails_when_no_worker_ever_beat(broker):
    response, body = _ready()
    assert response.status_code == 503
    assert body["checks"]["redis"] == {"status": "ok"}
    assert body["checks"]["celery"]["status"] == "fail"


@pytest.mark.django_db
def test_it_fails_when_the_heartbeat_is_older_than_the_limit(broker, settings):
    settings.LINLI_HEALTH_HEARTBEAT_MINUTES = 5
    broker.set(health.HEARTBEAT_KEY, f"{time.time() - 6 * 60:.3f}")
    response, body = _ready()
    assert response.status_code == 503
    assert body["checks"]["celery"]["message"].endswith("超过 5 分钟")
    broker.set(health.HEARTBEAT_KEY, f"{time.time() - 4 * 60:.3f}")
    assert _ready()[0].status_code == 200


@pytest.mark.django_db
def test_a_web_only_readiness_leaves_out_the_heartbeat_and_nothing_else(broker, settings):
    assert _ready()[0].status_code == 503  # no worker ever beat: the strict answer fails
    response = Client().get("/readyz", {"web": "1"})
    body = json.loads(response.content)
    assert response.status_code == 200, body
    assert "celery" not in body["checks"] and body["checks"]["redis"] == {"status": "ok"}
    settings.LINLI_HEALTH_WEB_ONLY = True  # a web node whose balancer cannot add ?web=1
    response, body = _ready()
    assert response.status_code == 200 and "celery" not in body["checks"]
    settings.REDIS_URL = UNREACHABLE_REDIS  # the web node's own Redis (cache, sessions) still counts
    response, body = _ready()
    assert response.status_code == 503 and body["checks"]["redis"]["status"] == "fail"


def test_a_starting_worker_beats_at_once(broker):
    health._on_worker_ready()
    assert float(broker.get(health.HEARTBEAT_KEY)) > time.time() - 5


def test_the_heartbeat_is_scheduled_every_minute_and_known_to_the_worker(settings):
    from linli.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["ops-heartbeat"]
    assert entry == {"task": "linli.ops.heartbeat", "schedule": 60.0}
    assert "linli.ops.health" in settings.CELERY_IMPORTS
    assert "linli.ops.heartbeat" in app.tasks


@pytest.mark.django_db
def test_probes_need_no_login_answer_any_host_and_plain_http(settings):
    settings.SECURE_SSL_REDIRECT = True
    client = Client(HTTP_HOST="10.0.0.7")  # a load balancer addressing the server by IP: not in ALLOWED_HOSTS
    assert client.get("/healthz").status_code == 200
    response, body = _ready(client)
    assert response.status_code == 200 and body["status"] == "ok"
    assert client.get("/accounts/login/").status_code == 400  # the rest of the site still checks the host


@pytest.mark.django_db
def test_the_answer_holds_only_statuses_and_fixed_sentences(settings):
    settings.LINLI_HEALTH_MIN_FREE_MB = 10**12
    response, body = _ready()
    assert set(body) == {"status", "checks"}
    for entry in body["checks"].values():
        assert set(entry) <= {"status", "message"}
        assert entry["status"] in ("ok", "fail")
    text = response.content.decode()
    for leak in ("django", "Django", "version", "5.2", "/work", "SECRET"):
        assert leak not in text
