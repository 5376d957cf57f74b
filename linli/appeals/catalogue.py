"""The active problem categories (问题类别) by code, cached per process.

Every appeal created through the API names its category by code, and the directory changes a few times a year, so
the lookup is answered from memory. Invalidation follows the working-day table (linli.workdays.calendar): a save or
delete of a Category drops this process's copy at once and changes a version token in the shared cache (Redis in
production; linli.core.versioned) that every process re-reads at most every VERSION_CHECK_SECONDS. A copy is never kept
longer than MAX_AGE_SECONDS, so processes that share no cache (the embedded locmem default) catch up too. A code the
copy does not know is looked up in the database, so a new category is usable at once.
"""

from __future__ import annotations

import copy

from linli.core.versioned import Versioned

VERSION_CHECK_SECONDS = 5.0
MAX_AGE_SECONDS = 60.0


def _load() -> dict:
    from linli.appeals.models import Category

    return {c.code: c for c in Category.objects.filter(is_active=True)}


TABLE = Versioned("appeals.categories", _load, check_seconds=VERSION_CHECK_SECONDS, max_age=MAX_AGE_SECONDS)


def active_category(code: str):
    """The active Category with this code (a copy: callers may attach it to new rows), or None."""
    found = TABLE.get().get(code)
    if found is None:
        from linli.appeals.models import Category

        found = Category.objects.filter(code=code, is_active=True).first()
        if found is None:
            return None
        TABLE.forget()  # a category this copy did not know: read the directory again next time
        return found
    return copy.copy(found)
