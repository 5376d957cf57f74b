"""Who may open the party pages at all (before restrict() picks the rows): party-work roles holding the
permission, and the secretaries of party organisations (whatever their role) for reading and recording their own
organisation's life."""

from __future__ import annotations

from linli.party.querysets import is_secretary

#: What a secretary without a party-work role may do on their own organisation's rows.
SECRETARY_PERMS = frozenset({"party.view", "party.record"})


def may_use(user, perm: str = "party.view") -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser or user.has_role_perm("party.manage" if perm == "party.record" else perm):
        return True
    return perm in SECRETARY_PERMS and is_secretary(user)
