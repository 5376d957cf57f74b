"""Who sees which campaigns: the community's staff and the street above, and grid workers (a campaign is the
community's business; its targets are scoped like the registry, so a grid worker sees their grid's targets)."""

from __future__ import annotations

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet, denormalised_scope


class CampaignQuerySet(ScopedQuerySet):
    perm_subject = "campaign"
    scope_paths = community_scope(grids=True, own_street=True)
    scope_joins_many = True


class CampaignTargetQuerySet(ScopedQuerySet):
    perm_subject = "campaign"
    scope_paths = denormalised_scope()

    def open(self):
        return self.filter(done=False)


class CampaignImportJobQuerySet(ScopedQuerySet):
    perm_subject = "campaign"
    scope_paths = community_scope("campaign__", own_street=True)
