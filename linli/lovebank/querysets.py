"""Scope of the love bank: community rows, seen by the community's staff and the street above it.

A resident account (lovebank.view_self) sees its own account and what hangs off it, nothing else.
"""

from linli.areas.scope import COMMUNITY_SCOPE, community_scope
from linli.core.querysets import ScopedQuerySet


class LovebankQuerySet(ScopedQuerySet):
    perm_subject = "lovebank"
    scope_paths = COMMUNITY_SCOPE
    #: lookup from this model to the account's resident, for a resident's own rows (None: none of theirs)
    self_path: str | None = None

    def restrict_self(self, user, action):
        if self.self_path and action == "view" and user.has_role_perm("lovebank.view_self") and user.resident_id:
            return self.filter(**{self.self_path: user.resident_id})
        return None


class AccountQuerySet(LovebankQuerySet):
    self_path = "resident_id"

    def holders(self):
        return self.exclude(kind="system")

    def search(self, text: str):
        """Name (or its start), 11-digit phone or the last 4 digits of it, for the counter."""
        from django.db.models import Q

        text = (text or "").strip()
        if not text:
            return self
        if text.isdigit() and len(text) == 4:
            return self.filter(Q(resident__phone_last4=text) | Q(holder_phone__endswith=text))
        if text.isdigit():
            return self.filter(Q(resident__phone=text) | Q(holder_phone=text))
        return self.filter(Q(resident__name__startswith=text) | Q(holder_name__startswith=text))


class EntryQuerySet(LovebankQuerySet):
    scope_paths = community_scope("account__")
    self_path = "account__resident_id"


class TransactionQuerySet(LovebankQuerySet):
    pass


class ItemQuerySet(LovebankQuerySet):
    def restrict_self(self, user, action):
        # A resident may read the catalogue of their own community (what their points buy).
        if action == "view" and user.has_role_perm("lovebank.view_self") and user.resident_id:
            return self.filter(community__in=_own_community(user), is_active=True)
        return None


class RedemptionQuerySet(LovebankQuerySet):
    self_path = "account__resident_id"


class DeedQuerySet(LovebankQuerySet):
    def restrict_self(self, user, action):
        # A resident sees the deeds they reported and those credited to them.
        if action == "view" and user.has_role_perm("lovebank.view_self") and user.resident_id:
            from django.db.models import Q

            return self.filter(Q(reported_by=user) | Q(account__resident_id=user.resident_id))
        return None


class RuleQuerySet(LovebankQuerySet):
    pass


def _own_community(user):
    from linli.residents.models import Resident

    return Resident.objects.filter(pk=user.resident_id).values("community_id")
