"""Love bank pages: good deeds (report, approve once) and the catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.views import ScopedMixin, paginate
from linli.lovebank import services
from linli.lovebank.choices import DeedStatus
from linli.lovebank.filtersets import CatalogueItemFilterSet
from linli.lovebank.forms import CatalogueItemForm, DeedApproveForm, DeedForm
from linli.lovebank.models import Account, CatalogueItem, Deed
from linli.lovebank.views import error_text
from linli.residents.models import Resident


class DeedListView(ScopedMixin, TemplateView):
    model = Deed
    template_name = "lovebank/deed_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", DeedStatus.PENDING)
        rows = self.scoped().select_related("account", "account__resident", "reported_by")
        if status in DeedStatus.values:
            rows = rows.filter(status=status)
        ctx.update(page=paginate(self.request, rows, 50), status=status, statuses=DeedStatus.choices)
        return ctx


class DeedAddView(ScopedMixin, View):
    """Staff report a deed (optionally for an account: ?account=<pk>); a resident reports one too."""

    model = Deed
    permission = "lovebank.report"
    template_name = "lovebank/deed_form.html"

    def context(self, form):
        user = self.request.user
        account = None
        if account_id := parse_id(self.request.GET.get("account")):
            account = get_object_or_404(Account.objects.restrict(user).holders(), pk=account_id)
        resident_self = not user.has_role_perm("lovebank.add")
        self.communities = [] if resident_self or account else list(Community.objects.restrict(user).order_by("code"))
        return {"form": form, "account": account, "resident_self": resident_self}

    def get(self, request):
        ctx = self.context(None)
        initial = {"occurred_on": timezone.localdate()}
        if ctx["account"]:
            initial["subject_name"] = ctx["account"].name
        elif ctx["resident_self"] and request.user.resident_id:
            initial["subject_name"] = request.user.resident.name
        ctx["form"] = DeedForm(initial=initial, communities=self.communities)
        return render(request, self.template_name, ctx)

    def post(self, request):
        ctx = self.context(None)
        form, user = DeedForm(request.POST, communities=self.communities), request.user
        ctx["form"] = form
        if form.is_valid():
            data = form.cleaned_data
            account = ctx["account"]
            if ctx["resident_self"]:
                if not user.resident_id:
                    raise PermissionDenied("居民账号没有对应的居民档案。")
                community = user.resident.community
                if data["subject_name"] == user.resident.name:  # for themselves: credited to their own account
                    account = services.resident_account(user.resident)
            else:
                community = account.community if account else self.pick_community(data.get("community"))
            try:
                deed = services.report_deed(
                    community=community,
                    subject_name=data["subject_name"],
                    description=data["description"],
                    occurred_on=data["occurred_on"],
                    points=data.get("points") or 0,
                    account=account,
                    actor=actor_of(user),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "好人好事已登记，等待社区审核。")
                if ctx["resident_self"]:
                    return redirect("lovebank:my_account")
                return redirect("lovebank:deed_detail", deed.pk)
        return render(request, self.template_name, ctx)

    def pick_community(self, pk):
        chosen = [c for c in self.communities if c.pk == pk] or self.communities[:1]
        if not chosen:
            raise PermissionDenied("您没有管辖的社区。")
        return chosen[0]


class DeedDetailView(ScopedMixin, TemplateView):
    model = Deed
    template_name = "lovebank/deed_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        deed = self.get_scoped_object(self.scoped().select_related("account", "account__resident", "reported_by"))
        can_approve = user.has_role_perm("lovebank.approve") and deed.status == DeedStatus.PENDING
        ctx.update(deed=deed, can_approve=can_approve, transactions=deed.transactions.order_by("id"))
        if can_approve:
            ctx["approve_form"] = kwargs.get("approve_form") or DeedApproveForm(
                candidates=_candidates(user, deed), initial={"points": deed.points or None}
            )
        return ctx


def _candidates(user, deed):
    """Residents of the deed's community with the reported name, as the approver may see them."""
    rows = (
        Resident.objects.restrict(user)
        .active()
        .filter(community_id=deed.community_id, name=deed.subject_name)
        .select_related("building", "household")[:20]
    )
    return [(r.pk, f"{r.name}（{r.building.name}{r.household.entrance}单元{r.household.room}）") for r in rows]


class DeedApproveView(ScopedMixin, View):
    model = Deed
    permission = "lovebank.approve"

    def post(self, request, pk):
        deed = self.get_scoped_object(action="view")
        user = request.user
        form = DeedApproveForm(request.POST, candidates=_candidates(user, deed))
        if form.is_valid():
            account = None
            if form.cleaned_data["resident"]:
                resident = get_object_or_404(Resident.objects.restrict(user), pk=form.cleaned_data["resident"])
                account = services.resident_account(resident)
            try:
                services.approve_deed(
                    deed,
                    actor=actor_of(user),
                    points=form.cleaned_data["points"],
                    account=account,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已审核通过，积分已记入账户。")
                return redirect("lovebank:deed_detail", deed.pk)
        view = DeedDetailView(request=request, kwargs={"pk": pk})
        return render(request, DeedDetailView.template_name, view.get_context_data(approve_form=form))


class DeedRejectView(ScopedMixin, View):
    model = Deed
    permission = "lovebank.approve"

    def post(self, request, pk):
        deed = self.get_scoped_object(action="view")
        try:
            services.reject_deed(deed, actor=actor_of(request.user), note=request.POST.get("note", ""))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已标记为未通过。")
        return redirect("lovebank:deed_detail", deed.pk)


class CatalogueItemListView(ScopedMixin, TemplateView):
    model = CatalogueItem
    filterset_class = CatalogueItemFilterSet
    template_name = "lovebank/item_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = self.filterset_class(self.request.GET, self.scoped(), request=self.request)
        items = filterset.qs.select_related("community").order_by("community__code", "order", "id")
        ctx.update(
            items=items,
            filter=filterset,
            filter_errors=error_list(filterset),
            many_communities=filterset.filters["community"].queryset[:2].count() > 1,
            can_manage=self.request.user.has_role_perm("lovebank.manage"),
        )
        return ctx


class CatalogueItemEditView(ScopedMixin, View):
    model = CatalogueItem
    action = "manage"
    template_name = "lovebank/item_form.html"

    def communities(self):
        return Community.objects.restrict(self.request.user).order_by("code")

    def get_item(self):
        return self.get_scoped_object() if "pk" in self.kwargs else None

    def render_form(self, form, item):
        return render(self.request, self.template_name, {"form": form, "item": item, "communities": self.communities()})

    def get(self, request, pk=None):
        item = self.get_item()
        return self.render_form(CatalogueItemForm(instance=item), item)

    def post(self, request, pk=None):
        item = self.get_item()
        form = CatalogueItemForm(request.POST, instance=item)
        if form.is_valid():
            obj = form.save(commit=False)
            if item is None:
                obj.community = get_object_or_404(self.communities(), pk=request.POST.get("community"))
            try:
                services.save_item(obj, actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"“{obj.name}”已保存。")
                return redirect("lovebank:item_list")
        return self.render_form(form, item)
