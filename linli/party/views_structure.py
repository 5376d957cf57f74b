"""Structure pages: the organisation tree, an organisation's page and form, the 共建单位 (大党委成员单位, 双报到
units) with their review and yearly service summary, and 党员中心户 chosen on the building diagram."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Building, Household, Street
from linli.areas.scope import communities_for
from linli.core.audit import actor_of, history_of
from linli.core.excel.download import xlsx_download
from linli.core.excel.exports import record_export
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id, parse_ids, parse_int
from linli.core.querysets import require_perm
from linli.core.views import paginate
from linli.party import services, services_structure, structure
from linli.party.choices import PARENT_KIND, ExportKind, OrgKind, Review
from linli.party.excel_structure import unit_summary_xlsx
from linli.party.filtersets_structure import PartnerUnitFilterSet
from linli.party.forms_structure import CentreSinceForm, PartnerUnitForm, PartyOrgForm, UnitReviewForm
from linli.party.life import org_life
from linli.party.models import PartnerUnit, PartyHousehold, PartyMember, PartyOrg
from linli.party.service import member_figures, unit_figures
from linli.party.views import PartyMixin

#: The kind of organisation set up under each kind (the inverse of PARENT_KIND).
CHILD_KIND = {parent: kind for kind, parent in PARENT_KIND.items() if parent}
#: The 中心户 norm (seed 000): warned about outside it, never refused.
CENTRE_NORM = (10, 30)


def this_year(request) -> int:
    return parse_int(request.GET.get("year"), minimum=2000, maximum=2100) or timezone.localdate().year


def street_ids(user) -> list[int] | None:
    """The streets whose 大工委 the user may set up or change (None: any, a superuser)."""
    if user.is_superuser:
        return None
    if not user.has_role_perm("party.manage"):
        return []
    return [node for level, node in user.assigned_nodes() if level == "street"]


class OrgListView(PartyMixin, TemplateView):
    """党组织: the organisations the user may see as a tree, with members and 中心户 under each."""

    template_name = "party/org_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        orgs = self.scoped().filter(is_active=True).select_related("community", "grid", "secretary")
        ctx["rows"] = structure.tree(orgs, self.request.user)
        ctx["can_manage"] = may_manage(self.request.user)
        ctx["can_add_street"] = street_ids(self.request.user) != []
        return ctx


def may_manage(user) -> bool:
    return user.is_superuser or user.has_role_perm("party.manage")


class OrgEditView(PartyMixin, View):
    """New organisation under ?parent= (its kind follows from the parent; none: a street's 大工委), or a change."""

    permission = "party.manage"
    template_name = "party/org_form.html"

    def setup_org(self):
        user = self.request.user
        if "pk" in self.kwargs:
            org = get_object_or_404(
                self.scoped("manage").select_related("parent", "community", "street"), pk=self.kwargs["pk"]
            )
            if org.kind == OrgKind.STREET_COMMITTEE and street_ids(user) is not None:
                if org.street_id not in street_ids(user):
                    raise PermissionDenied("街道大工委只能由街道党建工作人员修改。")
            return org, org.parent, org.kind
        parent_id = parse_id(self.request.GET.get("parent") or self.request.POST.get("parent"))
        if parent_id is None:
            if street_ids(user) == []:
                raise PermissionDenied("街道大工委只能由街道党建工作人员设立。")
            return PartyOrg(), None, OrgKind.STREET_COMMITTEE
        parent = get_object_or_404(self.scoped("manage").filter(is_active=True), pk=parent_id)
        if parent.kind not in CHILD_KIND:
            raise Http404("党小组下不再设组织。")
        return PartyOrg(parent=parent), parent, CHILD_KIND[parent.kind]

    def form(self, org, parent, kind, data=None):
        user = self.request.user
        ids = street_ids(user)
        streets = Street.objects.all() if ids is None else Street.objects.filter(pk__in=ids)
        return PartyOrgForm(
            data,
            instance=org,
            kind=kind,
            parent=parent,
            communities=communities_for(user, "party.manage"),
            streets=streets.order_by("name"),
        )

    def page(self, form, org, parent, kind):
        ctx = {"form": form, "org": org if org.pk else None, "parent": parent, "kind_label": OrgKind(kind).label}
        return render(self.request, self.template_name, ctx)

    def get(self, request, pk=None):
        org, parent, kind = self.setup_org()
        return self.page(self.form(org, parent, kind), org, parent, kind)

    def post(self, request, pk=None):
        org, parent, kind = self.setup_org()
        form = self.form(org, parent, kind, request.POST)
        if form.is_valid():
            org = form.save(commit=False)
            org.kind, org.parent = kind, parent
            try:
                services.save_org(org, actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存{org.get_kind_display()}“{org.name}”。")
                return redirect(org)
        return self.page(form, org, parent, kind)


class OrgDetailView(PartyMixin, TemplateView):
    """An organisation: its facts, sub-organisations, members with their attendance and service this year, a
    社区大党委's member units, and its organisational life (linli.party.life)."""

    template_name = "party/org_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        org = self.get_scoped_object(self.scoped().select_related("parent", "community", "grid", "street"))
        year = this_year(self.request)
        # The figures count everything below: the tree of the organisations the user sees (a street's is small).
        orgs = self.scoped().filter(is_active=True, street_id=org.street_id).select_related("grid", "secretary")
        if org.community_id:
            orgs = orgs.filter(community_id=org.community_id)
        rows = {row.org.pk: row for row in structure.tree(orgs, user)}
        children = [row for row in rows.values() if row.org.parent_id == org.pk]
        for row in children:
            row.depth = 0
        members = list(
            PartyMember.objects.restrict(user)
            .filter(Q(branch=org) | Q(group=org), is_active=True, review=Review.CONFIRMED)
            .select_related("group", "work_unit")
            .order_by("name", "pk")
        )
        figures = member_figures(members, year)
        for m in members:
            m.figures = figures[m.pk]
        units = ()
        if org.kind == OrgKind.COMMUNITY_COMMITTEE and user.has_role_perm("party.view"):
            units = PartnerUnit.objects.restrict(user).filter(community_id=org.community_id, in_committee=True)
            units = units.filter(is_active=True).order_by("name")
        ctx.update(
            org=org,
            year=year,
            own=rows.get(org.pk),
            children=children,
            members=members,
            units=units,
            can_manage=may_manage(user) and self.scoped("manage").filter(pk=org.pk).exists(),
            child_kind=CHILD_KIND.get(org.kind),
        )
        ctx.update(org_life(org, user))
        return ctx


class UnitMixin(PartyMixin):
    """共建单位 pages: party-work roles only (a branch secretary's reach is their branch, not the units)."""

    model = PartnerUnit

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require_perm(request.user, self.permission if self.permission != "party.record" else "party.manage")
        return super().dispatch(request, *args, **kwargs)

    def unit(self, action="view"):
        return self.get_scoped_object(self.scoped(action).select_related("community", "reviewed_by"))


class UnitListView(UnitMixin, TemplateView):
    template_name = "party/unit_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        data = self.request.GET.copy()
        data.setdefault("active", "yes")
        filterset = PartnerUnitFilterSet(data, self.scoped().select_related("community"), user=user)
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.filter(is_active=True)
        rows = rows.annotate(
            member_count=Count("members", filter=Q(members__is_active=True, members__review=Review.CONFIRMED))
        )
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=paginate(self.request, rows.order_by("community__name", "-in_committee", "name", "id"), 50),
            can_manage=may_manage(user),
            pending=self.scoped().filter(review=Review.PENDING, is_active=True).count(),
        )
        return ctx


class UnitEditView(UnitMixin, View):
    permission = "party.manage"
    template_name = "party/unit_form.html"

    def form(self, unit, data=None):
        return PartnerUnitForm(data, instance=unit, communities=communities_for(self.request.user, "party.manage"))

    def get(self, request, pk=None):
        unit = self.unit("manage") if pk else PartnerUnit()
        return render(request, self.template_name, {"form": self.form(unit), "unit": unit if pk else None})

    def post(self, request, pk=None):
        unit = self.unit("manage") if pk else PartnerUnit()
        form = self.form(unit, request.POST)
        if form.is_valid():
            unit = form.save(commit=False)
            try:
                services.save_unit(unit, actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已保存“{unit.name}”。")
                return redirect(unit)
        return render(request, self.template_name, {"form": form, "unit": unit if pk else None})


class UnitDetailView(UnitMixin, TemplateView):
    template_name = "party/unit_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        unit = self.unit()
        members = (
            PartyMember.objects.restrict(user)
            .filter(work_unit=unit, is_active=True)
            .select_related("branch")
            .order_by("-review", "name", "pk")
        )
        can_manage = may_manage(user) and self.scoped("manage").filter(pk=unit.pk).exists()
        ctx.update(
            unit=unit,
            members=members,
            can_manage=can_manage,
            review_form=UnitReviewForm() if can_manage and unit.review != Review.CONFIRMED else None,
            history=history_of(unit)[:50] if can_manage else (),
            year=timezone.localdate().year,
        )
        return ctx


class UnitReviewView(UnitMixin, View):
    """The community confirms or rejects a 双报到 unit's registration (POST, with a note)."""

    permission = "party.manage"

    def post(self, request, pk):
        unit = self.unit("manage")
        form = UnitReviewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
            return redirect(unit)
        try:
            services_structure.review_unit(unit, actor=actor_of(request.user), **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            done = "已确认报到" if form.cleaned_data["decision"] == "confirm" else "已标记为不通过"
            messages.success(request, f"“{unit.name}”{done}。")
        return redirect(unit)


class UnitSummaryView(UnitMixin, TemplateView):
    """A 双报到 unit's year: what its members gave the community (printable, sent back to the unit)."""

    template_name = "party/unit_summary.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        unit = self.unit()
        year = this_year(self.request)
        [summary] = unit_figures([unit], year)
        prefetch_related_objects([m for m, _ in summary.members], "resident", "branch")
        this = timezone.localdate().year
        ctx.update(
            unit=unit,
            year=year,
            summary=summary,
            years=sorted({year, *range(this, this - 5, -1)}, reverse=True),
            today=timezone.localdate(),
            can_export=self.request.user.has_role_perm("party.export"),
        )
        return ctx


class UnitSummaryExportView(UnitMixin, View):
    """The same summary as .xlsx (phones masked), recorded in the export log."""

    permission = "party.export"

    def get(self, request, pk):
        unit = self.unit("export")
        year = this_year(request)
        [summary] = unit_figures([unit], year)
        prefetch_related_objects([m for m, _ in summary.members], "resident", "branch")
        response = xlsx_download(
            lambda out: unit_summary_xlsx(summary, year, out),
            f"{unit.name}_{year}年双报到服务汇总.xlsx",
            f"party_unit_{unit.pk}_{year}.xlsx",
        )
        record_export(
            request.user,
            ExportKind.UNIT_SUMMARY,
            row_count=len(summary.members),
            filters={"work_unit": {"id": unit.pk, "name": unit.name}, "year": year},
        )
        return response


class CentreListView(PartyMixin, TemplateView):
    """党员中心户: each with its member, household and how many households it looks after; coverage per building."""

    model = PartyHousehold
    template_name = "party/centre_list.html"

    def get(self, request, *args, **kwargs):
        chosen = parse_id(request.GET.get("member"))  # 设立中心户: the member picked in the list's form
        if chosen is not None:
            return redirect("party:centre_edit", chosen)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        centres = list(
            self.scoped()
            .filter(is_active=True)
            .select_related("member", "household__building", "community")
            .annotate(covered_count=Count("links"))
            .order_by("community__name", "household__building__number", "household__entrance", "household__room")
        )
        low, high = CENTRE_NORM
        for c in centres:
            c.outside_norm = not (low <= c.covered_count <= high)
        buildings = {c.household.building_id: c.household.building for c in centres}
        figures = structure.building_coverage(buildings)
        ctx.update(
            centres=centres,
            buildings=[(b, *figures.get(b.pk, (0, 0))) for b in sorted(buildings.values(), key=lambda b: b.number)],
            can_manage=may_manage(user),
            norm=CENTRE_NORM,
        )
        if ctx["can_manage"]:
            ctx["candidates"] = (
                PartyMember.objects.restrict(user, "manage")
                .filter(is_active=True, review=Review.CONFIRMED, resident__isnull=False)
                .exclude(central_households__is_active=True)
                .select_related("community")
                .order_by("community__name", "name")
            )
        return ctx


class CentreEditView(PartyMixin, View):
    """A member's household as 党员中心户: the households it looks after, ticked on the building diagram (the
    centre's building, the buildings of the households it already looks after, and ?building= one more)."""

    model = PartyMember
    permission = "party.manage"
    template_name = "party/centre_form.html"

    def member(self):
        rows = self.scoped("manage").filter(is_active=True, review=Review.CONFIRMED)
        rows = rows.select_related("resident__household__building", "community")
        return get_object_or_404(rows, pk=self.kwargs["pk"])

    def context(self, member, form, chosen=None):
        household = member.resident.household if member.resident_id else None
        centre = PartyHousehold.objects.filter(household=household, is_active=True).first() if household else None
        if chosen is None:
            chosen = set(centre.links.values_list("household_id", flat=True)) if centre else set()
        community_buildings = Building.objects.filter(community_id=member.community_id).order_by("number")
        wanted = {household.building_id} if household else set()
        wanted |= set(Household.objects.filter(pk__in=chosen).values_list("building_id", flat=True))
        extra = parse_id(self.request.GET.get("building") or self.request.POST.get("building"))
        if extra and community_buildings.filter(pk=extra).exists():
            wanted.add(extra)
        buildings = [b for b in community_buildings if b.pk in wanted]
        taken = structure.taken_households(buildings, exclude_centre=centre)
        diagrams = [structure.diagram(b, chosen=chosen, taken=taken, centre=household) for b in buildings]
        return {
            "member": member,
            "household": household,
            "centre": centre,
            "form": form,
            "diagrams": diagrams,
            "chosen_count": len(chosen),
            "other_buildings": [b for b in community_buildings if b.pk not in wanted],
            "norm": CENTRE_NORM,
        }

    def get(self, request, pk):
        member = self.member()
        form = CentreSinceForm(initial={"since": timezone.localdate()})
        ctx = self.context(member, form)
        if ctx["centre"] is not None:
            ctx["form"] = CentreSinceForm(initial={"since": ctx["centre"].since})
        return render(request, self.template_name, ctx)

    def post(self, request, pk):
        member = self.member()
        form = CentreSinceForm(request.POST)
        raw = [v for v in request.POST.getlist("household") if v.strip()]
        ids = parse_ids(raw)
        households = list(Household.objects.filter(pk__in=ids).select_related("building"))
        chosen = {h.pk for h in households if h.building.community_id == member.community_id}
        if not form.is_valid():
            return render(request, self.template_name, self.context(member, form, chosen))
        if len(ids) != len(raw) or len(households) != len(set(ids)) or len(chosen) != len(households):
            form.add_error(None, "所选的户有的不在本社区或已不存在，未保存。请重新勾选。")
            return render(request, self.template_name, self.context(member, form, chosen))
        try:
            services.set_centre(
                member, actor=actor_of(request.user), covered=households, since=form.cleaned_data.get("since")
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return render(request, self.template_name, self.context(member, form, chosen))
        except IntegrityError:  # another 中心户 took one of the households at the same moment
            form.add_error(None, "有的户刚被其他中心户选走，未保存。请刷新后重新勾选。")
            return render(request, self.template_name, self.context(member, form, chosen))
        low, high = CENTRE_NORM
        count = len([h for h in households if h.pk != member.resident.household_id])
        messages.success(request, f"已保存：{member.name}的中心户联系{count}户。")
        if not low <= count <= high:
            messages.warning(request, f"中心户一般联系{low}–{high}户，现在是{count}户，请确认。")
        return redirect(reverse("party:centre_list"))


class CentreEndView(PartyMixin, View):
    """POST: 撤销 a 党员中心户 (with a reason); its households are free for another."""

    model = PartyHousehold
    permission = "party.manage"

    def post(self, request, pk):
        centre = get_object_or_404(self.scoped("manage").select_related("member"), pk=pk)
        try:
            services_structure.end_centre(centre, actor=actor_of(request.user), note=request.POST.get("note", ""))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect(reverse("party:centre_list"))
        messages.success(request, f"已撤销{centre.member.name}的党员中心户，它联系的住户可以由其他中心户联系。")
        return redirect(reverse("party:centre_list"))
