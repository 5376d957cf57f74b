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
every process copy between tests (conftest.py `_fresh_caches`, `forget_all`); a copy kept outside a `Versioned`
registers its own forgetting with `on_forget_all`.

Signals see only `save()`, `delete()` and many-to-many changes. A version that follows a model's rows is connected
with `bump_on_change` (its signals, and `watch` for the rest), and a write that sends none (bulk_create,
bulk_update, QuerySet.update(), COPY or raw SQL, a purge, a restore, a migration) calls `touched(*models)`: every
version watching them is bumped as their signals would, now and when the transaction commits (`touched_all`: every
watched version).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import post_delete, post_save

PREFIX = "linli:version:"

_registry: list[Versioned] = []


#: Version tokens already read by the request this thread is serving (None outside a request): a page reads the
#: same few tokens (the areas', the user's) for each of its cached lists, a Redis round trip each. Read once per
#: request, they are the versions at the request's start, as if each list had been read then; a bump in this
#: process forgets them at once, so a request that changes rows reads its own change.
_request = threading.local()


def _request_started(**kwargs) -> None:
    _request.tokens = {}


def _request_finished(**kwargs) -> None:
    _request.tokens = None


request_started.connect(_request_started, dispatch_uid="linli.versioned.request_started")
request_finished.connect(_request_finished, dispatch_uid="linli.versioned.request_finished")


#: Keys read along with the first version read of a request (`Versioned(..., eager=True)`): tokens that most requests
#: which read one version read too (the API tokens', the area tree's), so that a request pays one Redis round trip for
#: all of them instead of one each (an API create read two: docs/benchmarks.md, issue 20).
_eager: list[str] = []


def read_eagerly(key: str) -> None:
    """Read `key`'s version with the first version read of every request (see `_eager`)."""
    if key not in _eager:
        _eager.append(key)


def versions(keys: Iterable[str]) -> dict[str, str]:
    """The current version token of each key, in one cache round trip (each created on first use); within a
    request, each key's token is read once, and the first read also reads the eager keys."""
    keys = list(keys)
    memo = getattr(_request, "tokens", None)
    known = {key: memo[key] for key in keys if key in memo} if memo else {}
    wanted = [key for key in keys if key not in known]
    if not wanted:
        return known
    fetch = wanted
    if memo is not None:
        fetch = wanted + [key for key in _eager if key not in memo and key not in wanted]
    found = cache.get_many(fetch)
    for key in fetch:
        if key not in found:
            cache.add(key, uuid.uuid4().hex, None)
            found[key] = cache.get(key) or "unknown"
    if memo is not None:
        memo.update(found)
    known.update((key, found[key]) for key in wanted)
    return known


def set_new_version(key: str) -> None:
    memo = getattr(_request, "tokens", None)
    if memo:
        memo.clear()  # read again after a change (of this key, and of others bumped by the same write)
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
        self,
        name: str,
        load: Callable,
        *,
        check_seconds: float = 5.0,
        max_age: float | None = None,
        key: str = "",
        eager: bool = False,
    ):
        # `key`: another owner's version token (a pagecache group's) instead of this value's own
        self.key = key or PREFIX + name
        if eager:
            read_eagerly(self.key)
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


#: Other per-process copies keyed by version tokens (`on_forget_all`): forgotten with the rest.
_forgetters: list[Callable[[], None]] = []


def on_forget_all(callback: Callable[[], None]) -> Callable[[], None]:
    """Call `callback()` (no arguments) whenever `forget_all` drops every process copy: for a per-process copy kept
    outside a `Versioned`, e.g. linli.core.pagecache.rendered's markup (keyed by version tokens, so never stale, but
    a test's rolled-back rows bump nothing). Registering the same callback again does nothing: it runs once per
    `forget_all`, however often its module registered it. Returns `callback` (usable as a decorator)."""
    if callback not in _forgetters:
        _forgetters.append(callback)
    return callback


def forget_all() -> None:
    """Drop every process copy, and run every `on_forget_all` callback (tests: a rolled-back row fires no signal)."""
    _request.tokens = None
    for value in _registry:
        value.forget()
    for forget in _forgetters:
        forget()


#: model label → the bumps its signals stand for (`watch`), called by `touched` for writes that send no signal
_watchers: dict[str, list[Callable[[], None]]] = {}


def watch(bump: Callable[[], None], *models) -> None:
    """`bump()` (no arguments: a `Versioned.bump`, a pagecache group's) is what a change of `models`' rows calls
    through their signals (connected by the caller): `touched` calls it for the writes that send none. Registering
    the same bump again does nothing."""
    for model in models:
        found = _watchers.setdefault(model._meta.label_lower, [])
        if bump not in found:
            found.append(bump)


def bump_on_change(bump: Callable[[], None], *models, uid: str, receiver: Callable | None = None) -> None:
    """`bump()` on every save and delete of `models` (their post_save / post_delete, connected under `uid`) and for
    the writes that send none (`watch`: `touched`). `receiver` (a signal receiver calling `bump` itself) instead,
    where some saves change nothing the value holds (a login's last_login)."""
    if receiver is None:

        def receiver(**kwargs):
            bump()

    for model in models:
        name = f"{uid}:{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=name + ":save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=name + ":delete")
    watch(bump, *models)


def touched(*models) -> None:
    """Rows of `models` were created, changed or deleted by a write that sends no signal: every version `watch`ing
    any of them is bumped once, now and when the current transaction commits (as a signal would bump it). A model
    nothing watches costs a dict lookup. `models` are classes (a migration's historical ones too)."""
    bumps = dict.fromkeys(bump for model in models for bump in _watchers.get(model._meta.label_lower, ()))
    for bump in bumps:
        bump()


def touched_all() -> None:
    """Every watched version is stale (after a migration or a restore: any table may have changed)."""
    for bump in dict.fromkeys(bump for bumps in _watchers.values() for bump in bumps):
        bump()
