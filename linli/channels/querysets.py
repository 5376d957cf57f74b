"""Who sees sending rules, groups and batches: the community's staff and the street above (channel.view); a grid
worker sees the groups of their community too, to know where a notice went."""

from __future__ import annotations

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet


class ChannelSettingsQuerySet(ScopedQuerySet):
    perm_subject = "channel"
    scope_paths = community_scope()


class WechatGroupQuerySet(ScopedQuerySet):
    perm_subject = "channel"
    scope_paths = community_scope(grids=True, own_street=True)
    scope_joins_many = True


class DispatchQuerySet(ScopedQuerySet):
    perm_subject = "channel"
    scope_paths = community_scope(grids=True, own_street=True)
    scope_joins_many = True
