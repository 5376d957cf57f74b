"""心愿认领人: the community's party members (在职党员双报到 among them) and resident organisations."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of
from linli.core.forms import attach_errors
from linli.core.phone import mask_phone
from linli.core.views import ScopedMixin, paginate
from linli.wishes import services
from linli.wishes.forms import ClaimerForm
from linli.wishes.models import Claimer


class ClaimerListView(ScopedMixin, TemplateView):
    model = Claimer
    action = "manage"
    template_name = "wishes/claimer_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        claimers = (
            self.scoped()
            .select_related("community", "user")
            .annotate(
                live=Count("claims", filter=Q(claims__released_at__isnull=True, claims__fulfilled=False)),
                done=Count("claims", filter=Q(claims__fulfilled=True)),
            )
            .order_by("community__name", "kind", "name", "id")
        )
        page = paginate(self.request, claimers, 50)
        for c in page:
            c.masked_phone = mask_phone(c.phone) if c.phone else ""
        ctx["page"] = page
        return ctx


class ClaimerEditView(ScopedMixin, View):
    model = Claimer
    action = "manage"
    template_name = "wishes/claimer_form.html"

    def get_claimer(self):
        return self.get_scoped_object() if "pk" in self.kwargs else None

    def form(self, claimer, data=None):
        communities = services.manageable_communities(self.request.user)
        return ClaimerForm(data, instance=claimer, communities=communities)

    def get(self, request, pk=None):
        claimer = self.get_claimer()
        return render(request, self.template_name, {"form": self.form(claimer), "claimer": claimer})

    def post(self, request, pk=None):
        claimer = self.get_claimer()
        form = self.form(claimer, request.POST)
        if form.is_valid():
            try:
                services.save_claimer(form.save_claimer(), actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "认领人已保存。")
                return redirect("wishes:claimer_list")
        return render(request, self.template_name, {"form": form, "claimer": claimer})
