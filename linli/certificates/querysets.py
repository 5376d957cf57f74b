"""Who sees which certificates and templates.

Certificates hold a resident's registry data: community staff and managers (certificate.view) read those of their
community, the street office those of its communities; grid workers and residents see none. A template is the
community's own or the street's default (no community): a community reads both, and keeps (certificate.manage)
only its own; the street keeps its defaults and every template of its communities.
"""

from __future__ import annotations

from django.db.models import Q

from linli.areas.scope import community_scope
from linli.core.querysets import ScopedQuerySet, VisibleQuerySet

#: Certificates carry street_id and community_id (denormalised from the resident when issued).
CERTIFICATE_SCOPE = community_scope(own_street=True)


class CertificateQuerySet(ScopedQuerySet):
    perm_subject = "certificate"
    scope_paths = CERTIFICATE_SCOPE


class CertificateTemplateQuerySet(VisibleQuerySet):
    perm_subject = "certificate"
    #: a street-wide default reaches a community user through its street's communities (one row per template)
    visible_distinct = True

    def visible_q(self, user, action: str):
        if not user.has_role_perm(f"certificate.{action}"):
            return None
        q = None
        for level, node_id in user.assigned_nodes():
            if level == "street":
                part = Q(street_id=node_id)
            elif level == "community":
                part = Q(community_id=node_id)
                if action != "manage":  # a community reads its street's defaults, only the street changes them
                    part |= Q(community__isnull=True, street__communities__id=node_id)
            else:
                continue
            q = part if q is None else q | part
        return q

    def active(self):
        return self.filter(is_active=True)

    def for_community(self, community):
        """The templates a certificate of `community` may be issued from: its own and its street's defaults."""
        return self.filter(Q(community=community) | Q(community__isnull=True, street_id=community.street_id))
