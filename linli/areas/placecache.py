"""Buildings with their community, read by id, kept in each process while the area tree is unchanged.

An API write that names a building (registering an appeal: the bench's case, issue 20) read it with its community
through restrict(user) on every request: a SELECT compiled by the ORM, about a quarter of the create's Python. The tree
changes rarely, and every save or delete of a street, community, grid or building bumps the version of the "areas" group
of linli.core.pagecache (bulk writes bump it themselves): the rows kept here are dropped whole when it changes, checked
on every use (the version is read once per request, with the API token's in the same round trip: `eager`), so a moved
building is seen at the next request in every process. Nothing read inside a transaction the code opened is kept (it
could still be rolled back). Each call gets its own instances; at most MAX_BUILDINGS are kept (then the copy starts
again).

Whether the user may use the building is still restrict()'s rule: `BuildingQuerySet.holds` decides it in memory
from the same scope_paths when it can; otherwise the caller asks the database.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS

from linli.areas.models import Building, Community
from linli.core import pagecache
from linli.core.versioned import Versioned

MAX_BUILDINGS = 20_000

_BUILDING_FIELDS = [f.attname for f in Building._meta.concrete_fields]
_COMMUNITY_FIELDS = [f.attname for f in Community._meta.concrete_fields]

_rows = Versioned("areas-buildings", dict, check_seconds=0, key=f"{pagecache.PREFIX}v:areas", eager=True)


def building(pk: int) -> Building | None:
    """The building `pk` with its community loaded (new instances each call); None when there is none."""
    rows = _rows.get()
    found = rows.get(pk)
    if found is None:
        values = (
            Building.objects.filter(pk=pk)
            .order_by()
            .values_list(*_BUILDING_FIELDS, *(f"community__{name}" for name in _COMMUNITY_FIELDS))[:1]
        )
        if not values:
            return None
        row = values[0]
        found = (row[: len(_BUILDING_FIELDS)], row[len(_BUILDING_FIELDS) :])
        if not pagecache.in_transaction():
            if len(rows) >= MAX_BUILDINGS:
                rows.clear()
            rows[pk] = found
    place = Building.from_db(DEFAULT_DB_ALIAS, _BUILDING_FIELDS, found[0])
    Building.community.field.set_cached_value(place, Community.from_db(DEFAULT_DB_ALIAS, _COMMUNITY_FIELDS, found[1]))
    return place
