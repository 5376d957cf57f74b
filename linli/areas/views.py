"""Area tree pages: browse, create/edit nodes, move buildings, and the building drawing."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.areas import forms, services
from linli.areas.models import Building, Community, Grid, Household, Street
from linli.core.audit import actor_of, history_of
from linli.core.forms import attach_errors
from linli.core.services import save_audited
from linli.core.shell import registry as shell
from linli.core.views import ScopedMixin


def resident_counts(field: str, ids) -> dict[int, int]:
    from linli.residents.models import Resident

    # COUNT(*), not COUNT(id): per building, PostgreSQL then counts off the partial index of active residents'
    # buildings without reading the rows (a street's 82,000 residents: 15 ms instead of 108, issue 20).
    rows = Resident.objects.active().filter(**{f"{field}__in": ids}).values(field).annotate(n=Count("*"))
    return {r[field]: r["n"] for r in rows}


class AreaTreeView(ScopedMixin, TemplateView):
    """Everything the user may see, top-down, with resident counts per grid and building."""

    model = Building
    template_name = "areas/area_tree.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        buildings = list(self.scoped().select_related("grid", "community"))
        by_building = resident_counts("building_id", [b.pk for b in buildings])
        # The buildings are the user's already: their households are counted off the building index alone.
        households = dict(
            Household.objects.filter(building_id__in=[b.pk for b in buildings])
            .values_list("building_id")
            .annotate(n=Count("*"))
            .order_by()
        )
        grids = list(Grid.objects.restrict(user).select_related("community"))
        grid_ids = {g.pk for g in grids}
        communities = {c.pk: c for c in Community.objects.restrict(user).select_related("street")}
        # Only nodes the user may open are links (a grid worker's community and a building worker's grid are not).
        for c in communities.values():
            c.openable = True
        for g in grids:
            g.openable = True
        # A grid worker cannot see the community node itself, but must see where their grid sits.
        for g in grids:
            communities.setdefault(g.community_id, g.community)
        tree = defaultdict(lambda: {"grids": defaultdict(list), "unassigned": [], "grid_objs": {}})
        for g in grids:
            tree[g.community_id]["grid_objs"][g.pk] = g
        for b in buildings:
            b.resident_total = by_building.get(b.pk, 0)
            b.household_total = households.get(b.pk, 0)
            node = tree[b.community_id]
            if b.grid_id and b.grid_id in grid_ids:
                node["grids"][b.grid_id].append(b)
            elif b.grid_id:
                node["grid_objs"].setdefault(b.grid_id, b.grid)
                node["grids"][b.grid_id].append(b)
            else:
                node["unassigned"].append(b)
        ctx["tree"] = [
            {
                "community": communities.get(cid) or Community.objects.get(pk=cid),
                "grids": [
                    {
                        "grid": grid,
                        "buildings": node["grids"].get(gid, []),
                        "residents": sum(b.resident_total for b in node["grids"].get(gid, [])),
                    }
                    for gid, grid in sorted(node["grid_objs"].items(), key=lambda kv: kv[1].number)
                ],
                "unassigned": node["unassigned"],
            }
            for cid, node in sorted(tree.items())
        ]
        ctx["streets"] = Street.objects.restrict(user)
        ctx["can_manage"] = user.has_role_perm("area.manage")
        # What the home page's 网格 / 楼栋 / 户 figures count, as listed here.
        ctx["totals"] = {
            "grids": sum(len(node["grids"]) for node in ctx["tree"]),
            "buildings": len(buildings),
            "households": sum(households.values()),
        }
        return ctx


class AreaDetailView(ScopedMixin, TemplateView):
    """Street, community and grid pages: the node, its children, its history."""

    template_name = "areas/area_detail.html"
    children: dict = {}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.get_scoped_object()
        ctx["object"] = obj
        ctx["kind"] = obj._meta.verbose_name
        ctx["history"] = history_of(obj)[:50]
        ctx["can_manage"] = self.model.objects.restrict(self.request.user, "manage").filter(pk=obj.pk).exists()
        if isinstance(obj, Street):
            ctx["child_label"], ctx["children"] = (
                "社区",
                Community.objects.restrict(self.request.user).filter(street=obj),
            )
            ctx["add_url"] = "areas:community_add"
        elif isinstance(obj, Community):
            ctx["child_label"], ctx["children"] = "网格", Grid.objects.restrict(self.request.user).filter(community=obj)
            ctx["add_url"] = "areas:grid_add"
            ctx["unassigned"] = services.unassigned_buildings(obj)
        else:
            kids = list(Building.objects.restrict(self.request.user).filter(grid=obj))
            counts = resident_counts("building_id", [b.pk for b in kids])
            for b in kids:
                b.resident_total = counts.get(b.pk, 0)
            ctx["child_label"], ctx["children"] = "楼栋", kids
            ctx["add_url"] = "areas:building_add"
            from linli.accounts.directory import workers_of_grid

            ctx["grid_workers"] = workers_of_grid(obj.pk)
        return ctx


class StreetDetailView(AreaDetailView):
    model = Street


class CommunityDetailView(AreaDetailView):
    model = Community


class GridDetailView(AreaDetailView):
    model = Grid


class AreaEditView(ScopedMixin, View):
    """Create (no pk) or edit (pk) an area node through its form and the audited save."""

    action = "manage"
    form_class = None
    edit_form_class = None
    template_name = "areas/area_form.html"

    def get_form(self, obj=None, data=None):
        form_class = (self.edit_form_class or self.form_class) if obj else self.form_class
        kwargs = {"instance": obj, "data": data}
        if issubclass(form_class, forms.ScopedModelForm):
            kwargs["user"] = self.request.user
        if obj is None:
            kwargs["initial"] = {k: v for k, v in self.request.GET.items() if k in form_class.base_fields}
        return form_class(**kwargs)

    def get_object(self):
        return self.get_scoped_object() if "pk" in self.kwargs else None

    def render_form(self, form, obj):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "object": obj,
                "kind": self.model._meta.verbose_name,
            },
        )

    def get(self, request, pk=None):
        obj = self.get_object()
        return self.render_form(self.get_form(obj), obj)

    def post(self, request, pk=None):
        obj = self.get_object()
        form = self.get_form(obj, request.POST)
        if form.is_valid():
            instance = form.save(commit=False)
            try:
                self.save(instance, creating=obj is None)
            except ValidationError as exc:
                attach_errors(form, exc)
                return self.render_form(form, obj)
            messages.success(request, f"{self.model._meta.verbose_name}“{instance}”已保存。")
            return redirect(instance.get_absolute_url())
        return self.render_form(form, obj)

    def save(self, instance, creating: bool):
        save_audited(instance, actor_of(self.request.user))


class StreetEditView(AreaEditView):
    model = Street
    form_class = forms.StreetForm

    def dispatch(self, request, *args, **kwargs):
        # New streets are created by the platform administrator; street admins edit their own.
        if "pk" not in kwargs and request.user.is_authenticated and not request.user.is_superuser:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("只有平台管理员可以新建街道。")
        return super().dispatch(request, *args, **kwargs)


class CommunityEditView(AreaEditView):
    model = Community
    form_class = forms.CommunityForm


class GridEditView(AreaEditView):
    model = Grid
    form_class = forms.GridForm


class BuildingEditView(AreaEditView):
    model = Building
    form_class = forms.BuildingForm
    edit_form_class = forms.BuildingEditForm

    def save(self, instance, creating):
        actor = actor_of(self.request.user)
        if creating:
            services.create_building(instance, actor)
        else:
            services.save_building(instance, actor)


class HouseholdEditView(AreaEditView):
    model = Household
    action = "change"
    form_class = forms.HouseholdForm
    edit_form_class = forms.HouseholdEditForm

    def save(self, instance, creating):
        services.save_household(instance, actor_of(self.request.user))


class AreaDeleteView(ScopedMixin, View):
    """POST-only delete of an empty node; the service refuses nodes that still hold people."""

    action = "manage"

    def post(self, request, pk):
        obj = self.get_scoped_object()
        parent = {Building: lambda: obj.grid or obj.community, Household: lambda: obj.building}.get(
            type(obj), lambda: getattr(obj, "community", None)
        )()
        try:
            services.delete_area(obj, actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(obj.get_absolute_url())
        messages.success(request, f"{self.model._meta.verbose_name}“{obj}”已删除，删除记录已保存。")
        return redirect(parent.get_absolute_url() if parent else "areas:area_tree")


class GridDeleteView(AreaDeleteView):
    model = Grid


class BuildingDeleteView(AreaDeleteView):
    model = Building


class HouseholdDeleteView(AreaDeleteView):
    model = Household
    action = "change"


class BuildingMoveView(ScopedMixin, View):
    """Move a building to another grid of its community; households and residents follow."""

    model = Building
    action = "manage"

    def get(self, request, pk):
        building = self.get_scoped_object()
        form = forms.BuildingMoveForm(user=request.user, building=building, initial={"grid": building.grid_id})
        return render(request, "areas/building_move.html", {"object": building, "form": form})

    def post(self, request, pk):
        building = self.get_scoped_object()
        form = forms.BuildingMoveForm(request.POST, user=request.user, building=building)
        if form.is_valid():
            try:
                services.move_building(building, form.cleaned_data["grid"], actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"{building.name}已移动，楼内的户和居民随之移动。")
                return redirect(building.get_absolute_url())
        return render(request, "areas/building_move.html", {"object": building, "form": form})


class BuildingDetailView(ScopedMixin, TemplateView):
    """The building as residents picture it: entrances across, floors down, one cell per room."""

    model = Building
    template_name = "areas/building_detail.html"

    def get_context_data(self, **kwargs):
        from linli.residents.models import Resident, Tag

        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        building = self.get_scoped_object(self.scoped().select_related("community", "grid"))
        # The grid is a link only for those who may open it (not a worker assigned to this building alone).
        # (GridQuerySet's scope, decided from the cached assignments: no query.)
        reach = {
            ("street", building.community.street_id),
            ("community", building.community_id),
            ("grid", building.grid_id),
        }
        ctx["grid_openable"] = bool(building.grid_id) and (
            user.is_superuser or (user.has_role_perm("area.view") and bool(reach & set(user.assigned_nodes())))
        )
        households = list(Household.objects.filter(building=building).order_by("entrance", "-floor", "room"))
        residents = Resident.objects.active().filter(building=building)
        people = Counter(residents.values_list("household_id", flat=True))
        tags = list(Tag.objects.restrict(user).visible_to(user).filter(is_active=True))
        tag_by_id = {t.pk: t for t in tags}
        household_tags: dict[int, set[int]] = defaultdict(set)
        for household_id, tag_id in Resident.tags.through.objects.filter(
            resident__building=building, resident__status="active", tag_id__in=tag_by_id
        ).values_list("resident__household_id", "tag_id"):
            household_tags[household_id].add(tag_id)
        entrances = defaultdict(lambda: defaultdict(list))
        # Other apps' badges on the cells (党员中心户 …), each app scoping its own (linli.core.shell.household_marks).
        marks = shell.marks_for(user, building)
        for h in households:
            h.people = people.get(h.pk, 0)
            h.marks = marks.get(h.pk, ())
            ids = household_tags.get(h.pk, ())
            h.tag_list = sorted((tag_by_id[i] for i in ids), key=lambda t: t.order)
            # The colour shows the most pressing group (lowest order among the care groups present,
            # skipping the broad 60+ tag when a narrower one is there).
            narrow = [t for t in h.tag_list if t.code != "elderly60"] or h.tag_list
            h.color = narrow[0].color if narrow else ""
            entrances[h.entrance][h.floor].append(h)
        ctx["object"] = building
        ctx["entrances"] = [
            {"number": e, "floors": [{"floor": f, "rooms": rooms} for f, rooms in sorted(fl.items(), reverse=True)]}
            for e, fl in sorted(entrances.items())
        ]
        household_counts = Counter(t for ids in household_tags.values() for t in ids)
        ctx["legend"] = [{"tag": t, "households": household_counts.get(t.pk, 0)} for t in tags]
        ctx["resident_total"] = sum(people.values())
        ctx["household_total"] = len(households)
        ctx["occupied"] = len(people)
        ctx["summary"] = f"{building.name}: {ctx['resident_total']}人" + "".join(
            f", {x['tag'].name}{x['households']}户"
            for x in ctx["legend"]
            if x["households"] and x["tag"].code in ("living_alone", "empty_nest")
        )
        ctx["history"] = history_of(building)[:50]
        ctx["can_manage"] = Building.objects.restrict(user, "manage").filter(pk=building.pk).exists()
        ctx["can_add_room"] = user.has_role_perm("household.add")
        # What the other apps know of this building (open appeals ...), each from its own shell.py.
        ctx["panels"] = shell.building_panels_for(user, building)
        return ctx


class HouseholdDetailView(ScopedMixin, TemplateView):
    model = Household
    template_name = "areas/household_detail.html"

    def get_context_data(self, **kwargs):
        from linli.residents.models import Resident

        ctx = super().get_context_data(**kwargs)
        household = self.get_scoped_object(self.scoped().select_related("building"))
        ctx["object"] = household
        ctx["residents"] = (
            Resident.objects.restrict(self.request.user).filter(household=household).prefetch_related("tags")
        )
        ctx["history"] = history_of(household)[:50]
        ctx["can_add"] = self.request.user.has_role_perm("resident.add")
        ctx["can_edit"] = self.request.user.has_role_perm("household.change")
        # What the other apps know of this household (结对帮扶 …), each from its own shell.py.
        ctx["panels"] = shell.household_panels_for(self.request.user, household)
        return ctx
