"""Fixed-window rate limits in Django's cache (Redis in production, local memory in development).

A limit is (count, seconds): at most `count` hits per window of `seconds` for one key (a phone's
hash, a client address, or "all" for the global cap). Windows are fixed, not sliding: simple, one cache
round trip per rule, and good enough to stop a script texting a stranger's phone or guessing codes.

Every limit of the resident pages is keyed three ways, each with its own thresholds (issue 13, finding 8):
per phone where there is one, per client (linli.core.net.client_ip: the forwarded address only when the
request comes from a proxy in LINLI_TRUSTED_PROXIES, so residents behind our proxy are not one client and a
client cannot pick its own key), and globally. The thresholds are settings: LINLI_TRACKING_RATES overrides
any of DEFAULTS by name, e.g. {"sms_global": [[60, 60], [10000, 86400]]}.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

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


def _key(scope: str, who: str, seconds: int) -> str:
    return f"{PREFIX}{scope}:{seconds}:{who}"


def blocked(scope: str, who: str, rules) -> bool:
    """True when any rule's window for `who` is already full (nothing is counted)."""
    keys = [_key(scope, who, seconds) for _count, seconds in rules]
    counts = cache.get_many(keys)
    return any((counts.get(key) or 0) >= count for key, (count, _seconds) in zip(keys, rules, strict=True))


def hit(scope: str, who: str, rules) -> None:
    """Count one hit in every rule's window (rules of the same length share one window: once)."""
    for seconds in sorted({seconds for _count, seconds in rules}):
        key = _key(scope, who, seconds)
        if not cache.add(key, 1, timeout=seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=seconds)


def reset(scope: str, who: str, rules) -> None:
    cache.delete_many([_key(scope, who, seconds) for _count, seconds in rules])
