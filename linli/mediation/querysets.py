"""Who sees which mediation rows (人民调解法: mediation respects the parties' privacy).

Case details (the account, the parties, sessions, the agreement) are read by:
- users whose role holds mediation.supervise (the community secretary, the street's mediation committee) over
  the communities under their assigned nodes;
- the case's mediators, through the user account linked to their Mediator record (a volunteer or resident
  account without any area role may be one).

A user who referred a case (a grid worker, mediation.refer) or logged it at the 顺顺吧 (mediation.receive) sees
that the case exists, its number, type and status (action "limited"), nothing more. Everyone else with
mediation.view sees anonymous counts only (action "count": the figures page, never a row on a page).
"""

from __future__ import annotations

from django.db.models import Q

from linli.areas.scope import community_scope
from linli.core import pagecache
from linli.core.querysets import ScopedQuerySet, VisibleQuerySet, either

#: Rows of one community (with its street id denormalised), seen by every node in or above the community.
COMMUNITY_ROW_PATHS = community_scope(grids=True, own_street=True)


class _CommunityRowQuerySet(ScopedQuerySet):
    """Rows of a community; the user's area scope for mediation.<action>."""

    perm_subject = "mediation"
    scope_paths = COMMUNITY_ROW_PATHS
    scope_joins_many = True


class CaseQuerySet(VisibleQuerySet):
    """Actions: "view" and "manage" (details, sessions, outcome), "limited" (number, type, status), "count"."""

    perm_subject = "mediation"
    scope_paths = COMMUNITY_ROW_PATHS
    scope_joins_many = True
    # The mediators path crosses a to-many relation: a pk subquery keeps each case once.
    visible_distinct = True

    def visible_q(self, user, action: str) -> Q | None:
        if action == "count":
            return self.perm_area_q(user, "mediation.view")
        q = either(self.perm_area_q(user, "mediation.supervise"), Q(mediators__user=user, mediators__is_active=True))
        if action == "limited":
            if user.has_role_perm("mediation.refer"):
                q = either(q, Q(referred_by=user))
            if user.has_role_perm("mediation.receive"):
                q = either(q, Q(received_by=user))
        return q

    def public_board(self, community, year: int):
        """A community's cases of `year` for its public board (公示栏, no login): only ever counted (figures.py)."""
        return self.filter(community=community, received_on__year=year)


class CasePartQuerySet(ScopedQuerySet):
    """Parties, sessions, agreements and follow-ups: visible with their case's details."""

    perm_subject = "mediation"
    case_path = "case"

    def restrict(self, user, action: str = "view"):
        from linli.mediation.models import Case

        return self.filter(**{f"{self.case_path}__in": Case.objects.restrict(user, action)})


class FollowUpQuerySet(CasePartQuerySet):
    case_path = "agreement__case"

    def due(self, today):
        return self.filter(done_on__isnull=True, due_on__lte=today)


class MediatorQuerySet(_CommunityRowQuerySet):
    """Mediators and rooms: everyone with mediation.view over their area reads them (they are public service
    people); only mediation.supervise changes them (restrict(user, "supervise"))."""


class ReceptionQuerySet(_CommunityRowQuerySet):
    """The 顺顺吧 log: the staff who receive visitors (mediation.receive) over their area."""

    def restrict(self, user, action: str = "receive"):
        return super().restrict(user, action)

    def public_board(self, community, year: int):
        """A community's 顺顺吧 visits of `year` for its public board: only ever counted."""
        return self.filter(community=community, received_on__year=year)


#: The pagecache group of the mediators (Mediator), bumped by every save or delete of one (linli.mediation.models):
#: whether a user is a mediator is cached per user (services.is_mediator).
MEDIATORS_GROUP = "mediators"
pagecache.eager(MEDIATORS_GROUP)  # the menu reads it on every page
