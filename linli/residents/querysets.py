from django.db.models import Q

from linli.areas.scope import COMMUNITY_SCOPE, community_scope
from linli.core.querysets import ScopedQuerySet, denormalised_scope, restrict_to

#: From a community tag to the nodes a user can be assigned to (a grid worker sees the tags of their grid's community).
TAG_VIEW_PATHS = community_scope(grids=True)
#: Who keeps a community's tags: its secretary and the street above (grid workers and staff hold no tag.manage).
TAG_MANAGE_PATHS = COMMUNITY_SCOPE


class ResidentQuerySet(ScopedQuerySet):
    perm_subject = "resident"
    scope_paths = denormalised_scope()

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("resident.view_self") and user.resident_id:
            return self.filter(pk=user.resident_id)
        return None

    def active(self):
        return self.filter(status="active")

    def search(self, text: str):
        from linli.residents.search import search_q

        q = search_q(text)
        return self if q is None else self.filter(q)


class EmergencyContactQuerySet(ScopedQuerySet):
    """A resident's emergency contacts are seen and changed with the resident (resident.view / resident.change)."""

    perm_subject = "resident"
    scope_paths = denormalised_scope("resident__")

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("resident.view_self") and user.resident_id:
            return self.filter(resident_id=user.resident_id)
        return None


class FamilyLinkQuerySet(ScopedQuerySet):
    """家人帮忙 links: staff see those of the elders in their scope (with the residents' permissions); a resident sees
    the links they are a side of."""

    perm_subject = "resident"
    scope_paths = denormalised_scope("elder__")

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("resident.view_self") and user.resident_id:
            return self.filter(Q(helper_id=user.resident_id) | Q(elder_id=user.resident_id))
        return None

    def agreed(self):
        return self.filter(status="agreed")


class TagQuerySet(ScopedQuerySet):
    """Global tags (no community) are everyone's vocabulary; a community's own tags belong to its area.

    restrict(user, "view"): the global tags and the tags of the communities in the user's area, for any
    role that may see residents. restrict(user, "manage"): the tags the user may change — those of the
    communities they keep (tag.manage); global tags only for a superuser.
    """

    perm_subject = "resident"

    def restrict(self, user, action="view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if action == "manage":
            if not user.has_role_perm("tag.manage"):
                return self.none()
            return restrict_to(self, user, TAG_MANAGE_PATHS)
        if not user.has_role_perm(f"resident.{action}"):
            return self.none()
        own = restrict_to(self.model._base_manager.all(), user, TAG_VIEW_PATHS).values("pk")
        return self.filter(Q(community__isnull=True) | Q(pk__in=own))

    def for_community(self, community_id):
        """The tags a resident of this community may carry: the global ones and the community's own."""
        return self.filter(Q(community__isnull=True) | Q(community_id=community_id))

    def visible_to(self, user):
        """Sensitive tags are listed only to roles allowed to see them."""
        if user.has_role_perm("resident.view_sensitive"):
            return self
        return self.filter(sensitive=False)


class RevealRecordQuerySet(ScopedQuerySet):
    """Reveals of residents of the user's area, for the roles that read the logs (export.log).

    Scoped through the community kept on the row, so that the log of a deleted resident stays visible.
    """

    perm_subject = "export"
    scope_paths = COMMUNITY_SCOPE
