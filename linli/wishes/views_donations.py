"""爱心衣物: the community's stock of donated goods, and the form that logs a donation in or a take out."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View

from linli.core.audit import actor_of
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin
from linli.wishes import services
from linli.wishes.forms import DonationForm
from linli.wishes.models import DonationMove, DonationStock


class DonationStockView(ScopedMixin, View):
    model = DonationStock
    template_name = "wishes/donation_stock.html"

    def form(self, data=None):
        communities = services.manageable_communities(self.request.user, "donation.manage")
        return DonationForm(data, communities=communities)

    def render_page(self, form):
        user = self.request.user
        stock = self.scoped().select_related("community").order_by("community__name", "kind")
        moves = DonationMove.objects.restrict(user).select_related("stock", "community", "recorded_by")[:30]
        ctx = {
            "stock": stock,
            "moves": moves,
            "form": form if user.has_role_perm("donation.manage") else None,
        }
        return render(self.request, self.template_name, ctx)

    def get(self, request):
        return self.render_page(self.form())

    def post(self, request):
        from linli.core.querysets import require_perm

        require_perm(request.user, "donation.manage")
        form = self.form(request.POST)
        if form.is_valid():
            try:
                move = services.record_donation(
                    form.cleaned_data["community"], actor=actor_of(request.user), **form.service_kwargs()
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已登记{move.get_direction_display()}{move.stock.get_kind_display()}{move.quantity}件，"
                    f"现有{move.balance_after}件。",
                )
                return redirect("wishes:donation_stock")
        return self.render_page(form)
