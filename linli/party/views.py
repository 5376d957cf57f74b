"""党建 home page and the mixin every party page uses (the pages of each part live in views_<part>.py)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView

from linli.core.views import ScopedMixin
from linli.party.access import may_use
from linli.party.models import PartyOrg


class PartyMixin(ScopedMixin):
    """Party pages: party-work roles (permission, default party.view) and organisation secretaries (for
    party.view / party.record); 403 for everyone else, then rows from restrict(user, action) (404 outside)."""

    model = PartyOrg
    permission = "party.view"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_use(request.user, self.permission):
            raise PermissionDenied("您没有党建工作的权限。")
        return super(ScopedMixin, self).dispatch(request, *args, **kwargs)


class PartyHomeView(PartyMixin, TemplateView):
    """党建: the organisations the user may see, as a tree."""

    template_name = "party/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        orgs = list(self.scoped().filter(is_active=True).select_related("community", "grid"))
        children: dict = {}
        for org in orgs:
            children.setdefault(org.parent_id, []).append(org)
        ids = {org.pk for org in orgs}
        roots = [org for org in orgs if org.parent_id not in ids]

        def walk(org, depth):
            yield org, depth
            for child in children.get(org.pk, []):
                yield from walk(child, depth + 1)

        ctx["rows"] = [row for root in roots for row in walk(root, 0)]
        return ctx
