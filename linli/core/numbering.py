"""Gap-free document numbers per series and year: 青和居报〔2026〕3号, 青和居调〔2026〕12号, 青和居证〔2026〕0007号.

One helper for every app that numbers its documents (work reports, mediation cases, certificates): the apps name
their series (a key such as ``"workreports:c12"``) and format the number; this module only hands out the serial.

How it stays correct:

- A `DocumentCounter` row per (key, year) holds the last serial taken. `next_number` locks it
  (``SELECT … FOR UPDATE`` on PostgreSQL), so two clerks numbering at once queue on the row and get consecutive
  serials; the lock lasts until the caller's transaction ends.
- It must run inside the transaction that saves the document: a rollback undoes the counter's increment with the
  document, so a refused or failed save leaves no gap.
- The year's first number: the row does not exist yet. Two callers may both try to create it; the loser's insert
  fails on the unique constraint (on PostgreSQL only once the winner commits) inside a savepoint, and it then waits
  on the winner's row. `start` (called only when creating the row) gives the highest serial the series already used
  before the counter existed — documents numbered by an earlier version keep their numbers and new ones follow.
- SQLite has no row locks (``select_for_update`` is a no-op), but linli opens its SQLite transactions as
  ``IMMEDIATE`` (settings.py): a writer holds the database's write lock from the start, so numbering is serial there
  too.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import IntegrityError, transaction

from linli.core.models import DocumentCounter


def next_number(key: str, year: int, *, start: Callable[[], int] | None = None, using: str = "default") -> int:
    """Take the next serial of series `key` in `year` (1, 2, 3 …). Call inside the transaction that saves the
    document. `start()` returns the highest serial already used (documents older than the counter); it is called
    only when the year's counter row is created."""
    assert transaction.get_connection(using).in_atomic_block, "next_number runs inside the saving transaction"
    rows = DocumentCounter.objects.using(using).select_for_update()
    counter = rows.filter(key=key, year=year).first()
    if counter is None:
        try:
            with transaction.atomic(using=using):
                DocumentCounter.objects.using(using).create(key=key, year=year, last=int(start() or 0) if start else 0)
        except IntegrityError:
            pass  # another caller created it first: wait for its row below
        counter = rows.get(key=key, year=year)
    counter.last += 1
    counter.save(update_fields=["last"], using=using)
    return counter.last


def last_number(key: str, year: int) -> int:
    """The last serial series `key` took in `year` (0 when none): for tests and the admin."""
    return DocumentCounter.objects.filter(key=key, year=year).values_list("last", flat=True).first() or 0
