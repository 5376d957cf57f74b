"""linli.core.versioned: a per-process value reloaded when its shared version changes; and the Redis cache backend
that keeps one client per pool (linli.core.rediscache)."""

from __future__ import annotations

import os
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from linli.core import versioned
from linli.core.rediscache import RedisCache
from linli.core.versioned import Versioned

REDIS = os.environ.get("LINLI_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")


class Loads:
    """A loader that counts its calls and returns the count."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


@pytest.fixture
def value():
    load = Loads()
    found = Versioned(f"test.{uuid.uuid4().hex}", load, check_seconds=0)
    yield found, load
    versioned._registry.remove(found)


def test_it_loads_once_while_the_version_stays(value):
    found, load = value
    assert found.get() == found.get() == 1 and load.calls == 1


def test_another_process_bumping_the_version_makes_this_one_reload(value):
    found, _ = value
    found.get()
    versioned.set_new_version(found.key)  # what another process's bump leaves in the shared cache
    assert found.get() == 2


def test_a_bump_reloads_here_at_once_and_again_after_the_commit(value, django_capture_on_commit_callbacks, db):
    found, _ = value
    found.get()
    with django_capture_on_commit_callbacks(execute=True):
        found.bump()
        assert found.get() == 2
    assert found.get() == 3  # a copy loaded between the bump and the commit may hold the old rows


def test_it_is_trusted_for_check_seconds_without_reading_the_version(monkeypatch):
    found = Versioned(f"test.{uuid.uuid4().hex}", Loads(), check_seconds=60)
    try:
        found.get()
        versioned.set_new_version(found.key)
        assert found.get() == 1
        monkeypatch.setattr(found, "_checked_at", found._checked_at - 61)
        assert found.get() == 2
    finally:
        versioned._registry.remove(found)


def test_max_age_reloads_even_when_the_version_did_not_change(monkeypatch):
    found = Versioned(f"test.{uuid.uuid4().hex}", Loads(), check_seconds=60, max_age=120)
    try:
        found.get()
        monkeypatch.setattr(found, "_loaded_at", found._loaded_at - 121)
        assert found.get() == 2
    finally:
        versioned._registry.remove(found)


def test_a_failing_load_keeps_nothing(value):
    found, _ = value

    def broken():
        raise RuntimeError("数据库不可用")

    found.load = broken
    with pytest.raises(RuntimeError):
        found.get()
    assert found._version is None


def test_forget_all_drops_every_copy(value):
    found, _ = value
    found.get()
    versioned.forget_all()
    assert found.get() == 2


def test_a_callback_registered_with_on_forget_all_runs_once_per_forget_all(monkeypatch):
    monkeypatch.setattr(versioned, "_forgetters", list(versioned._forgetters))  # registered for this test only
    calls = []

    def forget():
        calls.append("forgotten")

    assert versioned.on_forget_all(forget) is forget  # usable as a decorator
    versioned.on_forget_all(forget)  # again (a module imported twice): still once per forget_all
    assert calls == []
    versioned.forget_all()
    assert calls == ["forgotten"]
    versioned.forget_all()
    assert calls == ["forgotten", "forgotten"]


def test_the_rendered_markup_is_forgotten_with_everything_else():
    from linli.core import pagecache

    assert pagecache._RENDERED.clear in versioned._forgetters
    pagecache._RENDERED[("t", "v", "s")] = "<b>kept</b>"
    versioned.forget_all()
    assert not pagecache._RENDERED


def test_the_redis_backend_reuses_one_client_and_is_still_djangos():
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=0.5).ping()
    except redis.RedisError as exc:
        pytest.skip(f"需要 Redis（{REDIS}）：{exc}")
    cache = RedisCache(REDIS, {"KEY_PREFIX": f"t{uuid.uuid4().hex[:8]}"})
    assert isinstance(cache, DjangoRedisCache)  # linli.tracking.limits recognises it
    assert cache._cache.get_client() is cache._cache.get_client(write=True)
    cache.set("k", {"版本": 1}, 30)
    assert cache.get("k") == {"版本": 1}
    cache.delete("k")


# --- one read of each version token per request --------------------------------------------------------------


class CountingCache:
    """django's cache, counting get_many calls."""

    def __init__(self, real):
        self.real, self.get_many_calls = real, 0

    def get_many(self, keys):
        self.get_many_calls += 1
        return self.real.get_many(keys)

    def __getattr__(self, name):
        return getattr(self.real, name)


@pytest.fixture
def counting(monkeypatch):
    counter = CountingCache(versioned.cache)
    monkeypatch.setattr(versioned, "cache", counter)
    yield counter
    versioned._request_finished()


def test_a_request_reads_each_version_once_and_outside_a_request_every_time(counting):
    key = f"test.{uuid.uuid4().hex}"
    first = versioned.versions([key])[key]
    assert versioned.versions([key])[key] == first and counting.get_many_calls == 2  # no request: read each time
    versioned._request_started()
    versioned.versions([key])
    versioned.versions([key])
    assert counting.get_many_calls == 3
    counting.real.set(key, "another process's bump")
    assert versioned.versions([key])[key] == first  # the version as the request found it
    versioned._request_finished()
    assert versioned.versions([key])[key] == "another process's bump"


def test_a_bump_during_the_request_is_read_by_the_same_request(counting, value, db):
    found, load = value
    versioned._request_started()
    assert found.get() == 1
    found.bump()
    assert found.get() == 2 and load.calls == 2
    other = f"test.{uuid.uuid4().hex}"
    before = versioned.versions([other])[other]
    versioned.bump_key(other)
    assert versioned.versions([other])[other] != before


def test_the_test_client_starts_and_ends_a_request(db, client, counting):
    key = f"test.{uuid.uuid4().hex}"
    seen = []
    from django.core.signals import request_started

    def look(**kwargs):
        seen.append(versioned._request.tokens)

    request_started.connect(look)  # after linli.core.versioned's receiver
    try:
        client.get("/accounts/login/")
    finally:
        request_started.disconnect(look)
    assert seen == [{}]  # the memo existed while the request ran ...
    assert versioned._request.tokens is None  # ... and is gone after it
    assert versioned.versions([key])


def test_the_first_read_of_a_request_reads_the_eager_keys_with_it(counting):
    eager = Versioned(f"test.{uuid.uuid4().hex}", Loads(), check_seconds=0, eager=True)
    try:
        key = f"test.{uuid.uuid4().hex}"
        assert set(versioned.versions([key])) == {key} and counting.get_many_calls == 1  # outside a request: as asked
        versioned._request_started()
        assert set(versioned.versions([key])) == {key}  # only what was asked for ...
        assert eager.get() == 1 and counting.get_many_calls == 2  # ... but the eager key came with it
        counting.real.set(eager.key, "another process's bump")
        versioned._request_finished()
        versioned._request_started()
        assert eager.get() == 2 and counting.get_many_calls == 3  # the next request reads it again
    finally:
        versioned._registry.remove(eager)
        versioned._eager.remove(eager.key)


# --------------------------------------------------------------------------- writes that send no signal


@pytest.fixture
def watched(value, monkeypatch):
    """`value` watching ExportRecord and DocumentCounter only (the project's own watchers set aside)."""
    from linli.core.models import DocumentCounter, ExportRecord

    monkeypatch.setattr(versioned, "_watchers", {})
    found, load = value
    versioned.watch(found.bump, ExportRecord, DocumentCounter)
    versioned.watch(found.bump, ExportRecord)  # again: still one bump
    return found, load


def test_touched_bumps_each_version_watching_the_models_once_now_and_after_the_commit(
    watched, django_capture_on_commit_callbacks, db
):
    from linli.core.models import DocumentCounter, ExportRecord

    found, _ = watched
    found.get()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        versioned.touched(ExportRecord, DocumentCounter)
        assert found.get() == 2
    assert len(callbacks) == 1  # one version, bumped once however many of its models were written
    assert found.get() == 3


def test_touched_leaves_the_versions_of_other_models_alone(watched, db):
    from linli.core.models import ChangeRecord

    found, _ = watched
    found.get()
    versioned.touched(ChangeRecord)
    assert found.get() == 1


def test_touched_all_bumps_every_watched_version_and_a_migration_calls_it(watched, db):
    from django.apps import apps
    from django.db.models.signals import post_migrate

    found, _ = watched
    found.get()
    versioned.touched_all()
    assert found.get() == 2
    core = apps.get_app_config("core")
    post_migrate.send(sender=core, app_config=core, verbosity=0, interactive=False, using="default", apps=apps, plan=[])
    assert found.get() == 3


def test_the_bulk_writer_and_purge_tell_the_versions_of_what_they_wrote(watched, db):
    from linli.core.bulk import BulkWriter, purge
    from linli.core.models import DocumentCounter

    found, _ = watched
    found.get()
    writer = BulkWriter()
    (pk,) = writer.reserve_ids(DocumentCounter, 1)
    writer.insert(DocumentCounter, [DocumentCounter(pk=pk, key="test", year=2026, last=1)])
    assert found.get() == 2
    purge(DocumentCounter.objects.filter(pk=pk))
    assert found.get() == 3
