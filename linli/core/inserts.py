"""Several new rows in one statement (PostgreSQL): a parent and the rows that point to it, as data-modifying CTEs.

A service that writes a row and its first event (an appeal and its 受理 step) pays a round trip per INSERT plus
BEGIN and COMMIT to keep them together. One statement is atomic on its own: `WITH parent AS (INSERT … RETURNING id)
INSERT INTO child (parent_id, …) VALUES ((SELECT id FROM parent), …)` writes both or neither, in autocommit, in one
round trip. Each INSERT is Django's own (`insert_sql`: the model's concrete fields, `pre_save` of each — auto_now_add
and the like —, expressions such as `RawSQL` allowed as values), so the columns, defaults and conversions are those
of `Model.save()`; `mark_saved` does what `save()` does after the row is written (the instance's state, the
pre_save/post_save signals, sent around the statement as save() would).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import weakref

from django.conf import settings
from django.db import ProgrammingError, connection, connections
from django.db.models import (
    AutoField,
    BigAutoField,
    BigIntegerField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKey,
    TextField,
)
from django.db.models.expressions import RawSQL
from django.db.models.fields import Field
from django.db.models.signals import post_save, pre_save
from django.db.models.sql import InsertQuery

logger = logging.getLogger(__name__)

#: (database, model, whether the pk is written, what each value is: NULL, a parameter or a RawSQL's text; returning)
#: -> the statement.
_statements: dict[tuple, str] = {}

#: Django's own field classes (exactly these, not subclasses) whose get_db_prep_save leaves a value of these types
#: as it is (and None as None): CharField/TextField's to_python of a str, BooleanField's of a bool, an auto field's
#: int (a foreign key's value is its target's). A value of another type, or a field of another class, goes through
#: get_db_prep_save: the other integer fields too (PostgreSQL wraps their values in psycopg's Int2/Int4/Int8).
_PLAIN = {
    CharField: (str,),
    TextField: (str,),
    BooleanField: (bool,),
    AutoField: (int,),
    BigAutoField: (int,),
}
#: DateTimeField: an aware datetime is left as it is by PostgreSQL's adapt_datetimefield_value only
_AWARE = (datetime.datetime,)

#: (database, model, whether the pk is written) -> the fields written, each with what it takes as is (None: none)
_plans: dict[tuple, tuple] = {}


def _plan(meta, vendor: str, with_pk: bool) -> tuple:
    key = (vendor, meta.label, with_pk)
    plan = _plans.get(key)
    if plan is None:
        fields = [f for f in meta.local_concrete_fields if not getattr(f, "generated", False)]
        if not with_pk:
            fields = [f for f in fields if f is not meta.auto_field]
        compiled = any(hasattr(f, "get_placeholder") for f in fields)
        plain = []
        for f in fields:
            kind = type(f)
            if kind is ForeignKey:
                kind = type(f.target_field)
            if kind is DateTimeField:
                plain.append(_AWARE if vendor == "postgresql" else None)
            else:
                plain.append(_PLAIN.get(kind))
        # pre_save of Field itself is getattr(obj, attname); auto_now and the like have their own
        plain_pre = [type(f).pre_save is Field.pre_save for f in fields]
        plan = _plans[key] = (fields, compiled, plain, plain_pre)
    return plan


def insert_sql(obj, returning=()) -> tuple[str, list]:
    """`INSERT INTO … VALUES (…) [RETURNING …]` for the unsaved `obj`, as Model.save() would write it (its primary
    key too when set, e.g. to a RawSQL expression): the model's concrete fields, each value from `pre_save(add=True)`
    and `get_db_prep_save` as Django's compiler does. NULLs are written in the text, not sent as parameters, and the
    text is made once per shape (which values are NULL, which are RawSQL): compiling ~50 columns was a third of an
    API create's Python, and psycopg parses a statement with more than 50 parameters again on every execution.
    The fields to write, and which of them keep a value of a plain type as it is (a str of a CharField, an int of a
    ForeignKey, an aware datetime on PostgreSQL: get_db_prep_save would return it unchanged), are worked out once per
    model (`_plan`): calling get_db_prep_save for each of ~50 columns was a fifth of an API create's Python.
    Anything else (another expression, a field with its own placeholder) is left to Django's compiler."""
    meta = obj._meta
    conn = connections[connection.alias]
    fields, compiled, plain, plain_pre = _plan(meta, conn.vendor, obj.pk is not None)
    if not compiled:
        # One pass: each value (pre_save), what it is in the statement's shape (NULL, a parameter, a RawSQL's text)
        # and the parameters; get_db_prep_save only for what it would change. Another expression: the compiler's.
        shape, params = [], []
        for f, pre, ok in zip(fields, plain_pre, plain):
            v = getattr(obj, f.attname) if pre else f.pre_save(obj, True)
            if v is None and ok is not None:
                shape.append(None)
                continue
            if ok is None or type(v) not in ok or (ok is _AWARE and v.tzinfo is None):
                if isinstance(v, RawSQL):
                    shape.append(v.sql)
                    params.extend(v.params)
                    continue
                if hasattr(v, "resolve_expression"):
                    compiled = True
                    break
                v = f.get_db_prep_save(v, connection=conn)
                if v is None:
                    shape.append(None)
                    continue
            shape.append("%s")
            params.append(v)
    if compiled:
        query = InsertQuery(type(obj))
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(connection=conn)
        compiler.returning_fields = list(returning)
        [(sql, params)] = compiler.as_sql()
        return sql, list(params)
    key = (conn.vendor, meta.label, obj.pk is not None, tuple(shape), tuple(f.attname for f in returning))
    sql = _statements.get(key)
    if sql is None:
        qn = conn.ops.quote_name
        columns = ", ".join(qn(f.column) for f in fields)
        marks = ", ".join("NULL" if mark is None else mark for mark in shape)
        sql = f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})"
        if returning:
            sql += " " + conn.ops.return_insert_columns(list(returning))[0]
        _statements[key] = sql
    return sql, params


_ID_FIELD = BigIntegerField()  # an output field, never bound to a model: one for every parent_id()


def parent_id(cte: str) -> RawSQL:
    """The id the CTE named `cte` returned, as a value of a child's foreign key."""
    return RawSQL(f"(SELECT id FROM {cte})", [], output_field=_ID_FIELD)


def send_pre_save(*objs) -> None:
    for obj in objs:
        pre_save.send(sender=type(obj), instance=obj, raw=False, using=connection.alias, update_fields=None)


def mark_saved(*objs) -> None:
    """What Model.save() does once an INSERT wrote the row: the instance is no longer new, post_save(created)."""
    for obj in objs:
        obj._state.adding = False
        obj._state.db = connection.alias
        post_save.send(
            sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=connection.alias
        )


#: Whether this process still prepares (see execute_returning): False once the server said a prepared statement of
#: this process is missing, which happens only when a pooler hands one client's statements to several server
#: connections.
_preparing = True
#: The names prepared on each open psycopg connection (prepared statements live as long as the server session, and a
#: rolled-back transaction keeps them).
_prepared_on: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
#: statement text -> (name, PREPARE text, EXECUTE text with one %s per parameter)
_prepared_texts: dict[str, tuple[str, str, str]] = {}


def execute_returning(sql: str, params: list) -> tuple:
    """Run `sql` (an INSERT … RETURNING) on the default database and return its row.

    On PostgreSQL the statement is prepared on the server once per connection (`PREPARE`) and then run by name
    (`EXECUTE name(values)`): parsing and planning the ~4 KB INSERT of ~50 columns with its values written in cost the
    server as much CPU as running it (docs/benchmarks.md, API create). Everything goes through Django's own cursor
    (its query log, execute_wrappers, database errors as django.db's); LINLI_PG_PREPARED=off sends the statement as
    every other one is sent.

    The name is a digest of the statement's text, so a name means one statement wherever it is found: a pooler in
    transaction mode that hands one client's statements to another server connection can never run a different
    statement under it. It can lose it: when the server says a name is missing, this process stops preparing for
    good and logs an error naming the setting; the statement is sent again unprepared outside a transaction, while
    inside one (whose work the error has already undone) the error goes to the caller, as any database error would."""
    conn = connections[connection.alias]
    if conn.vendor != "postgresql" or not _preparing or not settings.LINLI_PG_PREPARED or "%%" in sql:
        return _execute(conn.cursor(), sql, params)
    name, prepare, execute = _texts(sql)
    with conn.cursor() as cursor:
        known = _prepared_on.setdefault(conn.connection, set())
        try:
            if name not in known:
                cursor.execute("SELECT 1 FROM pg_prepared_statements WHERE name = %s", [name])
                if cursor.fetchone() is None:
                    cursor.execute(prepare)
                known.add(name)
            cursor.execute(execute, params)
            return cursor.fetchone()
        except ProgrammingError as exc:
            if not _lost_by_a_pooler(exc):
                raise
            _stop_preparing()
            if conn.in_atomic_block:
                raise
    return _execute(conn.cursor(), sql, params)


def _texts(sql: str) -> tuple[str, str, str]:
    found = _prepared_texts.get(sql)
    if found is None:
        name = "linli_" + hashlib.sha256(sql.encode()).hexdigest()[:24]
        pieces = sql.split("%s")  # %s for each parameter and no other % (execute_returning leaves out a text with %%)
        body = pieces[0] + "".join(f"${n}{piece}" for n, piece in enumerate(pieces[1:], 1))
        marks = "(" + ", ".join(["%s"] * (len(pieces) - 1)) + ")" if len(pieces) > 1 else ""
        found = _prepared_texts[sql] = (name, f"PREPARE {name} AS {body}", f"EXECUTE {name}{marks}")
    return found


def _execute(cursor, sql: str, params: list) -> tuple:
    with cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _lost_by_a_pooler(exc: Exception) -> bool:
    """The server does not know a statement prepared on this connection, or already knows its name (the same
    statement: the name is its digest) where this process did not prepare it."""
    from psycopg import errors

    return isinstance(exc.__cause__, (errors.InvalidSqlStatementName, errors.DuplicatePreparedStatement))


def _stop_preparing() -> None:
    global _preparing
    if _preparing:
        _preparing = False
        logger.error(
            "PostgreSQL does not know a statement prepared on this connection: a connection pooler in transaction "
            "mode that does not keep prepared statements sits between Linli and the database (%s). This process "
            "stops preparing; set LINLI_PG_PREPARED=off for every process, or max_prepared_statements in pgbouncer "
            "1.21+ (docs/scale-out.md).",
            connection.settings_dict.get("HOST") or "local",
        )
