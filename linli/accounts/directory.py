"""Who works where: the staff assigned to an area, for a page to show or a message to reach.

`grid_workers` answers "who to call" on the grid page and the resident page: a staff member's work phone is
not a resident's personal data, it is shown in full to anyone who may open the page, so that a neighbour's
emergency reaches the worker in one tap. `users_assigned` and `secretaries_of` answer "who to tell" for every
app that sends notifications; `resident_accounts` the residents of some rooms or buildings who have an account.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Q

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


def users_assigned(
    *, role: str | Iterable[str], grid_ids: Iterable[int] = (), community_ids: Iterable[int] = (), street_ids=()
) -> list[User]:
    """Active users of `role` (one role or several) assigned directly to one of the given grids, communities or
    streets (an assignment above or below the given node does not count)."""
    roles = [role] if isinstance(role, str) else list(role)
    q = Q(pk__in=[])
    if grid_ids := list(grid_ids):
        q |= Q(assignments__grid_id__in=grid_ids)
    if community_ids := list(community_ids):
        q |= Q(assignments__community_id__in=community_ids)
    if street_ids := list(street_ids):
        q |= Q(assignments__street_id__in=street_ids)
    return list(User.objects.filter(q, role__in=roles, is_active=True).distinct().prefetch_related("assignments"))


def secretaries_of(community_ids: Iterable[int]) -> list[User]:
    """The active secretaries (书记) assigned to any of `community_ids`."""
    return users_assigned(role=Role.SECRETARY, community_ids=community_ids)


def resident_accounts(*, household_ids: Iterable[int] = (), building_ids: Iterable[int] = ()) -> list[User]:
    """The active accounts of residents (role 居民) who live, still registered (在册), in one of the given households
    or buildings: whom to tell "a vote opened in your building" or "your household's ballot was recorded"."""
    q = Q(pk__in=[])
    if household_ids := [h for h in household_ids if h]:
        q |= Q(resident__household_id__in=household_ids)
    if building_ids := [b for b in building_ids if b]:
        q |= Q(resident__building_id__in=building_ids)
    return list(
        User.objects.filter(q, role=Role.RESIDENT, is_active=True, resident__status="active")
        .select_related("resident")
        .order_by("pk")
    )
