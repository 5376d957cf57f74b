"""调解员 and 调解室: everyone with mediation.view reads them over their area; secretaries and the street
(mediation.supervise) add and change them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.areas.scope import communities_for
from linli.core.audit import actor_of
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.mediation import services
from linli.mediation.choices import CaseStatus
from linli.mediation.forms import MediatorForm, RoomForm
from linli.mediation.models import MediationRoom, Mediator


def supervised_communities(user):
    return communities_for(user, "mediation.supervise").order_by("street_id", "code")


class MediatorListView(ScopedMixin, TemplateView):
    model = Mediator
    template_name = "mediation/mediator_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        mediators = (
            self.scoped()
            .select_related("community", "user")
            .annotate(
                total=Count("cases", distinct=True),
                settled=Count("cases", filter=Q(cases__status=CaseStatus.SETTLED), distinct=True),
            )
            .order_by("community__code", "-is_active", "name", "id")
        )
        rooms = MediationRoom.objects.restrict(user).select_related("community").prefetch_related("members")
        ctx.update(
            page=paginate(self.request, mediators, 50),
            rooms=rooms.order_by("community__code", "name"),
            can_manage=user.is_superuser or user.has_role_perm("mediation.supervise"),
        )
        return ctx


class _EditView(ScopedMixin, View):
    action = "supervise"
    form_class = None
    template_name = "mediation/people_form.html"
    what = ""

    def get_object(self):
        return self.get_scoped_object() if "pk" in self.kwargs else None

    def initial(self, obj):  # pragma: no cover
        raise NotImplementedError

    def form(self, obj, data=None):
        return self.form_class(data, communities=supervised_communities(self.request.user), initial=self.initial(obj))

    def render_form(self, form, obj):
        return render(self.request, self.template_name, {"form": form, "object": obj, "what": self.what})

    def get(self, request, pk=None):
        obj = self.get_object()
        return self.render_form(self.form(obj), obj)

    def post(self, request, pk=None):
        obj = self.get_object()
        form = self.form(obj, request.POST)
        if form.is_valid():
            try:
                self.save(obj, form.cleaned_data, actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"{self.what}已保存。")
                return redirect("mediation:mediator_list")
        return self.render_form(form, obj)


class MediatorEditView(_EditView):
    model = Mediator
    form_class = MediatorForm
    what = "调解员"

    def initial(self, obj):
        if obj is None:
            return {"is_active": True}
        return {
            "community": obj.community_id,
            "name": obj.name,
            "kind": obj.kind,
            "phone": obj.phone,
            "username": obj.user.username if obj.user_id else "",
            "is_active": obj.is_active,
        }

    def save(self, obj, data, actor):
        obj = obj or Mediator()
        obj.community, obj.name, obj.kind = data["community"], data["name"], data["kind"]
        obj.phone, obj.user, obj.is_active = data["phone"], data["username"], data["is_active"]
        services.save_mediator(obj, actor=actor)


class RoomEditView(_EditView):
    model = MediationRoom
    form_class = RoomForm
    what = "调解室"

    def initial(self, obj):
        if obj is None:
            return {}
        return {
            "community": obj.community_id,
            "name": obj.name,
            "description": obj.description,
            "members": [m.pk for m in obj.members.all()],
        }

    def save(self, obj, data, actor):
        obj = obj or MediationRoom()
        obj.community, obj.name, obj.description = data["community"], data["name"], data["description"]
        services.save_room(obj, actor=actor, members=data["members"])
