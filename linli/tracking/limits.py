"""Fixed-window rate limits in Django's cache (Redis in production, local memory in development).

A limit is (count, seconds): at most `count` hits per window of `seconds` for one key (a phone's
hash, an IP address). Windows are fixed, not sliding: simple, one cache round trip per rule, and
good enough to stop a script texting a stranger's phone or guessing codes.
"""

from __future__ import annotations

from django.core.cache import cache

PREFIX = "linli:trk:rate:"


def _key(scope: str, who: str, seconds: int) -> str:
    return f"{PREFIX}{scope}:{seconds}:{who}"


def blocked(scope: str, who: str, rules) -> bool:
    """True when any rule's window for `who` is already full (nothing is counted)."""
    for count, seconds in rules:
        if (cache.get(_key(scope, who, seconds)) or 0) >= count:
            return True
    return False


def hit(scope: str, who: str, rules) -> None:
    """Count one hit in every rule's window."""
    for _count, seconds in rules:
        key = _key(scope, who, seconds)
        if not cache.add(key, 1, timeout=seconds):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=seconds)


def reset(scope: str, who: str, rules) -> None:
    cache.delete_many([_key(scope, who, seconds) for _count, seconds in rules])
