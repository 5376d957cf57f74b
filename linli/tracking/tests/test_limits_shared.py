"""Issue 20: rate limits hold across several web workers and machines — their counters live in Redis.

Each "worker" here is its own RedisCache client (its own connection pool) on the same Redis, as two gunicorn workers
or two machines would have: a thread gets its own cache instances from Django's cache handler, and one test counts
from a second Python process. Needs the Redis at 127.0.0.1:6379 (database 4, LINLI_TEST_REDIS_URL to change it);
skipped with the reason when there is none.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.urls import reverse

from linli.tracking import limits, otp
from linli.tracking.tests.conftest import last_code

REDIS = os.environ.get("LINLI_TEST_REDIS_URL", "redis://127.0.0.1:6379/4")
PROJECT = Path(__file__).resolve().parents[3]


def _redis_or_skip():
    import redis

    try:
        client = redis.Redis.from_url(REDIS, socket_connect_timeout=0.5)
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"需要 Redis（{REDIS}）：{exc}")
    return client


@pytest.fixture
def workers(settings):
    """Two cache aliases on one Redis ("w1", "w2"; "default" too), under a prefix of this test's own."""
    client = _redis_or_skip()
    prefix = f"t{uuid.uuid4().hex[:8]}"
    redis_cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS, "KEY_PREFIX": prefix}
    settings.CACHES = {"default": redis_cache, "w1": dict(redis_cache), "w2": dict(redis_cache)}
    yield SimpleNamespace(redis=client, prefix=prefix)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def on(settings, alias):
    settings.LINLI_RATE_CACHE = alias


RULES = ((3, 60),)


def test_two_workers_count_in_one_counter_and_the_limit_holds_across_them(workers, settings):
    assert caches["w1"]._cache.get_client() is not caches["w2"]._cache.get_client()
    on(settings, "w1")
    limits.hit("s", "203.0.113.7", RULES)
    limits.hit("s", "203.0.113.7", RULES)
    on(settings, "w2")
    assert not limits.blocked("s", "203.0.113.7", RULES)
    limits.hit("s", "203.0.113.7", RULES)
    assert limits.blocked("s", "203.0.113.7", RULES)
    on(settings, "w1")
    assert limits.blocked("s", "203.0.113.7", RULES)
    assert not limits.blocked("s", "198.51.100.9", RULES)


def test_claims_arriving_together_on_many_workers_let_exactly_the_limit_through(workers, settings):
    """Twelve requests at once (each thread its own Redis client): a limit of 5 lets 5 through, never more."""
    settings.LINLI_RATE_CACHE = "default"
    start = threading.Barrier(12)
    results = []

    def request():
        start.wait()
        results.append(limits.take(("sms", "phone", ((5, 60),)), ("sms-all", limits.EVERYONE, ((100, 60),))))
        caches["default"].close()

    threads = [threading.Thread(target=request) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count(None) == 5
    assert all(r == (0, (5, 60)) for r in results if r is not None)
    # refused claims were given back everywhere: the global counter holds only the 5 that went through
    assert caches["w2"].get(limits._key("sms-all", limits.EVERYONE, 60)) == 5
    assert caches["w2"].get(limits._key("sms", "phone", 60)) == 5


def test_a_counter_always_carries_its_window(workers, settings):
    """Django's RedisCache.incr checks EXISTS, then INCRs: a key expiring in between comes back without a timeout
    and would lock its client out for good. limits.increment sets the timeout in the same step, and repairs one."""
    key = "linli:test:window"
    assert limits.increment(key, 60) == 1
    full = caches["default"].make_and_validate_key(key)
    assert 0 < workers.redis.ttl(full) <= 60
    workers.redis.set(full, 7)  # a counter left without a timeout
    assert workers.redis.ttl(full) == -1
    assert limits.increment(key, 60) == 8
    assert 0 < workers.redis.ttl(full) <= 60


def test_another_process_counts_in_the_same_counter(workers, settings):
    """A second Python process (another machine, as far as Redis can tell) sees and adds to this one's count."""
    limits.hit("proc", "203.0.113.7", RULES)
    limits.hit("proc", "203.0.113.7", RULES)
    script = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        f"settings.CACHES['default']['KEY_PREFIX'] = {workers.prefix!r}\n"
        "from linli.tracking import limits\n"
        f"print(limits.blocked('proc', '203.0.113.7', {RULES!r}))\n"
        f"limits.hit('proc', '203.0.113.7', {RULES!r})\n"
        f"print(limits.blocked('proc', '203.0.113.7', {RULES!r}))\n"
    )
    env = dict(os.environ, REDIS_URL=REDIS, DJANGO_SETTINGS_MODULE="linli.settings", PYTHONPATH=str(PROJECT))
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, cwd=PROJECT, capture_output=True, text=True, timeout=60, check=True
    )
    assert out.stdout.split() == ["False", "True"]
    assert limits.blocked("proc", "203.0.113.7", RULES)


def test_a_phone_gets_one_code_a_minute_whichever_worker_it_asks(workers, settings, outbox):
    on(settings, "w1")
    otp.send_code("13900001111", ip="203.0.113.7")
    on(settings, "w2")
    with pytest.raises(otp.OtpError, match="1分钟"):
        otp.send_code("13900001111", ip="198.51.100.9")
    assert len(outbox) == 1


def test_a_text_that_could_not_be_sent_does_not_count(workers, settings, outbox, monkeypatch):
    from linli.tracking.sms import SmsError

    def down(phone, text):
        raise SmsError("网关不可用")

    monkeypatch.setattr(otp, "send_sms", down)
    with pytest.raises(otp.OtpError, match="没有发出去"):
        otp.send_code("13900001111", ip="203.0.113.7")
    assert not limits.blocked("send-phone", otp.phone_key("13900001111"), limits.rules("sms_phone"))
    assert not caches["w1"].get(limits._key("send-all", limits.EVERYONE, 60))


def test_wrong_codes_sent_together_to_many_workers_still_burn_the_code_after_five(workers, settings, outbox):
    """Ten wrong guesses at once (ten Redis clients): five comparisons at most, then the code is gone — even the
    right code afterwards is refused. Counting tries by reading and rewriting the code's record let parallel
    guesses each see 0 tries."""
    otp.send_code("13900002222", ip="203.0.113.7")
    code = last_code(outbox)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    start = threading.Barrier(10)
    messages = []

    def guess():
        start.wait()
        try:
            otp.check_code("13900002222", wrong, ip="198.51.100.9")
        except otp.OtpError as exc:
            messages.append(str(exc))
        caches["default"].close()

    threads = [threading.Thread(target=guess) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum("还可以试" in m for m in messages) <= 4
    with pytest.raises(otp.OtpError):
        otp.check_code("13900002222", code, ip="198.51.100.9")


def test_a_right_code_is_accepted_and_not_counted_as_a_wrong_try(workers, settings, outbox):
    otp.send_code("13900003333", ip="203.0.113.7")
    otp.check_code("13900003333", last_code(outbox), ip="198.51.100.9")
    assert (caches["default"].get(limits._key("wrong-ip", "198.51.100.9", 3600)) or 0) == 0


@pytest.mark.django_db
def test_login_failures_are_counted_in_the_database_not_in_a_process(client):
    """django-axes counts with its database handler: every worker and machine reads the same rows."""
    from axes.handlers.database import AxesDatabaseHandler
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    assert isinstance(AxesProxyHandler.get_implementation(force=True), AxesDatabaseHandler)
    client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong"}, REMOTE_ADDR="203.0.113.7")
    assert AccessAttempt.objects.filter(username="nobody", ip_address="203.0.113.7").exists()
