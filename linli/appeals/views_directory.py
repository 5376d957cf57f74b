"""The directory pages: "啥事儿该找谁" for staff and residents, the per-community set-up, and edits.

- unit_guide: every active unit with what it handles and not, the organisation and phone behind it
  in a community and the categories that go to it there. Staff with unit.view choose among their
  communities; a resident account sees the guide of the community they live in, in large type.
- unit_setup (unit.manage): per community, unit → organisation and category → unit tables.
- organisation add/edit (unit.manage), and for street admins (unit.directory) the directory of
  units and categories with their edit pages.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from linli.accounts.choices import Role
from linli.appeals import services_directory as directory
from linli.appeals.forms_directory import CategoryForm, HandlingUnitForm, OrganisationForm
from linli.appeals.models import Category, CategoryRoute, HandlingUnit, Organisation, UnitBinding
from linli.appeals.routing import learning
from linli.core.audit import actor_of
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.querysets import require_perm


def _pick(communities, value):
    """The community chosen by ?community=<id> among `communities` (404 outside), else the first."""
    if value:
        if (pk := parse_id(value)) is None:
            raise Http404("没有这个社区。")
        try:
            return communities.get(pk=pk)
        except communities.model.DoesNotExist as exc:
            raise Http404("该社区不在您的管辖范围内。") from exc
    return communities.first()


def _search(rows, q: str):
    words = q.split()
    return [r for r in rows if all(w.lower() in r["keywords"].lower() for w in words)]


class UnitGuideView(LoginRequiredMixin, TemplateView):
    """啥事儿该找谁: plain words for residents and for the staff who explain it to them."""

    template_name = "appeals/directory_guide.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not self.is_resident(user):
            require_perm(user, "unit.view")
        return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def is_resident(user) -> bool:
        if user.role != Role.RESIDENT or user.is_superuser:
            return False
        if user.resident_id is None:
            raise PermissionDenied("您的账号还没有关联居民信息，请联系社区。")
        return True

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        resident_view = self.is_resident(user)
        if resident_view:
            community = user.resident.community
            communities = [community]
        else:
            qs = directory.communities_for(user, "view")
            community = _pick(qs, self.request.GET.get("community"))
            communities = list(qs)
        q = (self.request.GET.get("q") or "").strip()[:40]
        rows = directory.guide_for(community) if community else []
        ctx.update(
            resident_view=resident_view,
            community=community,
            communities=communities,
            q=q,
            rows=_search(rows, q) if q else rows,
            total=len(rows),
            can_setup=user.has_role_perm("unit.manage"),
        )
        return ctx


class _Perm(LoginRequiredMixin, View):
    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, self.permission)
        return super().dispatch(request, *args, **kwargs)


def _setup_url(community) -> str:
    url = reverse("appeals:unit_setup")
    return f"{url}?{urlencode({'community': community.pk})}" if community else url


class UnitSetupView(_Perm):
    """For one community in scope: which organisation stands behind each unit, and category routes."""

    permission = "unit.manage"

    def get(self, request):
        communities = directory.communities_for(request.user, "manage")
        community = _pick(communities, request.GET.get("community"))
        ctx = {"communities": communities, "community": community, "can_edit_directory": False}
        ctx["can_edit_directory"] = request.user.has_role_perm("unit.directory")
        if community is not None:
            bindings = {
                b.unit_id: b for b in UnitBinding.objects.filter(community=community).select_related("organisation")
            }
            orgs = list(Organisation.objects.filter(street_id=community.street_id).select_related("unit"))
            units = list(HandlingUnit.objects.filter(is_active=True))
            ctx["unit_rows"] = [
                {
                    "unit": u,
                    "binding": bindings.get(u.pk),
                    "choices": [o for o in orgs if o.unit_id == u.pk and o.is_active],
                }
                for u in units
            ]
            routes = {
                r.category_id: r for r in CategoryRoute.objects.filter(community=community).select_related("unit")
            }
            ctx["category_rows"] = [
                {"category": c, "route": routes.get(c.pk)}
                for c in Category.objects.filter(is_active=True).select_related("unit")
            ]
            ctx["units"] = units
            ctx["organisations"] = orgs
            ctx["routing"] = learning.overview(community)
        return render(request, "appeals/directory_setup.html", ctx)


class UnitBindView(_Perm):
    permission = "unit.manage"

    def post(self, request):
        community = _pick(directory.communities_for(request.user, "manage"), request.POST.get("community") or "x")
        unit = get_object_or_404(HandlingUnit, pk=request.POST.get("unit") or 0)
        org_id = request.POST.get("organisation")
        organisation = None
        if org_id:
            organisation = directory.organisations_for(request.user, "manage").filter(pk=org_id).first()
            if organisation is None:
                messages.error(request, "所选承办机构不存在或不在您的管辖范围内。")
                return redirect(_setup_url(community))
        try:
            directory.bind_unit(
                community, unit, organisation, actor=actor_of(request.user), note=request.POST.get("note", "")
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            if organisation:
                messages.success(request, f"{community.name}的“{unit.name}”由{organisation.name}承办。")
            else:
                messages.success(request, f"已解除{community.name}“{unit.name}”的承办机构。")
        return redirect(_setup_url(community) + f"#unit-{unit.pk}")


class CategoryRouteView(_Perm):
    permission = "unit.manage"

    def post(self, request):
        community = _pick(directory.communities_for(request.user, "manage"), request.POST.get("community") or "x")
        category = get_object_or_404(Category, pk=request.POST.get("category") or 0)
        unit_id = request.POST.get("unit")
        unit = get_object_or_404(HandlingUnit, pk=unit_id) if unit_id else None
        try:
            route = directory.route_category(community, category, unit, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            target = route.unit.name if route else category.unit.name
            messages.success(request, f"{community.name}的“{category.name}”交给{target}。")
        return redirect(_setup_url(community) + f"#category-{category.pk}")


class OrganisationEditView(_Perm):
    permission = "unit.manage"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(directory.organisations_for(self.request.user, "manage"), pk=self.kwargs["pk"])

    def form(self, obj, data=None):
        user = self.request.user
        initial = {}
        if obj is not None:
            initial = {f: getattr(obj, f) for f in ("name", "unit", "street", "contact_name", "phone", "address")}
            initial.update(note=obj.note, is_active=obj.is_active, handlers=list(obj.handlers.all()))
        else:
            if unit := parse_id(self.request.GET.get("unit")):
                initial["unit"] = unit
        return OrganisationForm(
            data,
            initial=initial,
            streets=directory.streets_for(user),
            candidates=directory.handler_candidates(user, obj),
        )

    def render_form(self, form, obj):
        back = parse_id(self.request.GET.get("community") or self.request.POST.get("back_community")) or ""
        return render(
            self.request,
            "appeals/directory_organisation_form.html",
            {"form": form, "object": obj, "back_community": back},
        )

    def get(self, request, pk=None):
        obj = self.get_object()
        return self.render_form(self.form(obj), obj)

    def post(self, request, pk=None):
        obj = self.get_object()
        form = self.form(obj, request.POST)
        if form.is_valid():
            try:
                obj = directory.save_organisation(obj, actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"承办机构“{obj.name}”已保存。")
                back = parse_id(request.POST.get("back_community"))
                url = reverse("appeals:unit_setup")
                return redirect(f"{url}?community={back}#organisations" if back else url)
        return self.render_form(form, obj)


class DirectoryView(_Perm):
    """Street admins: every unit and category of the directory, with links to edit them."""

    permission = "unit.directory"

    def get(self, request):
        units = HandlingUnit.objects.restrict(request.user, "directory")
        categories = Category.objects.restrict(request.user, "directory").select_related("unit")
        return render(request, "appeals/directory_index.html", {"units": units, "categories": categories})


class HandlingUnitEditView(_Perm):
    permission = "unit.directory"

    def get_object(self):
        return get_object_or_404(HandlingUnit.objects.restrict(self.request.user, "directory"), pk=self.kwargs["pk"])

    def get(self, request, pk):
        unit = self.get_object()
        form = HandlingUnitForm(
            initial={
                "name": unit.name,
                "handles": unit.handles,
                "not_handles": unit.not_handles,
                "is_active": unit.is_active,
            }
        )
        return render(request, "appeals/directory_unit_form.html", {"form": form, "unit": unit})

    def post(self, request, pk):
        unit = self.get_object()
        form = HandlingUnitForm(request.POST)
        if form.is_valid():
            try:
                directory.update_unit(unit, actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"承办单位“{form.cleaned_data['name']}”已保存。")
                return redirect("appeals:directory")
        return render(request, "appeals/directory_unit_form.html", {"form": form, "unit": unit})


class CategoryEditView(_Perm):
    permission = "unit.directory"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(Category.objects.restrict(self.request.user, "directory"), pk=self.kwargs["pk"])

    def render_form(self, form, category):
        return render(request=self.request, template_name="appeals/directory_category_form.html",
                      context={"form": form, "category": category})  # fmt: skip

    def get(self, request, pk=None):
        category = self.get_object()
        initial = {}
        if category is not None:
            initial = {f: getattr(category, f) for f, *_ in directory.DEADLINE_BOUNDS}
            initial.update(
                name=category.name,
                unit=category.unit,
                default_urgency=category.default_urgency,
                is_active=category.is_active,
            )
        return self.render_form(CategoryForm(initial=initial, creating=category is None), category)

    def post(self, request, pk=None):
        category = self.get_object()
        form = CategoryForm(request.POST, creating=category is None)
        if form.is_valid():
            d = form.cleaned_data
            common = dict(name=d["name"], unit=d["unit"], default_urgency=d["default_urgency"], **form.deadlines())
            try:
                if category is None:
                    category = directory.create_category(actor=actor_of(request.user), code=d["code"], **common)
                else:
                    directory.update_category(
                        category, actor=actor_of(request.user), is_active=d["is_active"], **common
                    )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"问题类别“{d['name']}”已保存。")
                return redirect("appeals:directory")
        return self.render_form(form, category)
