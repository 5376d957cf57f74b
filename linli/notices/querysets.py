"""Who sees which notices. Staff and grid workers see their community's notices (a notice is the community's
business; what a grid worker may *send* to is narrowed by the audience check); the households a notice reaches are
scoped like the registry (a grid worker sees their grid's rows). A resident reads the sent notices that reached their
household (restrict_self)."""

from __future__ import annotations

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet, denormalised_scope
from linli.notices.choices import NoticeStatus


class NoticeQuerySet(ScopedQuerySet):
    perm_subject = "notice"
    scope_paths = community_scope(grids=True, own_street=True)
    scope_joins_many = True

    def restrict_self(self, user, action):
        if action == "view" and user.has_role_perm("notice.read_self") and user.resident_id:
            from linli.notices.models import NoticeHousehold
            from linli.residents.models import Resident

            household = Resident.objects.filter(pk=user.resident_id).values("household_id")
            reached = NoticeHousehold.objects.filter(household_id__in=household).values("notice_id")
            return self.filter(status=NoticeStatus.SENT, pk__in=reached)
        return None

    def sent(self):
        return self.filter(status=NoticeStatus.SENT)

    def public(self, community):
        """What the community's public notice page lists: sent, public, not withdrawn."""
        return self.filter(community=community, status=NoticeStatus.SENT, is_public=True).order_by("-sent_at", "-id")


class NoticeHouseholdQuerySet(ScopedQuerySet):
    perm_subject = "notice"
    scope_paths = denormalised_scope()


class SavedAudienceQuerySet(ScopedQuerySet):
    perm_subject = "notice"
    scope_paths = community_scope(grids=True, own_street=True)
    scope_joins_many = True
