"""Resident registry pages: list and type-ahead search, one-view page, edit, reveal, tags."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Household
from linli.core.audit import actor_of, history_of
from linli.core.forms import attach_errors
from linli.core.net import client_ip
from linli.core.pagecache import FilterFields, scope_key
from linli.core.params import parse_id
from linli.core.querysets import require_perm
from linli.core.selection import BulkActionView, all_in_scope
from linli.core.shell import registry as shell
from linli.core.views import ScopedMixin, paginate
from linli.residents import services, services_contacts
from linli.residents.filtersets import (
    LIST_GROUPS,
    LIST_ORDERING,
    LIST_SELECTS,
    ResidentFilterSet,
    building_variant,
    tag_choices,
)
from linli.residents.forms import EmergencyContactForm, MarkLeftForm, ResidentDeleteForm, ResidentForm, TagForm
from linli.residents.models import EmergencyContact, Resident, RevealRecord, Tag
from linli.residents.rows import resident_rows
from linli.residents.search import search_order

LIST_RELATED = ("household", "building", "grid")
#: The columns a list row shows (rows.resident_row): the page read all of the resident's (the encrypted ID number,
#: the search columns …) and of its household, building and grid. test_list_rows checks no row reads another.
LIST_FIELDS = (
    "name", "sex", "birth_date", "phone", "household", "household__entrance", "household__room",
    "building", "building__name", "grid", "grid__name",
)  # fmt: skip


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
        rows_only = self.request.htmx and self.request.htmx.target == "resident-results"  # only the rows go back
        # The drop-downs from the scope's cached rows, a chosen one checked against them; no filter asked, the form's
        # markup is the scope's own, kept per process (pagecache.FilterFields).
        fields = FilterFields(
            filterset,
            name="resident_filter",
            selects=LIST_SELECTS,
            groups=LIST_GROUPS,
            scope=scope_key(user),
            unfiltered={k: data.getlist(k) for k in data if k != "page"} == {"status": ["active"]},
            variants={"building": building_variant},
            errors=False,
        )
        fields.prepare()
        qs = (
            filterset.qs.select_related(*LIST_RELATED)
            .prefetch_related("tags")
            .only(*LIST_FIELDS)
            .order_by(*LIST_ORDERING)
        )
        ctx["filter"] = filterset
        ctx["filters_open"] = any(data.get(k) for k in filterset.filters if k not in ("q", "status")) or (
            data.get("status") != "active"
        )
        # Unfiltered (the page people open first): a street's count may come from the planner's estimate.
        unfiltered = not any(data.get(k) for k in filterset.filters if k != "status")
        ctx["page"] = paginate(self.request, qs, 30, estimate=unfiltered)
        query = data.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        ctx["can_add"] = user.has_role_perm("resident.add")
        ctx["can_export"] = user.has_role_perm("export.residents")
        ctx["can_reveal_id"] = user.has_role_perm("resident.reveal_id")
        if user.has_role_perm("resident.change"):
            ctx["bulk_tags"] = [{"pk": pk, "name": name} for pk, name in tag_choices(user)]
        ctx["rows_html"] = resident_rows(ctx["page"], user=user, bulk=bool(ctx.get("bulk_tags")))  # residents/rows.py
        if not rows_only:
            ctx["filter_fields"] = fields.html()
        return ctx


class ResidentBulkTagView(ScopedMixin, BulkActionView, View):
    """批量添加/移除标签 for the residents ticked in the list (all of them in scope, or nothing changes)."""

    model = Resident
    action = "change"
    list_url_name = "residents:resident_list"
    title = "批量设置标签"
    carried = ("tag", "op")

    def clean(self, data):
        tag_id = parse_id(data.get("tag"))
        tag = services.usable_tags(self.request.user).filter(pk=tag_id).first() if tag_id else None
        if tag is None:
            raise ValidationError("请选择标签。")
        if data.get("op") not in ("add", "remove"):
            raise ValidationError("请选择添加还是移除标签。")
        return {"tag": tag, "add": data["op"] == "add"}

    def rows(self, ids):
        return all_in_scope(self.scoped().select_related("household", "building"), ids, "位居民")

    def describe(self, r):
        return f"{r.name}（{r.building.name}{r.household.entrance}单元{r.household.room}）"

    def question(self, rows, params):
        verb = "添加" if params["add"] else "移除"
        return f"确认为 {len(rows)} 位居民{verb}标签“{params['tag'].name}”？"

    def perform(self, rows, params):
        tag, add = params["tag"], params["add"]
        changed = services.bulk_tag([r.pk for r in rows], tag, add=add, actor=actor_of(self.request.user))
        verb = "添加" if add else "移除"
        unchanged = len(rows) - changed
        note = f"（{unchanged} 位原本{'已有' if add else '没有'}此标签，未改动）" if unchanged else ""
        return f"已为 {changed} 位居民{verb}标签“{tag.name}”{note}。"


class ResidentDetailView(ScopedMixin, TemplateView):
    """Everything Linli knows of one person, in one view: the registry's data here, then the panels the other
    apps register (linli.core.shell.resident_panel)."""

    model = Resident
    template_name = "residents/resident_detail.html"
    own_page = False  # the signed-in resident's own page shows their self blocks instead of the panels

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
        ctx["can_mark_left"] = ctx["can_edit"] and resident.status == "active"
        ctx["can_delete"] = user.has_role_perm("resident.delete")
        ctx["can_browse"] = user.has_role_perm("area.view")
        ctx["can_reveal_id"] = user.has_role_perm("resident.reveal_id") and bool(resident.id_masked)
        from linli.accounts.directory import workers_of_grid

        ctx["grid_workers"] = workers_of_grid(resident.grid_id)
        ctx["contacts"] = list(EmergencyContact.objects.restrict(user).filter(resident=resident))
        if self.own_page:
            ctx["self_blocks"] = shell.self_blocks_for(user)
        else:
            # What the other apps know of this person (visits, appeals, matters ...), each from its own shell.py.
            ctx["panels"] = shell.panels_for(user, resident)
        if user.has_role_perm("history.view"):
            ctx["history"] = history_of(resident)[:50]
            ctx["show_history"] = True
            ctx["reveals"] = RevealRecord.objects.filter(resident=resident).select_related("user")[:20]
        return ctx


class MyRecordView(ResidentDetailView):
    """A resident's own record (role 居民)."""

    permission = "resident.view_self"
    own_page = True

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


class MarkLeftView(ScopedMixin, View):
    """The normal end of an entry: 标记迁出/死亡 (the row and its history stay)."""

    model = Resident
    action = "change"
    template_name = "residents/resident_mark_left.html"

    def render_form(self, form, resident):
        return render(self.request, self.template_name, {"form": form, "object": resident})

    def get(self, request, pk):
        resident = self.get_scoped_object()
        return self.render_form(MarkLeftForm(initial={"date": timezone.localdate()}), resident)

    def post(self, request, pk):
        resident = self.get_scoped_object()
        form = MarkLeftForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.mark_resident_left(
                    resident,
                    status=d["status"],
                    date=d["date"],
                    note=d["note"],
                    actor=actor_of(request.user),
                    today=timezone.localdate(),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                resident.refresh_from_db()
                messages.success(request, f"居民“{resident.name}”已标记为{resident.get_status_display()}。")
                return redirect(resident.get_absolute_url())
        return self.render_form(form, resident)


class ResidentDeleteView(ScopedMixin, View):
    """Delete an entry made in error: street administrators only, with a reason; the page says what is lost."""

    model = Resident
    action = "delete"
    template_name = "residents/resident_delete.html"

    def render_form(self, form, resident):
        lost = {
            "visits": resident.visits.count(),  # the reverse relation: residents does not import visits
            "reveals": RevealRecord.objects.filter(resident=resident).count(),
        }
        return render(self.request, self.template_name, {"form": form, "object": resident, "lost": lost})

    def get(self, request, pk):
        return self.render_form(ResidentDeleteForm(), self.get_scoped_object())

    def post(self, request, pk):
        resident = self.get_scoped_object()
        form = ResidentDeleteForm(request.POST)
        if form.is_valid():
            household = resident.household
            try:
                services.delete_resident(resident, actor=actor_of(request.user), reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"居民“{resident.name}”已删除，删除记录和查看记录已保留。")
                return redirect(household.get_absolute_url())
        return self.render_form(form, resident)


class RevealIdNumberView(ScopedMixin, View):
    """Show the full ID number to a role that may see it; recorded every time."""

    model = Resident
    action = "reveal_id"

    def post(self, request, pk):
        resident = self.get_scoped_object()
        try:
            number = services.reveal_id_number(resident, user=request.user, ip=client_ip(request))
        except services.RevealLimitReached as exc:
            if request.htmx:
                return render(request, "residents/_id_revealed.html", {"refused": str(exc)})
            messages.error(request, str(exc))
            return redirect(resident.get_absolute_url())
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
    """Global tags (read-only except for a superuser) and the tags of the user's own communities."""

    model = Tag
    permission = "tag.manage"
    template_name = "residents/tag_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        manageable = set(Tag.objects.restrict(user, "manage").values_list("pk", flat=True))
        tags = list(Tag.objects.restrict(user).select_related("community"))
        for t in tags:
            t.can_edit = t.pk in manageable
        ctx["tags"] = tags
        ctx["can_add"] = services.tag_communities(user).exists()
        return ctx


class TagEditView(ScopedMixin, View):
    """Edit a tag the user keeps; a tag outside their scope (a global tag for a secretary) is shown read-only
    and its POST refused with 403."""

    model = Tag
    permission = "tag.manage"

    def get_tag(self, pk):
        if not pk:
            return None
        return get_object_or_404(Tag.objects.restrict(self.request.user).select_related("community"), pk=pk)

    def render_form(self, form, tag, read_only=False):
        history = history_of(tag)[:30] if tag else []
        if read_only:
            for field in form.fields.values():
                field.disabled = True
        return render(
            self.request,
            "residents/tag_form.html",
            {"form": form, "object": tag, "history": history, "read_only": read_only},
        )

    def get(self, request, pk=None):
        tag = self.get_tag(pk)
        read_only = tag is not None and not services.may_manage_tag(request.user, tag)
        return self.render_form(TagForm(instance=tag, user=request.user), tag, read_only)

    def post(self, request, pk=None):
        require_perm(request.user, "tag.manage")
        tag = self.get_tag(pk)
        if tag is not None and not services.may_manage_tag(request.user, tag):
            raise PermissionDenied(services.GLOBAL_TAG_MESSAGE if tag.is_global else "不在您的管辖范围内。")
        form = TagForm(request.POST, instance=tag, user=request.user)
        if form.is_valid():
            try:
                services.save_tag(form.save(commit=False), actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "标签已保存。")
                return redirect("residents:tag_list")
        return self.render_form(form, tag)


class RevealRecordListView(ScopedMixin, TemplateView):
    """查看记录: every full ID number shown to someone, for the roles that read the logs (export.log), scoped by
    the resident's community; a deleted resident's rows stay, under their masked label."""

    model = RevealRecord
    action = "log"
    template_name = "residents/reveal_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = self.scoped().select_related("user", "community").order_by("-at", "-id")
        ctx["page"] = paginate(self.request, qs, 50)
        return ctx


class EmergencyContactEditView(ScopedMixin, View):
    """Add (resident pk) or change (contact pk) an emergency contact: roles that may change the resident."""

    model = EmergencyContact
    action = "change"
    template_name = "residents/contact_form.html"

    def get_target(self):
        user = self.request.user
        if "resident_pk" in self.kwargs:
            resident = get_object_or_404(Resident.objects.restrict(user, "change"), pk=self.kwargs["resident_pk"])
            return resident, None
        contact = self.get_scoped_object(self.scoped().select_related("resident"))
        return contact.resident, contact

    def render_form(self, form, resident, contact):
        return render(self.request, self.template_name, {"form": form, "resident": resident, "contact": contact})

    def get(self, request, **kwargs):
        resident, contact = self.get_target()
        initial = {}
        if contact is not None:
            initial = {"name": contact.name, "relation": contact.relation, "phone": contact.phone, "note": contact.note}
        return self.render_form(EmergencyContactForm(initial=initial), resident, contact)

    def post(self, request, **kwargs):
        resident, contact = self.get_target()
        form = EmergencyContactForm(request.POST)
        if form.is_valid():
            actor = actor_of(request.user)
            try:
                if contact is None:
                    contact = services_contacts.add_contact(resident, actor=actor, **form.cleaned_data)
                else:
                    contact = services_contacts.update_contact(contact, actor=actor, **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"紧急联系人“{contact}”已保存。")
                return redirect(resident.get_absolute_url() + "#contacts")
        return self.render_form(form, resident, contact)


class EmergencyContactDeleteView(ScopedMixin, View):
    model = EmergencyContact
    action = "change"

    def post(self, request, pk):
        contact = self.get_scoped_object(self.scoped().select_related("resident"))
        services_contacts.delete_contact(contact, actor=actor_of(request.user))
        messages.success(request, f"已删除紧急联系人“{contact}”。")
        return redirect(contact.resident.get_absolute_url() + "#contacts")
