"""Who sees the hearings of a matter (meetings, questionnaires, table talks): whoever sees the matter
(matter.view over the matter's community, grid workers of the community included); recording one needs
hearing.add in the same scope (`restrict(user, "add")`).

Door-to-door answers belong to a household, so they are scoped like households: a grid worker reaches the
households of their own grid only (the questionnaire's pages count everyone's answers, anonymously).
"""

from __future__ import annotations

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet

#: From a row on a matter to each assignable level (a matter is its community's business).
MATTER_ROW_PATHS = community_scope("matter__", grids=True)


class HearingQuerySet(ScopedQuerySet):
    perm_subject = "matter"
    scope_paths = MATTER_ROW_PATHS
    scope_joins_many = True
    #: action -> the permission it needs, for actions that are not "<matter>.<action>"
    action_perms = {"add": "hearing.add"}

    def restrict(self, user, action: str = "view"):
        perm = self.action_perms.get(action)
        if perm is None:
            return super().restrict(user, action)
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if not (user.is_superuser or user.has_role_perm(perm)):
            return self.none()
        return super().restrict(user, "view")


class QuestionnaireQuerySet(HearingQuerySet):
    def open(self):
        return self.filter(status="open")


class DoorAnswerQuerySet(ScopedQuerySet):
    perm_subject = "household"
    scope_paths = {
        "street": "household__building__community__street_id",
        "community": "household__building__community_id",
        "grid": "household__building__grid_id",
        "building": "household__building_id",
    }
