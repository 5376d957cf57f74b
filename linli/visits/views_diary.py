"""民情日记 pages: the list with live search, the note, and the form to write or edit one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Building
from linli.core.audit import actor_of, history_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.residents.models import Resident
from linli.visits import services
from linli.visits.filtersets import FieldNoteFilterSet
from linli.visits.forms import FieldNoteForm
from linli.visits.models import FieldNote


def _linked_residents(user):
    """Linked residents as the viewer may see them: a note can name people outside the viewer's scope."""
    return Prefetch("residents", queryset=Resident.objects.restrict(user).order_by("name", "id"))


class FieldNoteListView(ScopedMixin, TemplateView):
    """Newest first; the search box narrows by text, tag or resident name as you type (htmx)."""

    model = FieldNote
    filterset_class = FieldNoteFilterSet
    template_name = "visits/diary_list.html"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "diary-results":
            return ["visits/diary_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        query = self.request.GET.copy()
        query.pop("page", None)
        filterset = self.filterset_class(query, self.scoped(), request=self.request)
        notes = (
            filterset.qs.select_related("author", "grid", "community")
            .prefetch_related(_linked_residents(user))
            .order_by("-written_on", "-id")
        )
        ctx.update(
            page=paginate(self.request, notes, 30),
            q=query.get("q", "").strip(),
            tag=query.get("tag", "").strip(),
            filter=filterset,
            filter_errors=error_list(filterset),
            narrowed=any(query.get(k, "").strip() for k in filterset.filters),
            querystring=query.urlencode(),
            can_add=user.has_role_perm("diary.add"),
        )
        return ctx


class FieldNoteDetailView(ScopedMixin, TemplateView):
    model = FieldNote
    template_name = "visits/diary_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        note = self.get_scoped_object(
            self.scoped().select_related("author", "grid", "community").prefetch_related(_linked_residents(user))
        )
        ctx.update(
            note=note,
            buildings=Building.objects.restrict(user).filter(pk__in=note.buildings.values("pk")),
            can_edit=user.has_role_perm("diary.add") and (user.is_superuser or note.author_id == user.pk),
            can_browse=user.has_role_perm("area.view"),
        )
        if user.has_role_perm("history.view"):
            ctx["history"] = history_of(note)[:50]
            ctx["show_history"] = True
        return ctx


class FieldNoteEditView(ScopedMixin, View):
    """Write (no pk) or edit a note; only the author edits, everything goes through services."""

    model = FieldNote
    action = "add"
    template_name = "visits/diary_form.html"

    def get_note(self):
        if "pk" not in self.kwargs:
            return None
        note = self.get_scoped_object(action="view")
        user = self.request.user
        if not user.is_superuser and note.author_id != user.pk:
            raise PermissionDenied("只能修改自己写的民情日记。")
        return note

    def render_form(self, form, note):
        return render(self.request, self.template_name, {"form": form, "note": note})

    def get(self, request, pk=None):
        note = self.get_note()
        initial = FieldNoteForm.initial_for(note, request.user) if note else None
        return self.render_form(FieldNoteForm(user=request.user, initial=initial), note)

    def post(self, request, pk=None):
        note = self.get_note()
        form = FieldNoteForm(request.POST, user=request.user)
        if form.is_valid():
            actor = actor_of(request.user)
            try:
                if note is None:
                    note = services.create_note(actor=actor, **form.service_kwargs())
                else:
                    note = services.update_note(note, actor=actor, **form.service_kwargs())
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "民情日记已保存。")
                return redirect("visits:diary_detail", note.pk)
        return self.render_form(form, note)
