"""Who sees which matters: everyone who may view matters, over the communities under their assigned nodes
(a grid worker sees the whole community's matters: a matter is the community's business). A resident sees
the matters they raised (restrict_self)."""

from __future__ import annotations

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet

#: Rows of one community (with its street id denormalised), seen by every node in or above the community.
COMMUNITY_ROW_PATHS = community_scope(grids=True, own_street=True)


class MatterQuerySet(ScopedQuerySet):
    perm_subject = "matter"
    scope_paths = COMMUNITY_ROW_PATHS
    scope_joins_many = True

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("matter.propose"):
            return self.filter(raised_by_user=user)
        return None


def _through(prefix: str) -> dict[str, str]:
    return community_scope(prefix, grids=True, own_street=True)


class PublicationQuerySet(ScopedQuerySet):
    """公示 of a matter: seen by whoever sees the matter's community (the public board has its own method)."""

    perm_subject = "matter"
    scope_paths = _through("matter__")
    scope_joins_many = True

    def public(self, community, today):
        """Publications anyone may read by their public address: started, not withdrawn (also once ended)."""
        return self.filter(matter__community=community, withdrawn=False, starts_on__lte=today)

    def public_board(self, community, today):
        """What the community's public board shows: publications not withdrawn, started and not yet ended."""
        return self.filter(
            matter__community=community, withdrawn=False, starts_on__lte=today, ends_on__gte=today
        ).order_by("-starts_on", "-id")


class ObjectionQuerySet(ScopedQuerySet):
    perm_subject = "matter"
    scope_paths = _through("publication__matter__")
    scope_joins_many = True


class FollowUpTaskQuerySet(ScopedQuerySet):
    perm_subject = "matter"
    scope_paths = _through("matter__")
    scope_joins_many = True

    def open(self):
        from linli.deliberation.choices import TaskStatus

        return self.filter(status=TaskStatus.OPEN)
