"""Who sees which work reports: a community's report its community's staff and secretary and the street office
above it; a street's report the street office only. Writing (and finalising) a report is for its own node's office:
the street writes the street's report and reads its communities', a community writes its own."""

from __future__ import annotations

from django.db.models import Q

from linli.core.querysets import ScopedQuerySet

READ_PATHS = {"street": "street_id", "community": "community_id"}


class WorkReportQuerySet(ScopedQuerySet):
    perm_subject = "workreport"
    scope_paths = READ_PATHS

    def restrict(self, user, action: str = "view"):
        rows = super().restrict(user, action)
        if action == "view" or user is None or not user.is_authenticated or user.is_superuser:
            return rows
        return rows.filter(own_node_q(user))

    def drafts(self):
        from linli.workreports.choices import ReportStatus

        return self.filter(status=ReportStatus.DRAFT)


def own_node_q(user) -> Q:
    """The reports of the nodes the user is assigned to themselves: their street's (street level) or their
    community's (community level), not the communities below a street."""
    from linli.workreports.choices import ReportLevel

    q = Q(pk__in=[])
    for level, node_id in user.assigned_nodes():
        if level == "street":
            q |= Q(level=ReportLevel.STREET, street_id=node_id)
        elif level == "community":
            q |= Q(level=ReportLevel.COMMUNITY, community_id=node_id)
    return q
