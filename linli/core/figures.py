"""Figures shown to people: one rule for a percentage, so two pages never show the same share differently; reports
reused for a short while per scope (cached_report)."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.utils import timezone


def percent(part: int, whole: int, digits: int = 0) -> int | float | None:
    """`part` of `whole` as a percentage, rounded half up to `digits` decimals (12.5 → 13, 66.65 → 66.7): the way
    people round on paper. Computed exactly, so no float error decides a half. None when `whole` is 0 (no share
    to show: a page prints "—", not "0%"). An int when `digits` is 0, else a float."""
    if not whole:
        return None
    scale = 10**digits
    value = Fraction(100 * part * scale, whole)
    rounded = int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))
    return rounded if digits == 0 else rounded / scale


#: How long a computed report (诉求统计, 走访统计) is reused for the same scope and filters; the page says when its
#: figures were computed. 0 computes every time.
FIGURES_CACHE_PREFIX = "linli:figures:"


@dataclass(frozen=True)
class Computed:
    """A report and when it was computed (the page shows “数据更新于 HH:MM”)."""

    value: Any
    computed_at: datetime.datetime


def scope_key(*querysets) -> str:
    """The scope as the SQL of the user's restricted querysets: two users get the same key only when every one of
    those querysets selects the same rows by the same conditions (their assignments, role and permissions decide
    the SQL), so a cached report can never cross from one scope to another."""
    parts = []
    for queryset in querysets:
        try:
            parts.append(str(queryset.query))
        except EmptyResultSet:  # restrict() gave .none(): nothing visible
            parts.append("none")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_report(name: str, scope: str, params: dict, compute: Callable[[], Any]) -> Computed:
    """`compute()` or its result computed less than LINLI_FIGURES_CACHE_SECONDS ago for the same report, scope
    (scope_key) and parameters. The figures are those of the uncached computation at `computed_at`."""
    seconds = settings.LINLI_FIGURES_CACHE_SECONDS
    if seconds <= 0:
        return Computed(compute(), timezone.now())
    raw = json.dumps([name, scope, params], sort_keys=True, default=str, ensure_ascii=False)
    key = FIGURES_CACHE_PREFIX + hashlib.sha256(raw.encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found
    computed = Computed(compute(), timezone.now())
    cache.set(key, computed, seconds)
    return computed
