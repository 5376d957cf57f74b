"""Bulk inserts for generators and imports: COPY on PostgreSQL, bulk_create elsewhere; and `purge`, the bulk delete.

Callers reserve primary keys first so that child rows can point at parents before anything
is written, and stay inside the caller's transaction. Neither sends a signal: each tells linli.core.versioned which
tables it wrote (`touched`), so that the versions watching them (cached filter choices) are bumped as a save's would.
"""

from __future__ import annotations

import json
import operator

from django.db import connection, models

from linli.core import versioned


class BulkWriter:
    """Bulk inserts: COPY on PostgreSQL, bulk_create on SQLite (and anything else)."""

    BATCH = 2000

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self._next_id: dict[type, int] = {}

    def reserve_ids(self, model, n: int) -> list[int]:
        """Primary keys for `n` new rows, taken before inserting so that children can point at them."""
        table = model._meta.db_table
        with connection.cursor() as cur:
            if self.postgres:
                cur.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [table, model._meta.pk.column, n],
                )
                return sorted(row[0] for row in cur.fetchall())
            start = self._next_id.get(model)
            if start is None:
                cur.execute(f'SELECT COALESCE(MAX("{model._meta.pk.column}"), 0) FROM "{table}"')
                start = cur.fetchone()[0]
                if connection.vendor == "sqlite":
                    cur.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                    row = cur.fetchone()
                    start = max(start, row[0] if row else 0)
                start += 1
        self._next_id[model] = start + n
        return list(range(start, start + n))

    def insert(self, model, objs: list) -> None:
        """Insert model instances, every concrete column (their primary keys are already set)."""
        if not objs:
            return
        if not self.postgres:
            model.objects.bulk_create(objs, batch_size=self.BATCH)
            versioned.touched(model)
            return
        fields = [f.attname for f in model._meta.concrete_fields]
        rows = map(operator.attrgetter(*fields), objs)
        json_columns = [i for i, f in enumerate(model._meta.concrete_fields) if isinstance(f, models.JSONField)]
        if json_columns:
            rows = (
                tuple(json.dumps(v, ensure_ascii=False) if i in json_columns else v for i, v in enumerate(row))
                for row in rows
            )
        self.copy(model, fields, rows)

    def insert_rows(self, model, fields: tuple[str, ...], rows: list[tuple]) -> None:
        """Insert plain tuples; JSON fields are given as already-encoded strings."""
        if not rows:
            return
        if self.postgres:
            self.copy(model, fields, rows)
        else:
            json_fields = {i for i, f in enumerate(fields) if isinstance(model._meta.get_field(f), models.JSONField)}
            objs = []
            for row in rows:
                values = {f: (json.loads(v) if i in json_fields else v) for i, (f, v) in enumerate(zip(fields, row))}
                objs.append(model(**values))
            model.objects.bulk_create(objs, batch_size=self.BATCH)
            versioned.touched(model)

    def copy(self, model, fields, rows) -> None:
        opts = model._meta
        columns = ", ".join(connection.ops.quote_name(opts.get_field(f).column) for f in fields)
        connection.ensure_connection()
        with connection.connection.cursor() as cur:
            with cur.copy(f"COPY {connection.ops.quote_name(opts.db_table)} ({columns}) FROM STDIN") as copy:
                write = copy.write_row
                for row in rows:
                    write(row)
        versioned.touched(model)


def purge(queryset, depth: int = 0) -> None:
    """Delete the rows of `queryset` and, first, every row that points at them.

    The area tree and residents are linked with PROTECT, so children go before parents;
    nullable SET_NULL links (a user's resident record, a change record's actor) are cleared.
    Deletes are single statements with subqueries, fast enough for a million residents.
    """
    if depth > 10:
        raise RuntimeError(f"relations too deep while deleting {queryset.model.__name__}")
    opts = queryset.model._meta
    for rel in opts.get_fields(include_hidden=True):
        if not (rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)):
            continue
        if rel.related_model is queryset.model:
            # A row pointing at a row of its own table (a love bank reversal at the transaction it
            # reverses) goes in the same statement; the constraint is checked at commit.
            continue
        related = rel.related_model._base_manager.filter(**{f"{rel.field.name}__in": queryset.values("pk")})
        if rel.on_delete is models.SET_NULL:
            related.update(**{rel.field.name: None})
            versioned.touched(rel.related_model)
        else:
            purge(related, depth + 1)
    queryset._raw_delete(queryset.db)
    versioned.touched(queryset.model)
