"""Fixed-window rate limits in Django's cache (Redis in production, local memory in development).

A limit is (count, seconds): at most `count` hits per window of `seconds` for one key (a phone's
hash, a client address, or "all" for the global cap). Windows are fixed, not sliding: simple, one cache
round trip per rule, and good enough to stop a script texting a stranger's phone or guessing codes.

Shared by every worker and machine (issue 20): the counters live in the cache named by LINLI_RATE_CACHE
("default": Redis when REDIS_URL is set), never in a process. Each count is one atomic step in Redis
(`increment`: INCRBY and, when the key is new, EXPIRE, in one Lua script), so two workers counting at once never
lose a hit, and a counter can never outlive its window (Django's own RedisCache.incr checks EXISTS and then
INCRs: a key expiring between the two would be recreated without a timeout, locking its phone or client out for
good). `take` claims a hit in several limits at once and gives them all back when one is full: a limit checked
and counted in one step holds exactly under concurrency (`blocked` then `hit` lets the requests that check at
the same moment all pass).

Every limit of the resident pages is keyed three ways, each with its own thresholds (issue 13, finding 8):
per phone where there is one, per client (linli.core.net.client_ip: the forwarded address only when the
request comes from a proxy in LINLI_TRUSTED_PROXIES, so residents behind our proxy are not one client and a
client cannot pick its own key), and globally. The thresholds are settings: LINLI_TRACKING_RATES overrides
any of DEFAULTS by name, e.g. {"sms_global": [[60, 60], [10000, 86400]]}.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache

PREFIX = "linli:trk:rate:"
MINUTE, HOUR, DAY = 60, 3600, 86400

#: name -> ((count, seconds), ...). Per phone and per client protect a person; the global caps protect the SMS
#: budget and the service as a whole.
DEFAULTS = {
    # texting a code: 1 a minute and 5 a day to one phone (nobody needs more; a script cannot flood a stranger),
    # 10 an hour from one client, and for everyone together a per-minute cap and a daily budget
    "sms_phone": ((1, MINUTE), (5, DAY)),
    "sms_client": ((10, HOUR),),
    "sms_global": ((30, MINUTE), (5000, DAY)),
    # wrong one-time codes from one client, across phones (a code itself burns after 5 wrong tries)
    "otp_wrong_client": ((30, HOUR),),
    # wrong tracking codes: a few typos are fine, a guessing script is not
    "lookup_wrong_client": ((10, 10 * MINUTE), (50, DAY)),
    # past this many wrong codes a minute from everyone together, the service is under a spread-out attack:
    # each client then gets only lookup_wrong_client_strict. Right codes still open their appeal, so the
    # global cap slows the guessing without locking residents out.
    "lookup_wrong_global": ((100, MINUTE),),
    "lookup_wrong_client_strict": ((3, 10 * MINUTE),),
    # the live routing hint runs the model per pause in typing: generous for a person, a wall for a script
    "hint_client": ((60, MINUTE), (600, HOUR)),
    "hint_global": ((1200, MINUTE),),
}
EVERYONE = "all"


def rules(name: str) -> tuple:
    """The thresholds called `name`: the LINLI_TRACKING_RATES setting's, else the default."""
    override = (getattr(settings, "LINLI_TRACKING_RATES", None) or {}).get(name)
    if override:
        return tuple((int(count), int(seconds)) for count, seconds in override)
    return DEFAULTS[name]


def _cache():
    return caches[getattr(settings, "LINLI_RATE_CACHE", "default")]


def _key(scope: str, who: str, seconds: int) -> str:
    return f"{PREFIX}{scope}:{seconds}:{who}"


#: INCRBY, and a timeout on a counter that has none (a new one): one atomic step in Redis.
_INCR = """
local n = redis.call('INCRBY', KEYS[1], ARGV[1])
if redis.call('TTL', KEYS[1]) < 0 then redis.call('EXPIRE', KEYS[1], ARGV[2]) end
return n
"""
#: DECRBY only a counter that still exists (a window that ended is not given a negative start).
_DECR = """
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECRBY', KEYS[1], ARGV[1]) end
return 0
"""


def _redis(cache, key: str):
    """(raw redis client, full key) when `cache` is Django's RedisCache, else (None, key)."""
    if isinstance(cache, RedisCache):
        full = cache.make_and_validate_key(key)
        return cache._cache.get_client(full, write=True), full
    return None, key


def increment(key: str, seconds: int, delta: int = 1) -> int:
    """Add `delta` to the counter `key` (created with a timeout of `seconds`); the new count.

    Atomic in Redis across every worker and machine. Other backends (the development LocMemCache: one process)
    add-or-incr under the backend's own lock."""
    cache = _cache()
    client, full = _redis(cache, key)
    if client is not None:
        return int(client.eval(_INCR, 1, full, delta, seconds))
    if cache.add(key, delta, timeout=seconds):
        return delta
    try:
        return cache.incr(key, delta)
    except ValueError:  # expired between add and incr
        cache.add(key, delta, timeout=seconds)
        return delta


def decrement(key: str, delta: int = 1) -> None:
    """Take `delta` back from the counter `key` if its window is still open."""
    cache = _cache()
    client, full = _redis(cache, key)
    if client is not None:
        client.eval(_DECR, 1, full, delta)
        return
    try:
        cache.decr(key, delta)
    except ValueError:
        pass


def blocked(scope: str, who: str, rules) -> bool:
    """True when any rule's window for `who` is already full (nothing is counted)."""
    keys = [_key(scope, who, seconds) for _count, seconds in rules]
    counts = _cache().get_many(keys)
    return any((counts.get(key) or 0) >= count for key, (count, _seconds) in zip(keys, rules, strict=True))


def hit(scope: str, who: str, rules) -> None:
    """Count one hit in every rule's window (rules of the same length share one window: once)."""
    for seconds in sorted({seconds for _count, seconds in rules}):
        increment(_key(scope, who, seconds), seconds)


def take(*claims) -> tuple[int, tuple[int, int]] | None:
    """Claim one hit in every window of every (scope, who, rules) claim, each window counted atomically.

    None when every window had room: the hits stay counted. Otherwise every hit of this call is taken back and
    the answer is (index of the first claim refused, its first rule that is full), in the order given, so the
    caller can say which limit it was. Unlike `blocked` + `hit`, N requests arriving together at a limit of
    N - 1 let exactly N - 1 through, whichever workers and machines they reach.
    """
    counted: list[str] = []
    refused = None
    for index, (scope, who, rules) in enumerate(claims):
        counts = {}
        for seconds in sorted({seconds for _count, seconds in rules}):
            key = _key(scope, who, seconds)
            counts[seconds] = increment(key, seconds)
            counted.append(key)
        full = next(((c, s) for c, s in rules if counts[s] > c), None)
        if full is not None:
            refused = (index, full)
            break
    if refused is not None:
        for key in counted:
            decrement(key)
    return refused


def give_back(*claims) -> None:
    """Undo a successful `take` of the same claims (e.g. the text could not be sent after all)."""
    for scope, who, rules in claims:
        for seconds in {seconds for _count, seconds in rules}:
            decrement(_key(scope, who, seconds))


def clear(key: str) -> None:
    """Forget the counter `key` (see `increment`)."""
    _cache().delete(key)


def reset(scope: str, who: str, rules) -> None:
    _cache().delete_many([_key(scope, who, seconds) for _count, seconds in rules])
