"""Scope of the screens: a community's screens are its staff's and the street office's; a street's screen only the
street office's (a screen of the street has no community). Grid workers take no part."""

from __future__ import annotations

from linli.core.querysets import ScopedQuerySet


class ScreenQuerySet(ScopedQuerySet):
    perm_subject = "screen"
    scope_paths = {"street": "street_id", "community": "community_id"}

    def live(self):
        return self.filter(is_active=True)


class WallHiddenQuerySet(ScopedQuerySet):
    perm_subject = "screen"
    scope_paths = {"street": "community__street_id", "community": "community_id"}
