"""Resident registry pages: list and type-ahead search, one-view page, edit, reveal, tags."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Household
from linli.core.audit import actor_of, history_of
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin, client_ip, paginate
from linli.residents import services
from linli.residents.filtersets import LIST_ORDERING, ResidentFilterSet
from linli.residents.forms import ResidentForm, TagForm
from linli.residents.models import Resident, RevealRecord, Tag
from linli.residents.search import search_order

LIST_RELATED = ("household", "building", "grid")


class ResidentListView(ScopedMixin, TemplateView):
    """Filtered list; with htmx the search box swaps in just the result rows as you type."""

    model = Resident
    template_name = "residents/resident_list.html"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "resident-results":
            return ["residents/_resident_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        data = self.request.GET.copy()
        data.setdefault("status", "active")
        filterset = ResidentFilterSet(data, self.scoped(), request=self.request)
        qs = filterset.qs.select_related(*LIST_RELATED).prefetch_related("tags").order_by(*LIST_ORDERING)
        ctx["filter"] = filterset
        ctx["filters_open"] = any(data.get(k) for k in filterset.filters if k not in ("q", "status")) or (
            data.get("status") != "active"
        )
        ctx["page"] = paginate(self.request, qs, 30)
        query = data.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        ctx["can_add"] = user.has_role_perm("resident.add")
        ctx["can_export"] = user.has_role_perm("export.residents")
        ctx["can_reveal_id"] = user.has_role_perm("resident.reveal_id")
        return ctx


class ResidentDetailView(ScopedMixin, TemplateView):
    """Everything Linli knows of one person, in one view. Later modules add sections here."""

    model = Resident
    template_name = "residents/resident_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        resident = self.get_scoped_object(
            self.scoped().select_related("household__building", "grid", "community", "street")
        )
        user = self.request.user
        ctx["object"] = resident
        ctx["household_members"] = (
            Resident.objects.restrict(user).filter(household_id=resident.household_id).exclude(pk=resident.pk)
        )
        ctx["can_edit"] = user.has_role_perm("resident.change")
        ctx["can_browse"] = user.has_role_perm("area.view")
        ctx["can_reveal_id"] = user.has_role_perm("resident.reveal_id") and bool(resident.id_masked)
        if user.has_role_perm("visit.view"):
            from linli.visits.models import Visit

            ctx["show_visits"] = True
            ctx["can_log_visit"] = user.has_role_perm("visit.add")
            ctx["visits"] = (
                Visit.objects.restrict(user)
                .filter(resident=resident)
                .select_related("visitor")
                .order_by("-visited_on", "-id")[:20]
            )
            if resident.visit_due_on:
                ctx["visit_overdue_days"] = (timezone.localdate() - resident.visit_due_on).days
        if user.has_role_perm("diary.view"):
            from linli.visits.models import FieldNote

            ctx["show_diary"] = True
            ctx["field_notes"] = (
                FieldNote.objects.restrict(user).filter(residents=resident).select_related("author")[:10]
            )
        if user.has_role_perm("appeal.view"):
            from linli.appeals.models import Appeal

            ctx["show_appeals"] = True
            ctx["appeals"] = (
                Appeal.objects.restrict(user).filter(reporter=resident).select_related("category", "assigned_org")[:20]
            )
        if user.has_role_perm("history.view"):
            ctx["history"] = history_of(resident)[:50]
            ctx["show_history"] = True
            ctx["reveals"] = RevealRecord.objects.filter(resident=resident).select_related("user")[:20]
        return ctx


class MyRecordView(ResidentDetailView):
    """A resident's own record (role 居民)."""

    permission = "resident.view_self"

    def get_scoped_object(self, queryset=None, action=None):
        return get_object_or_404(queryset if queryset is not None else self.scoped(), pk=self.request.user.resident_id)


class ResidentEditView(ScopedMixin, View):
    """Create (no pk) or edit a resident; every save goes through residents.services."""

    model = Resident
    template_name = "residents/resident_form.html"

    def get_permission(self):
        return "resident.change" if "pk" in self.kwargs else "resident.add"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return self.get_scoped_object(self.scoped("change").select_related("household"))

    def initial(self, resident):
        if resident is not None:
            return ResidentForm.initial_for(resident)
        household_id = parse_id(self.request.GET.get("household"))
        if household_id:
            household = Household.objects.restrict(self.request.user).filter(pk=household_id).first()
            if household:
                return {"building": household.building_id, "entrance": household.entrance, "room": household.room}
        return {}

    def render_form(self, form, resident):
        return render(self.request, self.template_name, {"form": form, "object": resident})

    def get(self, request, pk=None):
        resident = self.get_object()
        return self.render_form(
            ResidentForm(user=request.user, resident=resident, initial=self.initial(resident)), resident
        )

    def post(self, request, pk=None):
        resident = self.get_object()
        form = ResidentForm(request.POST, user=request.user, resident=resident)
        if form.is_valid():
            actor = actor_of(request.user)
            try:
                if resident is None:
                    resident = services.create_resident(actor=actor, **form.service_kwargs())
                else:
                    resident = services.update_resident(resident, actor=actor, **form.service_kwargs())
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"居民“{resident.name}”已保存。")
                return redirect(resident.get_absolute_url())
        return self.render_form(form, resident)


class ResidentDeleteView(ScopedMixin, View):
    model = Resident
    action = "delete"

    def post(self, request, pk):
        resident = self.get_scoped_object()
        household = resident.household
        services.delete_resident(resident, actor=actor_of(request.user))
        messages.success(request, f"居民“{resident.name}”已删除，删除记录已保存。")
        return redirect(household.get_absolute_url())


class RevealIdNumberView(ScopedMixin, View):
    """Show the full ID number to a role that may see it; recorded every time."""

    model = Resident
    action = "reveal_id"

    def post(self, request, pk):
        resident = self.get_scoped_object()
        number = services.reveal_id_number(resident, user=request.user, ip=client_ip(request))
        if request.htmx:
            return render(request, "residents/_id_revealed.html", {"number": number})
        messages.info(request, f"{resident.name}的身份证号码：{number}（本次查看已记录）")
        return redirect(resident.get_absolute_url())


class SearchView(ScopedMixin, TemplateView):
    """Compact type-ahead results for any search box (htmx)."""

    model = Resident
    template_name = "residents/_search_results.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        text = self.request.GET.get("q", "")
        qs = self.scoped().active().search(text).select_related(*LIST_RELATED).order_by(*search_order(text))
        ctx["results"] = list(qs[:20]) if text.strip() else []
        ctx["q"] = text
        return ctx


class TagListView(ScopedMixin, TemplateView):
    model = Tag
    permission = "tag.manage"
    template_name = "residents/tag_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tags"] = Tag.objects.all()
        return ctx


class TagEditView(ScopedMixin, View):
    model = Tag
    permission = "tag.manage"

    def get(self, request, pk=None):
        tag = get_object_or_404(Tag, pk=pk) if pk else None
        history = history_of(tag)[:30] if tag else []
        return render(
            request, "residents/tag_form.html", {"form": TagForm(instance=tag), "object": tag, "history": history}
        )

    def post(self, request, pk=None):
        require_perm(request.user, "tag.manage")
        tag = get_object_or_404(Tag, pk=pk) if pk else None
        form = TagForm(request.POST, instance=tag)
        if form.is_valid():
            try:
                services.save_tag(form.save(commit=False), actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "标签已保存。")
                return redirect("residents:tag_list")
        return render(request, "residents/tag_form.html", {"form": form, "object": tag})
