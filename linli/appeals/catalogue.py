"""The active problem categories (问题类别) by code, cached per process.

Every appeal created through the API names its category by code, and the directory changes a few times a year, so
the lookup is answered from memory. Invalidation follows the working-day table (linli.workdays.calendar): a save or
delete of a Category drops this process's copy at once and, once committed, changes a version token in the shared
cache (Redis in production) that every process re-reads at most every VERSION_CHECK_SECONDS. A copy is never kept
longer than MAX_AGE_SECONDS, so processes that share no cache (the embedded locmem default) catch up too. A code the
copy does not know is looked up in the database, so a new category is usable at once.
"""

from __future__ import annotations

import copy
import time
import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "linli.appeals.categories.version"
VERSION_CHECK_SECONDS = 5.0
MAX_AGE_SECONDS = 60.0

_state: dict = {"version": None, "table": None, "loaded_at": 0.0, "checked_at": 0.0}


def _shared_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY) or "unknown"
    return version


def _load(version: str, now: float) -> dict:
    from linli.appeals.models import Category

    table = {c.code: c for c in Category.objects.filter(is_active=True)}
    _state.update(version=version, table=table, loaded_at=now, checked_at=now)
    return table


def _table() -> dict:
    now = time.monotonic()
    table = _state["table"]
    if table is not None and now - _state["loaded_at"] < MAX_AGE_SECONDS:
        if now - _state["checked_at"] < VERSION_CHECK_SECONDS:
            return table
        version = _shared_version()
        if version == _state["version"]:
            _state["checked_at"] = now
            return table
        return _load(version, now)
    return _load(_shared_version(), now)


def active_category(code: str):
    """The active Category with this code (a copy: callers may attach it to new rows), or None."""
    found = _table().get(code)
    if found is None:
        from linli.appeals.models import Category

        found = Category.objects.filter(code=code, is_active=True).first()
        if found is None:
            return None
        forget()  # a category this copy did not know: read the directory again next time
        return found
    return copy.copy(found)


def forget() -> None:
    """Drop this process's copy."""
    _state.update(version=None, table=None, loaded_at=0.0, checked_at=0.0)


def invalidate() -> None:
    """Drop this process's copy and tell the other processes to reload."""
    forget()
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def on_category_changed(**kwargs) -> None:
    """post_save/post_delete of Category: this process reloads now, the others once it commits."""
    forget()
    transaction.on_commit(invalidate)
