"""Who sees which votes, eligible households and ballots.

A vote is the community's business: every role with vote.view sees the votes of the communities under their
assigned nodes (a grid worker too, as for matters). A resident (vote.cast_self) sees the votes their own
household is eligible in. Eligible households are scoped down to their building (a grid worker takes ballots at
the door only in their grid). Ballots (who voted how) are readable only with vote.see_ballots and only for a vote
declared non-secret: BallotQuerySet.restrict says so, and the scans attached to ballots follow it
(linli.attachments serves a photo only when its owner passes restrict).
"""

from __future__ import annotations

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet, restrict_to

VOTE_PATHS = community_scope(grids=True, own_street=True)


def _through(prefix: str) -> dict[str, str]:
    return community_scope(prefix, grids=True, own_street=True)


class VoteQuerySet(ScopedQuerySet):
    perm_subject = "vote"
    scope_paths = VOTE_PATHS
    scope_joins_many = True

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("vote.cast_self"):
            household_id = getattr(getattr(user, "resident", None), "household_id", None)
            if household_id is None:
                return self.none()
            return self.filter(eligible__household_id=household_id).exclude(status="draft").distinct()
        return None

    def live(self):
        return self.filter(status="open")


class EligibleHouseholdQuerySet(ScopedQuerySet):
    """The households fixed on a vote's list; scoped by the building they were in when the vote opened."""

    perm_subject = "vote"
    scope_paths = {
        "street": "vote__street_id",
        "community": "vote__community_id",
        "grid": "building__grid_id",
        "building": "building_id",
    }


class BuildingTallyQuerySet(ScopedQuerySet):
    perm_subject = "vote"
    scope_paths = _through("vote__")
    scope_joins_many = True


class BallotQuerySet(ScopedQuerySet):
    """Who voted how: vote.see_ballots over the user's communities, non-secret votes only, whatever the action."""

    perm_subject = "vote"
    scope_paths = _through("vote__")
    scope_joins_many = True

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.filter(vote__secret=False)
        if not user.has_role_perm("vote.see_ballots"):
            return self.none()
        return restrict_to(self.filter(vote__secret=False), user, self.scope_paths, distinct=True)


class BallotChangeQuerySet(BallotQuerySet):
    pass
