"""Deny-by-default scoping: the one place that decides which rows a user may see.

Every model that holds area-bound data uses a ScopedQuerySet subclass and declares
`scope_paths`: for each area level a user can be assigned to, the lookup that leads
from the model to that level's id. A user sees the rows under any node they are
assigned to; an unassigned user sees nothing; a role without the permission sees nothing.
Views call `restrict(user, action)` and nothing else to select rows.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

LEVELS = ("street", "community", "grid", "building")


class ScopedQuerySet(models.QuerySet):
    #: permission subject, e.g. "resident" for "resident.view"
    perm_subject: str = ""
    #: level -> lookup (or tuple of lookups, OR-ed) of that level's id from this model, e.g. {"grid": "grid_id"}
    scope_paths: dict[str, str | tuple[str, ...]] = {}

    #: True when a scope path crosses a to-many relation (street → its communities), which would repeat rows.
    scope_joins_many: bool = False

    def restrict(self, user, action: str = "view"):
        """Rows of this queryset that `user` may `action`; none when the role lacks it."""
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_role_perm(f"{self.perm_subject}.{action}"):
            own = self.restrict_self(user, action)
            return own if own is not None else self.none()
        return restrict_to(self, user, self.scope_paths, distinct=self.scope_joins_many)

    def restrict_self(self, user, action):
        """Hook for rows a user may see as themselves (a resident's own record)."""
        return None

    def holds(self, user, obj, action: str = "view") -> bool:
        """True when restrict(user, action) is known to include `obj`, decided in memory from the ids it carries
        (scope_paths followed attribute by attribute: "community__street_id" reads obj.community.street_id, so the
        relations on the way should be loaded). False means "not known here": ask the database with restrict().
        Only for querysets that keep this class's restrict() without rows of one's own or to-many paths."""
        cls = type(self)
        if cls.restrict is not ScopedQuerySet.restrict or cls.restrict_self is not ScopedQuerySet.restrict_self:
            return False
        if self.scope_joins_many or user is None or not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        if not user.has_role_perm(f"{self.perm_subject}.{action}"):
            return False
        for level, node_id in user.assigned_nodes():
            lookups = self.scope_paths.get(level)
            for lookup in () if lookups is None else (lookups,) if isinstance(lookups, str) else lookups:
                value = obj
                for part in lookup.split("__"):
                    value = getattr(value, part, None)
                if value == node_id:
                    return True
        return False


class VisibleQuerySet(ScopedQuerySet):
    """For rows whose readers are more than an area's roles (a claimer, a case's mediators): restrict() returns the
    rows matching `visible_q(user, action)`; inactive users see nothing, superusers everything. With
    `visible_distinct`, visible_q crosses a to-many relation and rows come back once (a pk subquery)."""

    visible_distinct: bool = False

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        q = self.visible_q(user, action)
        if q is None:
            return self.none()
        if self.visible_distinct:
            return self.filter(pk__in=self.model._base_manager.filter(q).values("pk"))
        return self.filter(q)

    def visible_q(self, user, action: str) -> Q | None:  # pragma: no cover - each subclass says who sees what
        raise NotImplementedError

    def perm_area_q(self, user, perm: str) -> Q | None:
        """The user's area scope where their role holds `perm`, as a pk subquery (paths through a community's grids
        would repeat rows); None without the permission or an assignment."""
        if not user.has_role_perm(perm):
            return None
        q = scope_q(user, self.scope_paths)
        if q is None:
            return None
        return Q(pk__in=self.model._base_manager.filter(q).values("pk"))


def either(a: Q | None, b: Q | None) -> Q | None:
    """a | b where None means "no rows from this side"."""
    return b if a is None else (a if b is None else a | b)


def denormalised_scope(prefix: str = "") -> dict[str, str]:
    """scope_paths for rows that carry (or reach through `prefix`) street/community/grid/building ids."""
    return {level: f"{prefix}{level}_id" for level in LEVELS}


def scope_q(user, paths: dict[str, str | tuple[str, ...]]) -> Q | None:
    """OR of the user's assignments, translated through `paths`; None when nothing matches."""
    q = None
    for level, node_id in user.assigned_nodes():
        lookups = paths.get(level)
        if lookups is None:
            continue
        for lookup in (lookups,) if isinstance(lookups, str) else lookups:
            part = Q(**{lookup: node_id})
            q = part if q is None else q | part
    return q


def restrict_to(queryset, user, paths, *, distinct: bool = False):
    """Rows of `queryset` under the user's assigned nodes through `paths` (no permission check: callers do it).

    With `distinct`, rows reached through a to-many path are returned once (as a pk subquery, so the result
    can still be ordered, sliced and counted freely).
    """
    q = scope_q(user, paths)
    if q is None:
        return queryset.none()
    if distinct:
        return queryset.filter(pk__in=queryset.model._base_manager.filter(q).values("pk"))
    return queryset.filter(q)


def require_perm(user, perm: str) -> None:
    """403 for an action the role lacks (scope misses are 404s, decided by restrict)."""
    if not (user.is_authenticated and (user.is_superuser or user.has_role_perm(perm))):
        raise PermissionDenied("您的角色没有这项权限。")
