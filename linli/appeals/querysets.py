"""Who sees which appeals.

Area roles see the appeals located in their area (denormalised street/community/grid ids).
Handlers (部门承办人, property company staff, ...) see the appeals assigned to, or assisted by,
an organisation they handle for — across every community it serves — whatever their area.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from linli.areas.scope import COMMUNITY_SCOPE
from linli.core import pagecache
from linli.core.querysets import ScopedQuerySet, denormalised_scope, scope_q

#: The pagecache group of the handler memberships (Organisation.handlers), bumped by every change of them.
HANDLERS_GROUP = "appeal_handlers"
pagecache.eager(HANDLERS_GROUP)  # the menu reads it on every page


def handler_org_ids(user) -> list[int]:
    """Organisations `user` handles appeals for: kept on the user object for the request, and in the shared cache
    until a membership changes (linli.core.pagecache.for_user; the signals in linli.appeals.models)."""
    cached = getattr(user, "_handler_org_ids", None)
    if cached is None:
        if user.is_authenticated and user.pk is not None:
            cached = pagecache.for_user(
                "handler_orgs", user, (HANDLERS_GROUP,), lambda: list(user.handled_orgs.values_list("pk", flat=True))
            )
        else:
            cached = []
        user._handler_org_ids = cached
    return cached


def in_user_area(user, appeal, action: str = "view") -> bool:
    """Whether `appeal` (its denormalised street/community/grid/building ids) lies under one of the user's assigned
    nodes and the role may `action` appeals there: restrict()'s area part decided in memory, for an appeal just
    written. False does not mean hidden: a handler's organisations are only known to restrict()."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.has_role_perm(f"appeal.{action}"):
        return False
    paths = AppealQuerySet.scope_paths
    return any(level in paths and getattr(appeal, paths[level]) == node for level, node in user.assigned_nodes())


class AppealQuerySet(ScopedQuerySet):
    perm_subject = "appeal"
    scope_paths = denormalised_scope()

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        q = None
        if user.has_role_perm(f"appeal.{action}"):
            q = scope_q(user, self.scope_paths)
        if action in ("view", "handle"):
            orgs = handler_org_ids(user)
            if orgs:
                from linli.appeals.models import AppealAssist

                mine = Q(assigned_org_id__in=orgs) | Q(
                    pk__in=AppealAssist.objects.filter(org_id__in=orgs).values("appeal_id")
                )
                q = mine if q is None else q | mine
        return self.none() if q is None else self.filter(q)

    def open(self):
        from linli.appeals.choices import OPEN

        return self.filter(status__in=OPEN)

    def overdue(self, now):
        return self.filter(current_due__lt=now)


class AppealEventQuerySet(models.QuerySet):
    """Timeline steps are seen with their appeal: photos attached to a step (办结照片) are served to whoever may
    see the appeal (linli.attachments.views.visible_owner calls restrict)."""

    def restrict(self, user, action: str = "view"):
        from linli.appeals.models import Appeal

        return self.filter(appeal__in=Appeal.objects.restrict(user, action).values("pk"))


class DirectoryQuerySet(ScopedQuerySet):
    """Handling units and categories: one directory, readable by every staff role, edited by street admins."""

    perm_subject = "unit"

    def restrict(self, user, action: str = "view"):
        return self if sees_directory(user, action) else self.none()


def sees_directory(user, action: str = "view") -> bool:
    """Whether the user may `action` the directory (units and categories): all of it or none of it."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or user.has_role_perm(f"unit.{action}")


class OrganisationQuerySet(ScopedQuerySet):
    """Organisations are registered in a street; its street office and its communities' staff see them."""

    perm_subject = "unit"
    scope_paths = {
        "street": "street_id",
        "community": "street__communities__id",
        "grid": "street__communities__grids__id",
        "building": "street__communities__buildings__id",
    }
    scope_joins_many = True


class UnitBindingQuerySet(ScopedQuerySet):
    perm_subject = "unit"
    scope_paths = COMMUNITY_SCOPE


class ProblemListQuerySet(ScopedQuerySet):
    """A community's lists are read by everyone working in it, grid workers included."""

    perm_subject = "problem"
    scope_paths = {
        "street": "street_id",
        "community": "community_id",
        "grid": "community__grids__id",
        "building": "community__buildings__id",
    }
    scope_joins_many = True
