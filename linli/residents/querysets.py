from linli.core.querysets import ScopedQuerySet, denormalised_scope


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


class TagQuerySet(ScopedQuerySet):
    """Tags are a street-wide vocabulary: anyone who may see residents may see tags."""

    perm_subject = "resident"

    def restrict(self, user, action="view"):
        if user.is_authenticated and (user.is_superuser or user.has_role_perm(f"resident.{action}")):
            return self
        return self.none()

    def visible_to(self, user):
        """Sensitive tags are listed only to roles allowed to see them."""
        if user.has_role_perm("resident.view_sensitive"):
            return self
        return self.filter(sensitive=False)
