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
    """党建: the landing page. The organisations the user may see as a tree (members and 中心户 under each), and
    the ways into the roster, organisational life, 共建单位, 中心户 and pairings (each link shown to those who may
    use it; the pages of the other parts are linked by name once they are there)."""

    template_name = "party/home.html"

    def get_context_data(self, **kwargs):
        from linli.party.structure import tree

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        orgs = self.scoped().filter(is_active=True).select_related("community", "grid", "secretary")
        ctx["rows"] = tree(orgs, user)
        ctx["party_role"] = user.is_superuser or user.has_role_perm("party.view")
        ctx["can_manage"] = user.is_superuser or user.has_role_perm("party.manage")
        return ctx
