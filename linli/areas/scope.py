"""Which area nodes reach a row, and which areas a permission reaches: the lookups every app's scope is made of.

A ScopedQuerySet (linli.core.querysets) maps each level a user can be assigned to (street, community, grid,
building) to the lookup from its model to that level's id. Most rows of the feature apps belong to one
community; `community_scope()` writes their map once, instead of each app copying the same dict.

Pages that offer a choice of communities or streets (where may I register a wish, set up a handling unit, issue
an Open311 key) ask `communities_for` / `streets_for`: the areas under the user's nodes where their role holds
the permission.

Nothing here imports a model at module level: querysets modules import this one while models are loading.
"""

from __future__ import annotations

from linli.core.querysets import require_perm, restrict_to


def community_scope(prefix: str = "", *, grids: bool = False, own_street: bool = False) -> dict[str, str]:
    """scope_paths for rows that belong to one community, reached through `prefix` ("account__" from an entry to
    its account's community). The street office and the community see them; with `grids`, so does every grid or
    building assignment inside the community (the queryset then needs scope_joins_many or distinct rows). With
    `own_street`, the row carries its community's street id itself (denormalised: one indexed lookup, no join)."""
    street = f"{prefix}street_id" if own_street else f"{prefix}community__street_id"
    paths = {"street": street, "community": f"{prefix}community_id"}
    if grids:
        paths |= {"grid": f"{prefix}community__grids__id", "building": f"{prefix}community__buildings__id"}
    return paths


#: A community's own rows, seen by its street office and the community (grid workers do not take part).
COMMUNITY_SCOPE = community_scope()

#: From a Community to each assignable level: every community a user's node lies in or above.
COMMUNITY_PATHS = {"street": "street_id", "community": "id", "grid": "grids__id", "building": "buildings__id"}
#: From a Community to the street and community levels only: the communities a user manages (not works in).
MANAGED_COMMUNITY_PATHS = {"street": "street_id", "community": "id"}
#: From a Grid to each assignable level (a building assignment reaches its building's grid: a to-many join).
GRID_PATHS = {"street": "community__street_id", "community": "community_id", "grid": "id", "building": "buildings__id"}
#: From a Building to each assignable level.
BUILDING_PATHS = {"street": "community__street_id", "community": "community_id", "grid": "grid_id", "building": "id"}
#: From a Street to each assignable level.
STREET_PATHS = {
    "street": "id",
    "community": "communities__id",
    "grid": "communities__grids__id",
    "building": "communities__buildings__id",
}


def areas_for(queryset, user, perm: str, paths):
    """Communities or streets (per `paths`) under the user's nodes where their role holds `perm`; none
    without it, all for a superuser."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    if not user.has_role_perm(perm):
        return queryset.none()
    return restrict_to(queryset, user, paths, distinct=True)


def require_community(actor, perm: str, community_id: int) -> None:
    """A service's check before it writes a community's row: the actor's role holds `perm` (403) and they work in
    the community (404). A command or the system (no user) may."""
    from django.http import Http404

    user = actor.user
    if user is None:
        return
    require_perm(user, perm)
    if not communities_for(user, perm).filter(pk=community_id).exists():
        raise Http404("不在您的管辖范围内。")


def communities_for(user, perm: str, queryset=None):
    """Communities a user works in (any node in or above them) where their role holds `perm`."""
    from linli.areas.models import Community

    return areas_for(Community.objects.all() if queryset is None else queryset, user, perm, COMMUNITY_PATHS)


def managed_communities(user, perm: str | None = None):
    """Communities under the user's street or community assignments (grid and building assignments do not
    manage a community); with `perm`, only when their role holds it. All for a superuser."""
    from linli.areas.models import Community

    communities = Community.objects.all()
    if perm is not None:
        return areas_for(communities, user, perm, MANAGED_COMMUNITY_PATHS)
    if user is None or not user.is_authenticated or not user.is_active:
        return communities.none()
    return communities if user.is_superuser else restrict_to(communities, user, MANAGED_COMMUNITY_PATHS)


def streets_for(user, perm: str):
    """Streets a user works in (any node in or below them) where their role holds `perm`."""
    from linli.areas.models import Street

    return areas_for(Street.objects.all(), user, perm, STREET_PATHS)
