"""Household.care_members: how many active residents of a household are in a care group (choices.CARE_TAGS).

"In need" used to be worked out from the tags at read time; for a street (52,000 households) that probed every
household for a tagged resident (~400 ms a statement, issue 20). The count is now kept on the household:

- residents.services calls `recount_care_members` with the households a write touched: a resident created,
  changed (tags, status, household: the old and the new one), marked as left or deleted, a bulk tag edit, a tag
  whose code changed;
- writes in bulk past the services (the ledger importer, the demo builder) recount the community they wrote;
- `linli recount_care` recomputes every household from scratch (and says how many were wrong).

The count is set to what the residents say, never incremented, so recounting twice or too many households is
harmless.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Count

from linli.areas.models import Household
from linli.residents.choices import CARE_TAGS, ResidentStatus
from linli.residents.models import Resident

#: Households per UPDATE of the full recount (an IN list of this many ids).
BATCH = 5_000


def care_residents(resident_model=Resident):
    """Active residents carrying a care-group tag (a resident with two such tags appears twice: count distinct)."""
    return resident_model.objects.filter(status=ResidentStatus.ACTIVE, tags__code__in=CARE_TAGS)


def care_counts(household_ids=None, resident_model=Resident) -> dict[int, int]:
    """{household id: its active residents in a care group}, for the households that have any (one grouped query)."""
    rows = care_residents(resident_model)
    if household_ids is not None:
        rows = rows.filter(household_id__in=household_ids)
    grouped = (
        rows.order_by().values("household_id").annotate(n=Count("pk", distinct=True)).values_list("household_id", "n")
    )
    return dict(grouped)


def _ids(household_ids):
    if isinstance(household_ids, (list, tuple, set)):
        return {pk for pk in household_ids if pk is not None}
    return household_ids


def recount_care_members(
    household_ids: Iterable[int] | None = None, *, household_model=Household, resident_model=Resident
) -> int:
    """Set care_members of the given households (a list or a queryset of ids; all when None) from their residents.

    One grouped count of their care-group residents and a read of those marked now, then an UPDATE per distinct
    value (0, 1, 2 … rarely more than four) of the rows that differ: set-based, so that the
    full recount of a city (600,000 households) takes seconds, not a correlated subquery per household.
    Returns the number of rows written.
    """
    household_ids = _ids(household_ids)
    households = household_model.objects.all()
    if household_ids is not None:
        households = households.filter(pk__in=household_ids)
    counts = care_counts(household_ids, resident_model)
    marked = households.filter(care_members__gt=0).values_list("pk", flat=True)
    by_value = defaultdict(list)
    by_value[0] = sorted(set(marked) - counts.keys())
    for pk, n in counts.items():
        by_value[n].append(pk)
    written = 0
    for n, pks in sorted(by_value.items()):
        for start in range(0, len(pks), BATCH):
            chunk = pks[start : start + BATCH]
            written += household_model.objects.filter(pk__in=chunk).exclude(care_members=n).update(care_members=n)
    return written


def stale_households(household_model=Household, resident_model=Resident) -> list[int]:
    """Ids of the households whose care_members differs from a count from scratch (empty when the marker is right)."""
    counts = care_counts(resident_model=resident_model)
    marked = dict(household_model.objects.filter(care_members__gt=0).values_list("pk", "care_members"))
    return sorted(pk for pk in counts.keys() | marked.keys() if counts.get(pk, 0) != marked.get(pk, 0))
