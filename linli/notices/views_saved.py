"""常用名单 pages: the lists of the user's communities, a new list (empty, or from the audience picker's choice), a
list's members as the user may see them with a search to add residents, renaming, removing members and deleting.
Every change goes through linli.notices.services_saved."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.views import ScopedMixin, paginate
from linli.notices import services_saved
from linli.notices.filtersets import SavedAudienceFilterSet
from linli.notices.forms import AudienceForm, SavedAudienceForm
from linli.notices.models import SavedAudience
from linli.residents.models import Resident
from linli.residents.search import search_order, search_q

MAX_HITS = 20


class SavedAudienceListView(ScopedMixin, TemplateView):
    model = SavedAudience
    template_name = "notices/saved_audience_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = SavedAudienceFilterSet(self.request.GET, self.scoped(), request=self.request)
        lists = filterset.qs.select_related("community", "created_by").annotate(size=Count("residents"))
        ctx.update(page=paginate(self.request, lists.order_by("community_id", "name"), 50), filter=filterset)
        ctx["filter_errors"] = error_list(filterset)
        return ctx


class SavedAudienceAddView(ScopedMixin, View):
    """A new list. With an audience in the query string (the picker's 存为常用名单), its residents as the user sees
    them go in; the choice travels in a hidden field so that the list holds what the page said."""

    model = SavedAudience
    action = "add"
    template_name = "notices/saved_audience_form.html"

    def audience_form(self, query: str):
        if not query:
            return None
        return AudienceForm(QueryDict(query), user=self.request.user)

    def show(self, form, query, status=200):
        audience_form = self.audience_form(query)
        ctx = {"form": form, "query": query, "audience_form": audience_form}
        if audience_form is not None and audience_form.is_valid():
            ctx.update(audience=audience_form.audience, counts=audience_form.audience.counts(self.request.user))
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request):
        query = request.GET.urlencode()
        audience_form = self.audience_form(query)
        initial = {"community": audience_form.community.pk} if audience_form and audience_form.community else None
        return self.show(SavedAudienceForm(user=request.user, initial=initial), query)

    def post(self, request):
        query = request.POST.get("audience", "")
        form = SavedAudienceForm(request.POST, user=request.user)
        audience_form = self.audience_form(query)
        if audience_form is not None and not audience_form.is_valid():
            form.add_error(None, "通知对象的条件有误，请回到通知页面重新选择。")
        if form.is_valid() and not form.errors:
            residents = None
            community = form.cleaned_data["community"]
            if audience_form is not None:
                if audience_form.community != community:
                    form.add_error("community", "名单的社区和通知对象的社区不一致。")
                    return self.show(form, query, status=400)
                residents = audience_form.audience.residents(request.user)
            try:
                saved = services_saved.create_saved_audience(
                    actor=actor_of(request.user),
                    community=community,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    residents=residents,
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "名单已建立。")
                return redirect("notices:saved_audience_detail", saved.pk)
        return self.show(form, query, status=400)


class SavedAudienceDetailView(ScopedMixin, TemplateView):
    """The list's members the user may see (a grid worker: their grid's; the others are counted, not named), and a
    search among the community's residents to add."""

    model = SavedAudience
    template_name = "notices/saved_audience_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        saved = self.get_scoped_object(self.scoped().select_related("community", "created_by"))
        visible = Resident.objects.restrict(user).filter(saved_audiences=saved)
        members = visible.select_related("household__building").order_by("building__number", "household_id", "id")
        total = saved.residents.count()
        text = (self.request.GET.get("q") or "").strip()[:50]
        hits = []
        q = search_q(text)
        if q is not None:
            hits = list(
                Resident.objects.restrict(user)
                .active()
                .filter(q, community_id=saved.community_id)
                .exclude(saved_audiences=saved)
                .select_related("household__building")
                .order_by(*search_order(text))[:MAX_HITS]
            )
        ctx.update(
            saved=saved,
            page=paginate(self.request, members, 100),
            hidden=total - visible.count(),
            total=total,
            q=text,
            hits=hits,
            searched=q is not None,
            can_change=services_saved.can_change(user, saved),
            can_add=user.is_superuser or user.has_role_perm("notice.add"),
        )
        if self.request.htmx and self.request.GET.get("part") == "hits":
            self.template_name = "notices/_saved_audience_hits.html"
        return ctx


class _SavedAction(ScopedMixin, View):
    model = SavedAudience
    action = "add"


class SavedAudienceMembersView(_SavedAction):
    """POST add=<resident id> or remove=<resident id> (several allowed)."""

    def post(self, request, pk):
        saved = self.get_scoped_object()
        actor = actor_of(request.user)
        add = [i for i in map(parse_id, request.POST.getlist("add")) if i]
        remove = [i for i in map(parse_id, request.POST.getlist("remove")) if i]
        if not add and not remove:
            messages.error(request, "请先选择要加入或移出的居民。")
            return redirect("notices:saved_audience_detail", saved.pk)
        try:
            if add:
                n = services_saved.add_members(saved, actor=actor, resident_ids=add)
                messages.success(request, f"已加入{n}人。" if n else "这些居民已经在名单里。")
            if remove:
                n = services_saved.remove_members(saved, actor=actor, resident_ids=remove)
                messages.success(request, f"已移出{n}人。")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        back = request.POST.get("q", "")
        url = redirect("notices:saved_audience_detail", saved.pk).url
        return redirect(f"{url}?{urlencode({'q': back[:50]})}" if back and add else url)


class SavedAudienceEditView(_SavedAction):
    template_name = "notices/saved_audience_form.html"

    def get(self, request, pk):
        saved = self.get_scoped_object()
        if not services_saved.can_change(request.user, saved):
            messages.error(request, services_saved.NOT_YOURS)
            return redirect("notices:saved_audience_detail", saved.pk)
        form = SavedAudienceForm(
            user=request.user, saved=saved, initial={"name": saved.name, "description": saved.description}
        )
        return render(request, self.template_name, {"form": form, "saved": saved})

    def post(self, request, pk):
        saved = self.get_scoped_object()
        form = SavedAudienceForm(request.POST, user=request.user, saved=saved)
        if form.is_valid():
            try:
                services_saved.update_saved_audience(
                    saved,
                    actor=actor_of(request.user),
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "名单已保存。")
                return redirect("notices:saved_audience_detail", saved.pk)
        return render(request, self.template_name, {"form": form, "saved": saved}, status=400)


class SavedAudienceDeleteView(_SavedAction):
    def post(self, request, pk):
        saved = self.get_scoped_object()
        try:
            services_saved.delete_saved_audience(saved, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("notices:saved_audience_detail", saved.pk)
        messages.success(request, f"名单“{saved.name}”已删除。用它发过的通知不受影响。")
        return redirect("notices:saved_audience_list")
