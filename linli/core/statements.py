"""Compiled SQL of querysets a page builds the same way on every request, kept in the process.

A queue page built its tabs' querysets (restrict(), filter(): resolving every lookup) and compiled them on every
request, for SQL that changes only with the user's scope, a few ids and the current time: ~1.5 ms of CPU of a
~7 ms page, more than the statements took to run (issue 20). `compiled(model, key, build, now)` compiles `build(now)`
once per key and gives, on later calls, the same SQL with the request's `now` among its parameters.

The key must name everything `build` reads but `now` (the user's scope, the ids it lists): the SQL is kept per key
and nothing else, for as long as the process runs (least recently used dropped first). `now` may only reach the
SQL as a parameter of a datetime column (`current_due__lt=now`): `build` is compiled with two different times, and
unless the two statements differ in exactly those parameters (`now - timedelta(...)`, a date, a time written into
the SQL text), nothing is kept and each call compiles afresh.

A statement reads like its queryset: its `sql` and `params` (linli.core.views.count_each counts a pk select's rows),
and `rows()`, the values with the converters the queryset's compiler applies (for the connection the queryset would
read from), in the order of `names`. Kept per template: the SQL, the parameters and the selected columns (~5 KB),
not the query.
"""

from __future__ import annotations

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connections, router
from django.db.models import DateTimeField

from linli.core import versioned

#: Two times no page asks for: compiled with each, a statement shows which parameters are `now`.
_MARKS = (
    datetime.datetime(2001, 2, 3, 4, 5, 6, 123457, tzinfo=datetime.UTC),
    datetime.datetime(2002, 3, 4, 5, 6, 7, 234568, tzinfo=datetime.UTC),
)
_TIME = DateTimeField()

MAX = 1024
_KEPT: OrderedDict[tuple, _Template | None] = OrderedDict()  # None: matches nothing
_lock = threading.Lock()
versioned.on_forget_all(_KEPT.clear)


@dataclass(frozen=True)
class _Template:
    """A compiled statement; the parameters at `at_now` are the time it was compiled with."""

    sql: str
    params: tuple
    at_now: tuple[int, ...]
    names: tuple[str, ...]
    expressions: tuple  # the selected columns, for their converters (not the whole query: some 40 KB each)
    model: type


@dataclass(frozen=True)
class Statement:
    """One request's statement: the SQL and the parameters with this request's time."""

    template: _Template
    params: list

    @property
    def sql(self) -> str:
        return self.template.sql

    @property
    def names(self) -> tuple[str, ...]:
        return self.template.names

    @property
    def db(self) -> str:
        return router.db_for_read(self.template.model)

    def rows(self) -> list:
        """The rows (in the order of `names`), converted as the queryset's compiler converts them (the backend's
        converters, then the field's: SQLCompiler.get_converters), with this request's connection."""
        connection = connections[self.db]
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        converters = []
        for i, expression in enumerate(self.template.expressions):
            found = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
            if found:
                converters.append((i, found, expression))
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for i, found, expression in converters:
                for convert in found:
                    row[i] = convert(row[i], expression, connection)
            converted.append(row)
        return converted


def _compile(queryset) -> _Template | None:
    """A values() / values_list() queryset compiled; None when it matches nothing (.none())."""
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return None
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    if len(names) != compiler.col_count or compiler.has_extra_select:
        raise ValueError("statements: only the columns of values() or values_list() may be selected")
    expressions = tuple(col for col, _, _ in compiler.select[: compiler.col_count])
    return _Template(sql, tuple(params), (), names, expressions, query.model)


_FRESH = object()  # a build whose time is not only in datetime parameters: compiled on every call
_MISSING = object()


def _template(build: Callable, connection) -> _Template | None | object:
    """`build` compiled with each of the two marks: the template with the marks' positions, None if it matches
    nothing either way, or _FRESH."""
    first, second = (_compile(build(mark)) for mark in _MARKS)
    if first is None or second is None:
        return None if first is second else _FRESH
    if (first.sql, first.names, len(first.params)) != (second.sql, second.names, len(second.params)):
        return _FRESH
    marks = [_TIME.get_db_prep_value(mark, connection) for mark in _MARKS]
    at_now = []
    for i, (a, b) in enumerate(zip(first.params, second.params)):
        if a == marks[0] and b == marks[1]:
            at_now.append(i)
        elif a != b:
            return _FRESH
    return _Template(first.sql, first.params, tuple(at_now), first.names, first.expressions, first.model)


def compiled(model, key: tuple, build: Callable, now: datetime.datetime) -> Statement | None:
    """`build(now)` (a values() or values_list() queryset of `model`) as a Statement, compiled once per `key` in this
    process; None when it matches nothing (.none())."""
    connection = connections[router.db_for_read(model)]
    key = (connection.vendor, *key)
    with _lock:
        found = _KEPT.get(key, _MISSING)
        if found is not _MISSING:
            _KEPT.move_to_end(key)
    if found is _MISSING:
        found = _template(build, connection)
        if found is _FRESH:
            fresh = _compile(build(now))
            return None if fresh is None else Statement(fresh, list(fresh.params))
        with _lock:
            _KEPT[key] = found
            while len(_KEPT) > MAX:
                _KEPT.popitem(last=False)
    if found is None:
        return None
    params = list(found.params)
    if found.at_now:
        value = _TIME.get_db_prep_value(now, connection)
        for i in found.at_now:
            params[i] = value
    return Statement(found, params)
