"""Values kept in each process while a version token in the shared cache stays the same.

Some rows are read on most requests and change rarely: the working-day overrides, the problem categories, API
tokens with their users. Each process keeps its own copy (`Versioned`); a change bumps a version token in django's
cache (Redis in production, shared by every worker) and a process whose copy was made under another version loads
it again. `check_seconds` is how long a process trusts its copy without reading the version (0: on every use, one
cache read instead of the database); `max_age` bounds a copy's life even when the version did not change, so that
processes that share no cache (the embedded locmem default) catch up too.

A change bumps twice (`bump`): at once, and again when the transaction commits, so that a process that loaded
between the two (reading the rows as they were before the commit) does not keep them under the new version. The
version is read *before* loading, so a change during a load is noticed on the next use.

linli.core.pagecache keys its shared entries with the same version tokens (`versions`, `bump_key`). Tests forget
every process copy between tests (conftest.py `_fresh_caches`, `forget_all`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db import transaction

PREFIX = "linli:version:"

_registry: list[Versioned] = []


def versions(keys: Iterable[str]) -> dict[str, str]:
    """The current version token of each key, in one cache round trip (each created on first use)."""
    keys = list(keys)
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or "unknown"
    return found


def set_new_version(key: str) -> None:
    cache.set(key, uuid.uuid4().hex, None)


def bump_key(key: str) -> None:
    """What was made under `key`'s version is stale: now, and once more when the current transaction commits."""
    set_new_version(key)
    transaction.on_commit(lambda: set_new_version(key))


class Versioned:
    """`load()`'s value, kept in this process while the shared version of `name` is unchanged.

    The value may be a container the owner fills lazily (a dict of rows read on demand): it is dropped whole when
    the version changes, so whatever was put in it under the old version goes too.
    """

    def __init__(
        self, name: str, load: Callable, *, check_seconds: float = 5.0, max_age: float | None = None, key: str = ""
    ):
        # `key`: another owner's version token (a pagecache group's) instead of this value's own
        self.key = key or PREFIX + name
        self.load = load
        self.check_seconds = check_seconds
        self.max_age = max_age
        self.forget()
        _registry.append(self)

    def get(self):
        now = time.monotonic()
        if self._version is not None and (self.max_age is None or now - self._loaded_at < self.max_age):
            if now - self._checked_at < self.check_seconds:
                return self._value
            version = versions([self.key])[self.key]
            if version == self._version:
                self._checked_at = now
                return self._value
        else:
            version = versions([self.key])[self.key]
        value = self.load()  # may raise: nothing is kept then
        self._value, self._version, self._loaded_at, self._checked_at = value, version, now, now
        return value

    def forget(self) -> None:
        """Drop this process's copy (the others keep theirs)."""
        self._value, self._version, self._loaded_at, self._checked_at = None, None, 0.0, 0.0

    def bump(self) -> None:
        """Every process loads again: this one at once, the others on their next check, now and after the commit."""
        self.forget()
        set_new_version(self.key)
        transaction.on_commit(self._bump_committed)

    def _bump_committed(self) -> None:
        self.forget()
        set_new_version(self.key)

    def on_change(self, **kwargs) -> None:
        """A post_save / post_delete receiver."""
        self.bump()


def forget_all() -> None:
    """Drop every process copy (tests: a rolled-back row fires no signal)."""
    for value in _registry:
        value.forget()
