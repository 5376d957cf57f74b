"""数据看板: one page per street, community and grid, for the users assigned at that level or above."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView

from linli.core.querysets import require_perm
from linli.dashboards.board import CHILD, LEVELS, PERM, build_board, dashboard_url, home_node, nodes_for
from linli.dashboards.models import Level


class DashboardHomeView(LoginRequiredMixin, TemplateView):
    """The widest dashboard the user may open; a page saying so when they have none."""

    template_name = "dashboards/no_node.html"

    def get(self, request, *args, **kwargs):
        require_perm(request.user, PERM)
        found = home_node(request.user)
        if found is not None:
            level, node = found
            return redirect(dashboard_url(level, node.pk))
        return super().get(request, *args, **kwargs)


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "dashboards/dashboard.html"
    level = ""  # street, community or grid (urls.py)

    def get_context_data(self, **kwargs):
        user = self.request.user
        require_perm(user, PERM)
        level = self.level
        if level not in LEVELS:
            raise Http404("没有这一层级的看板。")
        node = nodes_for(user, level).filter(pk=self.kwargs["pk"]).first()
        if node is None:
            raise Http404("不在您的管辖范围内。")
        board = build_board(user, level, node, sort=self.request.GET.get("sort", ""))
        ctx = super().get_context_data(**kwargs)
        ctx.update(board=board, charts=board.chart_data(), crumbs=self.crumbs(level, node))
        ctx["sort_links"] = [(c, f"?sort={c.key}") for c in board.columns]
        ctx["has_children"] = level in CHILD
        # 社区大屏 (linli.bigscreen) shows a community's or street's figures on the service centre's display
        ctx["can_screen"] = level != Level.GRID and (user.is_superuser or user.has_role_perm("screen.view"))
        return ctx

    def crumbs(self, level, node) -> list[tuple[str, str]]:
        """The levels above this node whose dashboards the user may open: [(name, url)]."""
        user = self.request.user
        above = []
        if level == Level.GRID:
            above.append((Level.COMMUNITY, node.community_id))
            above.append((Level.STREET, node.community.street_id))
        elif level == Level.COMMUNITY:
            above.append((Level.STREET, node.street_id))
        crumbs = []
        for up_level, pk in reversed(above):
            found = nodes_for(user, up_level).filter(pk=pk).first()
            if found is not None:
                crumbs.append((found.name, dashboard_url(up_level, pk)))
        return crumbs
