"""办事指南: the public pages of a community's catalogue (no login, large type, printable) and the staff's list and
edit pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import cache_control
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.hall.choices import MatterCategory
from linli.hall.filtersets import ServiceMatterFilterSet
from linli.hall.forms import ServiceMatterForm
from linli.hall.models import ServiceMatter
from linli.hall.services import save_matter


def grouped(matters) -> list[tuple[str, list]]:
    """[(category label, matters)] in the categories' order."""
    groups: dict[str, list] = {}
    for matter in matters:
        groups.setdefault(matter.category, []).append(matter)
    return [(label, groups[value]) for value, label in MatterCategory.choices if value in groups]


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class PublicGuideView(View):
    """A community's 办事指南 for anyone: its published matters by category, each with what to bring."""

    def get(self, request, community_code):
        community = get_object_or_404(Community, code=community_code)
        matters = ServiceMatter.objects.filter(community=community).published().order_by("sort", "name", "id")
        return render(request, "hall/public_guide.html", {"community": community, "groups": grouped(matters)})


@method_decorator(cache_control(public=True, max_age=300), name="dispatch")
class PublicMatterView(View):
    """One published matter in large type, to read on a phone or print for the notice board."""

    def get(self, request, community_code, pk):
        community = get_object_or_404(Community, code=community_code)
        matter = get_object_or_404(ServiceMatter.objects.published(), community=community, pk=pk)
        return render(request, "hall/public_matter.html", {"community": community, "matter": matter})


class ServiceMatterListView(ScopedMixin, TemplateView):
    """办事指南 (staff): every matter of the communities in scope, published or not."""

    model = ServiceMatter
    template_name = "hall/matter_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = ServiceMatterFilterSet(
            self.request.GET or None, self.scoped().select_related("community"), user=user
        )
        rows = filterset.qs if filterset.is_valid() else filterset.queryset
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, rows.order_by("community_id", "sort", "name", "id")),
            can_manage=user.has_role_perm("hall.manage"),
            communities=filterset.filters["community"].queryset[:30],  # their public guide links
        )
        return ctx


class ServiceMatterDetailView(ScopedMixin, TemplateView):
    model = ServiceMatter
    template_name = "hall/matter_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        matter = self.get_scoped_object(self.scoped().select_related("community"))
        ctx.update(
            matter=matter,
            counters=matter.counters.filter(is_active=True),
            can_manage=ServiceMatter.objects.restrict(self.request.user, "manage").filter(pk=matter.pk).exists(),
        )
        return ctx


class ServiceMatterEditView(ScopedMixin, View):
    """New matter (no pk) or a change of one (hall.manage)."""

    model = ServiceMatter
    action = "manage"
    template_name = "hall/matter_form.html"

    def matter(self):
        return self.get_scoped_object() if "pk" in self.kwargs else None

    def render_form(self, form, matter):
        return render(self.request, self.template_name, {"form": form, "matter": matter})

    def get(self, request, pk=None):
        matter = self.matter()
        return self.render_form(ServiceMatterForm(instance=matter, user=request.user), matter)

    def post(self, request, pk=None):
        matter = self.matter()
        form = ServiceMatterForm(request.POST, instance=matter, user=request.user)
        if form.is_valid():
            try:
                saved = save_matter(form.instance, actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存事项：{saved.name}")
                return redirect(saved)
        return self.render_form(form, matter)
