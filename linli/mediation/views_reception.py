"""顺顺吧 reception log: the list (ReceptionFilterSet) and the quick add (a visitor heard, on a phone)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.areas.scope import communities_for
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.mediation import services
from linli.mediation.filtersets import ReceptionFilterSet
from linli.mediation.forms import ReceptionForm
from linli.mediation.models import Reception


class ReceptionListView(ScopedMixin, TemplateView):
    model = Reception
    action = "receive"
    template_name = "mediation/reception_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        data = self.request.GET.copy()
        data.pop("page", None)
        filterset = ReceptionFilterSet(data, self.scoped(), request=self.request)
        rows = filterset.qs.select_related("community", "staff", "case").order_by("-received_on", "-id")
        ctx.update(
            page=paginate(self.request, rows, 50),
            filter=filterset,
            filter_errors=error_list(filterset),
            many_communities=filterset.filters["community"].queryset[:2].count() > 1,
        )
        return ctx


class ReceptionAddView(ScopedMixin, View):
    model = Reception
    action = "receive"
    template_name = "mediation/reception_form.html"

    def form(self, data=None):
        communities = communities_for(self.request.user, "mediation.receive").order_by("street_id", "code")
        return ReceptionForm(data, communities=communities)

    def get(self, request):
        return render(request, self.template_name, {"form": self.form()})

    def post(self, request):
        form = self.form(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reception = services.log_reception(actor=actor_of(request.user), **data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                if reception.case_id:
                    messages.success(request, f"已登记接待，并受理调解案件 {reception.case.number}。")
                else:
                    messages.success(request, "已登记接待。")
                return redirect("mediation:reception_list")
        return render(request, self.template_name, {"form": form})
