"""The keyed Open311 POST limit counts in Redis, shared by every web worker (issue 20)."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

from django.core.cache import caches

from linli.open311 import views as open311_views
from linli.tracking.tests.test_limits_shared import on, workers  # noqa: F401  (fixture)


def test_the_open311_post_limit_holds_across_workers(workers, settings):  # noqa: F811
    settings.LINLI_OPEN311_POSTS_PER_MINUTE = 2
    key = SimpleNamespace(key_hash=uuid.uuid4().hex)
    on(settings, "w1")
    assert not open311_views._over_post_limit(key)
    on(settings, "w2")
    assert not open311_views._over_post_limit(key)
    on(settings, "w1")
    assert open311_views._over_post_limit(key)
    full = caches["w1"].make_and_validate_key(f"linli:open311:posts:{key.key_hash}")
    assert 0 < workers.redis.ttl(full) <= 60
