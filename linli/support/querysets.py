"""Who reads which rows of 帮扶与共建.

- The directory (Organisation, Contribution): directory.view over the communities under the user's nodes (a grid
  worker reads their community's directory: the units are public by nature, their contact phones masked unless
  resident.reveal_phone); directory.manage keeps it.
- Pairings (HelpPairing) and assistance (Assistance) belong to a household: support.view / support.add over the
  user's area down to the household's grid and building (grid workers: households of their grid); support.export
  for the Excel files. A helper's own account (a volunteer's, Volunteer.user) reads and records contacts on its own
  pairings whatever its role (VisibleQuerySet).
"""

from __future__ import annotations

from django.db.models import Q

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet, VisibleQuerySet, either

#: The directory: a community's rows, read from any node in or above the community.
DIRECTORY_SCOPE = community_scope(grids=True, own_street=True)
#: Household-bound rows carrying street and community ids, down to the household's grid and building.
HOUSEHOLD_SCOPE = community_scope(own_street=True) | {
    "grid": "household__building__grid_id",
    "building": "household__building_id",
}
#: Actions of HelpPairing and the permission behind each over a user's area.
PAIRING_PERMS = {"view": "support.view", "add": "support.add", "record": "support.add", "manage": "support.manage"}


class OrganisationQuerySet(ScopedQuerySet):
    perm_subject = "directory"
    scope_paths = DIRECTORY_SCOPE
    scope_joins_many = True

    def active(self):
        return self.filter(is_active=True)


class ContributionQuerySet(ScopedQuerySet):
    def restrict(self, user, action: str = "view"):
        from linli.support.models import Organisation

        return self.filter(organisation__in=Organisation.objects.restrict(user, action))


class HelpPairingQuerySet(VisibleQuerySet):
    """Field roles over their area; the helper volunteer's own account over its pairings ("view", "record": add a
    contact)."""

    scope_paths = HOUSEHOLD_SCOPE

    def visible_q(self, user, action):
        perm = PAIRING_PERMS.get(action)
        q = self.perm_area_q(user, perm) if perm else None
        if action in ("view", "record"):
            q = either(q, Q(volunteer__user=user, volunteer__isnull=False))
        return q

    def live(self):
        return self.filter(ended_on__isnull=True)


class AssistanceQuerySet(ScopedQuerySet):
    perm_subject = "support"
    scope_paths = HOUSEHOLD_SCOPE
