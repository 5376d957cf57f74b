"""Generic building blocks for scoped pages, and the home and help pages."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView

from linli.accounts.roles import UNASSIGNED_ROLES
from linli.core.querysets import require_perm


class ScopedMixin(LoginRequiredMixin):
    """Rows come from Model.objects.restrict(user, action): 403 if the role lacks it, 404 outside scope."""

    model = None
    action = "view"
    permission: str | None = None  # defaults to "<perm_subject>.<action>"

    def get_permission(self) -> str:
        return self.permission or f"{self.model.objects.all().perm_subject}.{self.action}"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, self.get_permission())
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, action: str | None = None):
        return self.model.objects.restrict(self.request.user, action or self.action)

    def get_scoped_object(self, queryset=None, action: str | None = None):
        queryset = queryset if queryset is not None else self.scoped(action)
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


def paginate(request, queryset, per_page: int = 50):
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


class HomeView(LoginRequiredMixin, TemplateView):
    """Landing page: what this user is responsible for, in numbers."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        from linli.areas.models import Building, Grid, Household
        from linli.residents.models import Resident, Tag, birth_date_cutoff

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["assignments"] = list(user.assignments.select_related("street", "community", "grid", "building"))
        if user.has_role_perm("resident.view"):
            residents = Resident.objects.restrict(user).active()
            cutoff = birth_date_cutoff(60, timezone.localdate())
            ctx["stats"] = residents.aggregate(total=Count("id"), elderly=Count("id", filter=Q(birth_date__lte=cutoff)))
            ctx["stats"]["buildings"] = Building.objects.restrict(user).count()
            ctx["stats"]["grids"] = Grid.objects.restrict(user).count()
            ctx["stats"]["households"] = Household.objects.restrict(user).count()
            tags = Tag.objects.restrict(user).visible_to(user).filter(is_active=True)
            counts = dict(
                residents.filter(tags__in=tags).values_list("tags").annotate(n=Count("id")).values_list("tags", "n")
            )
            ctx["tag_counts"] = [(t, counts.get(t.pk, 0)) for t in tags]
        if user.has_role_perm("appeal.view"):
            from linli.appeals.stats import home_figures

            ctx["appeal_figures"] = home_figures(user)
            ctx["can_see_appeal_stats"] = user.has_role_perm("appeal.stats")
        from linli.appeals.queues import is_handling, queue_queryset

        if is_handling(user) and not user.has_role_perm("appeal.view"):
            now = timezone.now()
            ctx["handler_queue"] = {tab: queue_queryset(user, tab, now).count() for tab in ("unit", "overdue")}
        from linli.lovebank.home import home_context as lovebank_home
        from linli.visits.overdue import home_context as visits_home
        from linli.volunteers.home import home_context as volunteers_home
        from linli.wishes.home import home_context as wishes_home

        ctx.update(volunteers_home(user), **lovebank_home(user), **wishes_home(user), **visits_home(user))
        ctx["needs_assignment"] = not ctx["assignments"] and not user.is_superuser and user.role not in UNASSIGNED_ROLES
        if user.resident_id:
            ctx["own_community"] = user.resident.community
        return ctx


class HelpView(LoginRequiredMixin, TemplateView):
    template_name = "core/help.html"
