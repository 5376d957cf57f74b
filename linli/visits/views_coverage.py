"""走访统计 pages: the coverage report (linli.visits.coverage) over the user's scope, and its drill-down lists."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from linli.areas.models import Community, Grid
from linli.core.figures import cached_report, scope_key
from linli.core.params import parse_id
from linli.core.views import ScopedMixin, paginate
from linli.residents.models import Resident, Tag
from linli.visits.coverage import (
    FIELD_DAYS_GOAL,
    HOUSEHOLDS_GOAL_PCT,
    LATENESS,
    NO_GRID,
    coverage_report,
    lateness_q,
)
from linli.visits.models import Visit
from linli.visits.overdue import overdue_residents


def chosen_community(request):
    """?community=<id> (a dashboard's link): one community of the user's, else a 404; None without it."""
    raw = request.GET.get("community", "")
    if not raw:
        return None
    found = Community.objects.restrict(request.user).filter(pk=parse_id(raw)).first() if parse_id(raw) else None
    if found is None:
        raise Http404("找不到这个社区，或不在您的管辖范围内。")
    return found


class CoverageView(ScopedMixin, TemplateView):
    """走访统计 over the user's own scope: a street, a community, or a grid worker's grid."""

    model = Visit
    permission = "visit.coverage"
    template_name = "visits/coverage.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        # reused for LINLI_FIGURES_CACHE_SECONDS per scope and day: a street's report is 0.5-1 s of SQL; the scope
        # is every queryset coverage_report reads through
        scope = scope_key(
            Resident.objects.restrict(user),
            Grid.objects.restrict(user),
            Tag.objects.restrict(user).visible_to(user),
            Visit.objects.restrict(user),
        )
        community = chosen_community(self.request)
        community_id = community.pk if community else None
        computed = cached_report(
            "visits.coverage",
            scope,
            {"today": today, "community": community_id},
            lambda: coverage_report(user, today, community_id),
        )
        ctx.update(
            community=community,
            report=computed.value,
            computed_at=computed.computed_at,
            households_goal=HOUSEHOLDS_GOAL_PCT,
            field_days_goal=FIELD_DAYS_GOAL,
        )
        return ctx


class OverdueListView(ScopedMixin, TemplateView):
    """The names behind an overdue count: ?grid=<id>|none, ?tag=<id>, ?late=1-7|8-30|31+ (all optional)."""

    model = Visit
    permission = "visit.coverage"
    template_name = "visits/coverage_overdue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        today = timezone.localdate()
        params = self.request.GET
        residents = overdue_residents(user, today)
        title = []
        community = chosen_community(self.request)
        if community is not None:
            residents = residents.filter(community_id=community.pk)
            title.append(community.name)
        grid_key = params.get("grid", "")
        if grid_key == NO_GRID:
            residents = residents.filter(grid__isnull=True)
            title.append("未分配网格")
        elif grid_key:
            grid = self._get(Grid.objects.restrict(user).select_related("community"), grid_key)
            residents = residents.filter(grid=grid)
            title.append(f"{grid.community.name} {grid.name}")
        tag_key = params.get("tag", "")
        if tag_key:
            tag = self._get(Tag.objects.restrict(user).visible_to(user), tag_key)
            residents = residents.filter(tags=tag)
            title.append(tag.name)
        late = params.get("late", "")
        if late:
            if late not in LATENESS:
                raise Http404("逾期天数分段无效。")
            residents = residents.filter(lateness_q(late, today))
            low, high = LATENESS[late]
            title.append(f"逾期{low}-{high}天" if high else f"逾期{low - 1}天以上")
        residents = residents.select_related("household", "building", "grid").order_by(
            "visit_due_on", "building__number", "household__entrance", "household__room", "id"
        )
        page = paginate(self.request, residents, 100)
        for resident in page:
            resident.days_overdue = (today - resident.visit_due_on).days
        query = params.copy()
        query.pop("page", None)
        ctx.update(page=page, today=today, title=" · ".join(title), query=query.urlencode())
        return ctx

    @staticmethod
    def _get(queryset, key):
        found = queryset.filter(pk=parse_id(key)).first() if parse_id(key) else None
        if found is None:
            raise Http404("不在您的管辖范围内。")
        return found
