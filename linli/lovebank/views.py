"""Love bank pages for staff: accounts and statements, the counter (兑换登记), redemptions, reversals;
and the resident's own account (我的积分), in large type."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.lovebank import services, stats
from linli.lovebank.choices import RedemptionStatus, TransactionKind
from linli.lovebank.filtersets import AccountFilterSet
from linli.lovebank.forms import HolderForm, RedemptionForm
from linli.lovebank.models import Account, CatalogueItem, Deed, Redemption, Transaction


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class AccountListView(ScopedMixin, TemplateView):
    """积分账户: find a person by name or phone (htmx as you type), see the balance, go to the counter."""

    model = Account
    filterset_class = AccountFilterSet
    template_name = "lovebank/account_list.html"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "account-results":
            return ["lovebank/account_results.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        data = self.request.GET.copy()
        data.pop("page", None)
        filterset = self.filterset_class(data, self.scoped().holders(), request=self.request)
        accounts = filterset.qs.select_related(
            "resident", "resident__building", "resident__household", "community"
        ).order_by("-balance", "id")
        ctx.update(
            page=paginate(self.request, accounts, 30),
            q=data.get("q", "").strip(),
            filter=filterset,
            filter_errors=error_list(filterset),
            many_communities=filterset.filters["community"].queryset[:2].count() > 1,
            can_add=self.request.user.has_role_perm("lovebank.add"),
        )
        return ctx


class AccountDetailView(ScopedMixin, TemplateView):
    """A person's statement: every movement with the balance after it (a resident sees only their own)."""

    model = Account
    template_name = "lovebank/account_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        account = self.get_scoped_object(self.scoped().holders().select_related("resident", "community"))
        ctx.update(
            account=account,
            page=paginate(self.request, stats.statement(account), 50),
            pending=account.redemptions.filter(status=RedemptionStatus.PENDING).select_related("item"),
            can_add=user.has_role_perm("lovebank.add"),
            can_reverse=user.has_role_perm("lovebank.reverse"),
            can_see_resident=user.has_role_perm("resident.view"),
            reversible=(TransactionKind.AWARD, TransactionKind.DEED, TransactionKind.DONATE),
        )
        return ctx


class MyAccountView(LoginRequiredMixin, TemplateView):
    """我的积分: the resident's balance, statement and what their points buy."""

    template_name = "lovebank/my_account.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.has_role_perm("lovebank.view_self") and user.resident_id):
            raise PermissionDenied("只有居民账号可以查看自己的积分。")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        account = Account.objects.restrict(user).filter(community_id=user.resident.community_id).first()
        ctx.update(
            account=account,
            page=paginate(self.request, stats.statement(account), 30) if account else None,
            items=CatalogueItem.objects.restrict(user).order_by("order", "id"),
            deeds=Deed.objects.restrict(user).order_by("-reported_at")[:10],
        )
        return ctx


class RedemptionAddView(ScopedMixin, View):
    """The counter: the person's balance, the items, one tap to confirm. The form's key makes a double
    tap (or a resubmit on a weak network) one redemption."""

    model = Account
    action = "add"
    template_name = "lovebank/redemption_form.html"

    def setup_account(self):
        self.account = self.get_scoped_object(self.scoped().holders().select_related("resident", "community"))
        self.items = CatalogueItem.objects.filter(community_id=self.account.community_id, is_active=True).order_by(
            "order", "id"
        )

    def render_form(self, form):
        return render(self.request, self.template_name, {"form": form, "account": self.account, "items": self.items})

    def get(self, request, pk):
        self.setup_account()
        return self.render_form(RedemptionForm(items=self.items, initial={"key": uuid.uuid4().hex}))

    def post(self, request, pk):
        self.setup_account()
        form = RedemptionForm(request.POST, items=self.items)
        if form.is_valid():
            data = form.cleaned_data
            try:
                redemption = services.redeem(
                    self.account,
                    data["item"],
                    quantity=data["quantity"],
                    collected=data["collected"],
                    note=data["note"],
                    source_key=f"counter:{data['key']}",
                    actor=actor_of(request.user),
                    confirm_repeat=data["confirm_repeat"],
                )
            except services.RepeatRedemption as exc:
                attach_errors(form, exc)
                form.ask_to_confirm_repeat()
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                self.account.refresh_from_db()
                messages.success(
                    request,
                    f"已兑换{redemption.item.name}×{redemption.quantity}，扣{redemption.points}分，"
                    f"{self.account.name}还剩{self.account.balance}分。",
                )
                return redirect("lovebank:account_detail", self.account.pk)
        # A refused attempt gets a fresh key, so that the corrected one is not taken for a replay.
        form.data = form.data.copy()
        form.data["key"] = uuid.uuid4().hex
        return self.render_form(form)


class RedemptionListView(ScopedMixin, TemplateView):
    model = Redemption
    template_name = "lovebank/redemption_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", RedemptionStatus.PENDING)
        rows = self.scoped().select_related("account", "account__resident", "item", "created_by", "collected_by")
        if status in RedemptionStatus.values:
            rows = rows.filter(status=status)
        ctx.update(
            page=paginate(self.request, rows.order_by("-created_at", "-id"), 50),
            status=status,
            statuses=RedemptionStatus.choices,
            can_add=self.request.user.has_role_perm("lovebank.add"),
        )
        return ctx


class _RedemptionActionView(ScopedMixin, View):
    model = Redemption
    action = "add"

    def post(self, request, pk):
        redemption = self.get_scoped_object(action="view")
        try:
            self.act(redemption, request)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = "lovebank:redemption_list"
        return redirect(target or "lovebank:redemption_list")


class RedemptionCollectView(_RedemptionActionView):
    def act(self, redemption, request):
        services.collect_redemption(redemption, actor=actor_of(request.user))
        messages.success(request, f"{redemption.account.name}已领取{redemption.item.name}。")


class RedemptionCancelView(_RedemptionActionView):
    def act(self, redemption, request):
        services.cancel_redemption(redemption, actor=actor_of(request.user), reason=request.POST.get("reason", ""))
        messages.success(request, f"已取消兑换，{redemption.points}分退回{redemption.account.name}，库存已恢复。")


class TransactionReverseView(ScopedMixin, View):
    """冲正: a new opposite transaction; the original stays in the statement, marked as reversed."""

    model = Transaction
    action = "reverse"

    def post(self, request, pk):
        txn = self.get_scoped_object(action="view")
        try:
            services.reverse_transaction(txn, actor=actor_of(request.user), reason=request.POST.get("reason", ""))
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已冲正，原记录保留在明细中。")
        account = txn.entries.filter(balance_after__isnull=False).values_list("account_id", flat=True).first()
        return redirect("lovebank:account_detail", account) if account else redirect("lovebank:account_list")


class HolderAddView(ScopedMixin, View):
    """Open an account for someone outside the registry (name and phone)."""

    model = Account
    action = "add"
    template_name = "lovebank/holder_form.html"

    def communities(self):
        return Community.objects.restrict(self.request.user).order_by("code")

    def get(self, request):
        return render(request, self.template_name, {"form": HolderForm(communities=self.communities())})

    def post(self, request):
        form = HolderForm(request.POST, communities=self.communities())
        if form.is_valid():
            community = get_object_or_404(self.communities(), pk=form.cleaned_data["community"])
            try:
                account = services.open_outside_account(
                    community,
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    actor=actor_of(request.user),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已为{account.name}开户。")
                return redirect("lovebank:account_detail", account.pk)
        return render(request, self.template_name, {"form": form})
