"""The home page (each app's blocks, linli.core.shell) and the help page."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import TemplateView

from linli.accounts.roles import UNASSIGNED_ROLES
from linli.core.shell import registry
from linli.residents.home import is_a_resident_at_home
from linli.site.home import home_items


class HomeView(LoginRequiredMixin, TemplateView):
    """Landing page: what this user is responsible for, in numbers, block by block (the apps' shell.py)."""

    template_name = "site/home.html"

    def get_template_names(self):
        if is_a_resident_at_home(self.request.user):
            return ["site/resident_home.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if is_a_resident_at_home(user):
            # The residents' Linli: big buttons, one task each (every app's self_tile).
            ctx["tiles"] = registry.self_tiles_for(user)
            return ctx
        ctx["assignments"] = list(user.assignments.select_related("street", "community", "grid", "building"))
        ctx["needs_assignment"] = not ctx["assignments"] and not user.is_superuser and user.role not in UNASSIGNED_ROLES
        ctx["blocks"] = home_items(user)
        return ctx


class HelpView(LoginRequiredMixin, TemplateView):
    template_name = "site/help.html"
