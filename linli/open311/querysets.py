"""Who sees and manages which Open311 keys: street admins and secretaries, within their area."""

from __future__ import annotations

from linli.core.querysets import ScopedQuerySet, restrict_to

#: Issuing a key for outside systems is a supervisor's job; street admins and secretaries hold this.
KEY_PERM = "appeal.supervise"


class ApiKeyQuerySet(ScopedQuerySet):
    perm_subject = "open311"
    # A street admin sees the street's own keys and its communities' keys; a secretary those of the community.
    # Keys bound to nothing (made on the command line) are for superusers only.
    scope_paths = {"street": ("street_id", "community__street_id"), "community": "community_id"}

    def restrict(self, user, action: str = "view"):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        if not user.has_role_perm(KEY_PERM):
            return self.none()
        return restrict_to(self, user, self.scope_paths)

    def usable(self):
        return self.filter(revoked=False)
