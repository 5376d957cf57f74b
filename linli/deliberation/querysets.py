"""Who sees which matters: everyone who may view matters, over the communities under their assigned nodes
(a grid worker sees the whole community's matters: a matter is the community's business). A resident sees
the matters they raised (restrict_self)."""

from __future__ import annotations

from linli.core.querysets import ScopedQuerySet

#: From a row with community/street ids to each assignable level.
COMMUNITY_ROW_PATHS = {
    "street": "street_id",
    "community": "community_id",
    "grid": "community__grids__id",
    "building": "community__buildings__id",
}


class MatterQuerySet(ScopedQuerySet):
    perm_subject = "matter"
    scope_paths = COMMUNITY_ROW_PATHS
    scope_joins_many = True

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("matter.propose"):
            return self.filter(raised_by_user=user)
        return None
