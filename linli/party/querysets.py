"""Who reads which party rows. Party membership is personal data (PIPL art. 28: political views):

- party-work roles (the street's party office and the community secretary: `party.view`, `party.manage`,
  `party.export` in linli.accounts.roles) over the communities under their assigned nodes;
- a party organisation's secretary (PartyOrg.secretary: a branch secretary is often a grid worker) over the
  organisation and the ones below it (its 党小组), whatever their role: `secretary_orgs(user)`;
- a member over their own record (PartyMember.user).

Other staff read no roster. What is public by nature is shown more widely: a 党员中心户 and the households it looks
after (a plaque on the door) and a household's 结对帮扶 with its contact notes are read by whoever reads the
household (household.view over its building), on the building diagram and the household page.

Actions: "view"; "record" (三会一课, 民主评议, pairings and their contacts: party.manage or the organisation's
secretary); "manage" (the structure, the roster, confirmations: party.manage); "export" (party.export).
"""

from __future__ import annotations

from django.db.models import Q

from linli.areas.scope import community_scope
from linli.core import pagecache
from linli.core.querysets import ScopedQuerySet, VisibleQuerySet, either, scope_q

#: Rows of one community carrying their street id: the street office and the community see them.
PARTY_PATHS = community_scope(own_street=True)
#: Household-bound rows (中心户, pairings) for readers of the household: down to its grid and building.
HOUSEHOLD_PATHS = PARTY_PATHS | {"grid": "household__building__grid_id", "building": "household__building_id"}

#: The permission behind each action over a user's area.
ACTION_PERMS = {"view": "party.view", "record": "party.manage", "manage": "party.manage", "export": "party.export"}


def secretary_orgs(user):
    """Ids of the organisations `user` is secretary of, and those below them (two levels: a community organisation's
    secretary reaches its grid branches and their 党小组), as a subquery."""
    from linli.party.models import PartyOrg

    return (
        PartyOrg.objects.filter(
            Q(secretary=user) | Q(parent__secretary=user) | Q(parent__parent__secretary=user), is_active=True
        )
        .order_by()
        .values("pk")
    )


#: The pagecache group of the organisations' secretaries (PartyOrg), bumped by every save or delete of one.
SECRETARIES_GROUP = "party_secretaries"
pagecache.eager(SECRETARIES_GROUP)  # the menu reads it on every page


def is_secretary(user) -> bool:
    """Whether `user` is the secretary of any active party organisation (menus, home blocks: every page). Kept on the
    user object for the request, and in the shared cache until an organisation is saved or deleted
    (linli.core.pagecache.for_user; the signals in linli.party.models)."""
    from linli.party.models import PartyOrg

    if not user.is_authenticated:
        return False
    cached = user.__dict__.get("_party_secretary")
    if cached is None:
        cached = user.__dict__["_party_secretary"] = pagecache.for_user(
            "party_secretary",
            user,
            (SECRETARIES_GROUP,),
            lambda: PartyOrg.objects.filter(secretary=user, is_active=True).exists(),
        )
    return cached


class _PartyQuerySet(VisibleQuerySet):
    perm_subject = "party"
    scope_paths = PARTY_PATHS

    def area_q(self, user, action: str) -> Q | None:
        perm = ACTION_PERMS.get(action)
        return self.perm_area_q(user, perm) if perm else None

    def scope_q_for(self, user, perm: str, paths) -> Q | None:
        """The user's area scope through other `paths` where their role holds `perm` (as a pk subquery)."""
        if not user.has_role_perm(perm):
            return None
        q = scope_q(user, paths)
        return None if q is None else Q(pk__in=self.model._base_manager.filter(q).values("pk"))


class PartyOrgQuerySet(_PartyQuerySet):
    def visible_q(self, user, action):
        q = self.area_q(user, action)
        if action in ("view", "record"):
            q = either(q, Q(pk__in=secretary_orgs(user)))
        return q

    def branches(self):
        from linli.party.choices import BRANCH_KINDS

        return self.filter(kind__in=BRANCH_KINDS, is_active=True)


class PartnerUnitQuerySet(ScopedQuerySet):
    """大党委成员单位 and 双报到 units: party-work roles over their area."""

    perm_subject = "party"
    scope_paths = PARTY_PATHS


class PartyMemberQuerySet(_PartyQuerySet):
    def visible_q(self, user, action):
        q = self.area_q(user, action)
        if action in ("view", "record"):
            orgs = secretary_orgs(user)
            q = either(q, Q(branch__in=orgs) | Q(group__in=orgs))
        if action == "view":
            q = either(q, Q(user=user))
        return q

    def active(self):
        return self.filter(is_active=True, review="confirmed")


class PartyHouseholdQuerySet(_PartyQuerySet):
    """党员中心户: shown on the building diagram to whoever reads the building's households."""

    def visible_q(self, user, action):
        q = self.area_q(user, action)
        if action == "view":
            q = either(q, self.scope_q_for(user, "household.view", HOUSEHOLD_PATHS))
        return q


class PairingQuerySet(_PartyQuerySet):
    """结对帮扶: read on the household page by its readers; kept (contacts added) by party-work roles, the member's
    branch secretary and the paired member themselves; set up and ended by party-work roles and the secretary."""

    def visible_q(self, user, action):
        # "kept": the pairings a user keeps or oversees (the pairing pages), i.e. "view" without the household
        # readers, who see a household's pairings on the household page only.
        q = self.area_q(user, "view" if action == "kept" else action)
        if action in ("view", "record", "manage", "kept"):
            orgs = secretary_orgs(user)
            q = either(q, Q(member__branch__in=orgs) | Q(member__group__in=orgs))
        if action in ("view", "record", "kept"):
            q = either(q, Q(member__user=user))
        if action == "view":
            q = either(q, self.scope_q_for(user, "household.view", HOUSEHOLD_PATHS))
        return q


class PairingContactQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        from linli.party.models import Pairing

        return self.filter(pairing__in=Pairing.objects.restrict(user, action))


class PartyMeetingQuerySet(_PartyQuerySet):
    """三会一课: the organisation's secretary and party-work roles."""

    def visible_q(self, user, action):
        q = self.area_q(user, action)
        if action in ("view", "record"):
            q = either(q, Q(org__in=secretary_orgs(user)))
        return q


class AppraisalQuerySet(PartyMeetingQuerySet):
    """民主评议: like meetings."""


class MemberImportJobQuerySet(ScopedQuerySet):
    perm_subject = "party"
    scope_paths = community_scope()
