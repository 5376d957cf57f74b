"""Who to call: the grid workers (网格员) assigned to a grid, for the grid page and the resident page.

A staff member's work phone is not a resident's personal data: it is shown in full to anyone who may open
the page, so that a neighbour's emergency reaches the worker in one tap.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from linli.accounts.choices import Role
from linli.accounts.models import AreaAssignment, User


def grid_workers(grid_ids: Iterable[int]) -> dict[int, list[User]]:
    """{grid id: active grid workers assigned to that grid, by name}, in one query."""
    ids = [g for g in grid_ids if g]
    result: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return result
    rows = (
        AreaAssignment.objects.filter(grid_id__in=ids, user__role=Role.GRID_WORKER, user__is_active=True)
        .select_related("user")
        .order_by("user__full_name", "user__username")
    )
    for a in rows:
        result[a.grid_id].append(a.user)
    return result


def workers_of_grid(grid_id: int | None) -> list[User]:
    return grid_workers([grid_id]).get(grid_id, []) if grid_id else []
