"""结对帮扶（志愿者/单位） pages: the list (HelpPairingFilterSet), a new pairing, a pairing's diary, 记一笔 and its
end. Field roles over their area; a helper volunteer's own account opens its own pairings and records contacts."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Household
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.phone import mask_phone
from linli.core.views import ScopedMixin, paginate
from linli.support import services
from linli.support.filtersets import HelpPairingFilterSet
from linli.support.forms import HelpContactForm, HelpEndForm, HelpPairingForm
from linli.support.models import HelpContact, HelpPairing
from linli.support.views_directory import filtered


def is_helper(user) -> bool:
    """A volunteer account paired with a household (it keeps its own pairings)."""
    return bool(user.is_authenticated and HelpPairing.objects.filter(volunteer__user=user).exists())


class PairingMixin(ScopedMixin):
    """support.<perm> for field roles; with `helpers_too`, a helper's own account too; 403 for everyone else."""

    model = HelpPairing
    permission = "support.view"
    helpers_too = False

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_superuser or user.has_role_perm(self.permission)):
            if not (self.helpers_too and is_helper(user)):
                raise PermissionDenied("您的角色没有这项权限。")
        return super(ScopedMixin, self).dispatch(request, *args, **kwargs)

    def pairing(self, action: str = "view"):
        rows = self.scoped(action).select_related("household__building", "volunteer", "organisation", "community")
        return get_object_or_404(rows, pk=self.kwargs["pk"])


def with_last_contact(rows):
    last = HelpContact.objects.filter(pairing_id=OuterRef("pk")).order_by("-contacted_on", "-id")
    return rows.annotate(last_contact=Subquery(last.values("contacted_on")[:1]), contact_count=Count("contacts"))


class PairingListView(PairingMixin, TemplateView):
    template_name = "support/pairing_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        rows = self.scoped().select_related("household__building", "volunteer", "organisation", "community")
        filterset = HelpPairingFilterSet(self.request.GET or None, rows, user=user)
        page = paginate(self.request, with_last_contact(filtered(filterset)).order_by("-started_on", "-id"), 30)
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset),
            page=page,
            can_add=user.has_role_perm("support.add"),
        )
        return ctx


class PairingAddView(PairingMixin, View):
    permission = "support.add"
    template_name = "support/pairing_form.html"

    def get(self, request):
        form = HelpPairingForm(user=request.user, initial={"household": parse_id(request.GET.get("household"))})
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = HelpPairingForm(request.POST, user=request.user)
        if form.is_valid():
            data = dict(form.cleaned_data)
            household = data.pop("household")
            try:
                pairing = services.pair(household, actor=actor_of(request.user), **data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已结对：{pairing.helper} — {pairing.household}")
                return redirect(pairing)
        return render(request, self.template_name, {"form": form})


class PairingDetailView(PairingMixin, TemplateView):
    helpers_too = True
    template_name = "support/pairing_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        pairing = self.pairing()
        ctx.update(
            pairing=pairing,
            helper_phone=pairing.helper_phone
            if user.has_role_perm("resident.reveal_phone")
            else mask_phone(pairing.helper_phone),
            contacts=pairing.contacts.select_related("recorded_by"),
            assistance=pairing.assistance.order_by("-given_on", "-id")[:20],
            can_record=pairing.is_live and self.scoped("record").filter(pk=pairing.pk).exists(),
            can_end=pairing.is_live and self.scoped("add").filter(pk=pairing.pk).exists(),
            household_link=Household.objects.restrict(user).filter(pk=pairing.household_id).exists(),
            end_form=HelpEndForm(),
        )
        return ctx


class ContactAddView(PairingMixin, View):
    """记一笔 on a live pairing: field roles over the household, or the helper volunteer themself."""

    permission = "support.add"
    helpers_too = True
    template_name = "support/pairing_contact.html"

    def get(self, request, pk):
        pairing = self.pairing("record")
        return render(request, self.template_name, {"pairing": pairing, "form": HelpContactForm()})

    def post(self, request, pk):
        pairing = self.pairing("record")
        form = HelpContactForm(request.POST)
        if form.is_valid():
            try:
                services.add_contact(pairing, actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已记下这次联系。")
                return redirect(pairing)
        return render(request, self.template_name, {"pairing": pairing, "form": form})


class PairingEndView(PairingMixin, View):
    permission = "support.add"

    def post(self, request, pk):
        pairing = self.pairing("add")
        form = HelpEndForm(request.POST)
        if form.is_valid():
            try:
                services.end_pairing(
                    pairing,
                    actor=actor_of(request.user),
                    ended_on=form.cleaned_data["ended_on"],
                    reason=form.cleaned_data["end_reason"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已结束结对。")
                return redirect(pairing)
        messages.error(request, "未能结束结对：" + "；".join(e for errs in form.errors.values() for e in errs))
        return redirect(pairing)
