"""微心愿 pages: the list, a wish (public part for all, private part for staff and its claimer), the
form to record or edit one, and the buttons that claim, release, confirm, thank and withdraw."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.attachments.services import attach_photo_lists
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.wishes import services
from linli.wishes.choices import WishStatus
from linli.wishes.filtersets import ALL, WishFilterSet
from linli.wishes.forms import ClaimForm, FulfilForm, ReasonForm, ThanksForm, WishForm
from linli.wishes.models import Claimer, Wish, WishClaim
from linli.wishes.notify import remind_days

EMPTY_TABS = {
    WishStatus.OPEN: "现在没有等待认领的心愿。",
    WishStatus.CLAIMED: "现在没有正在实现的心愿。",
    WishStatus.FULFILLED: "还没有已实现的心愿。",
    WishStatus.CANCELLED: "没有撤销的心愿。",
}


class WishListView(ScopedMixin, TemplateView):
    """Wishes waiting for a claimer first; WishFilterSet (as the API) narrows by status, month and community."""

    model = Wish
    filterset_class = WishFilterSet
    template_name = "wishes/wish_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        data = self.request.GET.copy()
        data.pop("page", None)
        if not data.get("status"):
            data["status"] = WishStatus.OPEN  # the page opens on 待认领 (全部 is status=all)
        status = data["status"]
        manager = user.has_role_perm("wish.manage")
        live = Prefetch("claims", queryset=WishClaim.objects.live().select_related("claimer"), to_attr="live_claims")
        filterset = self.filterset_class(data, self.scoped(), request=self.request)
        wishes = (
            filterset.qs.select_related("community", "resident")
            .prefetch_related(live)
            .order_by("target_date", "-created_at", "-id")
        )
        page = paginate(self.request, wishes, 30)
        today, days = timezone.localdate(), remind_days()
        for wish in page:
            # The list is the public part only, for everyone: the anonymiser runs on every line.
            wish.public_title = services.public_text(wish.title, wish.private_names())
            wish.public_description = services.public_text(wish.description, wish.private_names())
            wish.live_claim = wish.live_claims[0] if wish.live_claims else None
            if wish.live_claim and wish.status == WishStatus.CLAIMED:
                wish.claimed_days = (today - timezone.localdate(wish.live_claim.claimed_at)).days
                wish.claim_overdue = wish.claimed_days > days
        mine = WishClaim.objects.live().filter(claimer__user=user).select_related("wish", "wish__community")
        narrowed = any(data.get(k) for k in filterset.filters if k != "status")
        others = data.copy()
        others.pop("status", None)
        ctx.update(
            page=page,
            status=status,
            statuses=[(WishStatus.OPEN, "待认领"), (WishStatus.CLAIMED, "已认领"), (WishStatus.FULFILLED, "已实现")]
            + ([(WishStatus.CANCELLED, "已撤销"), (ALL, "全部")] if manager else []),
            filter=filterset,
            filter_errors=error_list(filterset),
            many_communities=filterset.filters["community"].queryset[:2].count() > 1,
            tab_query=others.urlencode(),
            my_claims=list(mine[:50]) if user.has_role_perm("wish.claim") else [],
            can_add=manager,
            empty="没有符合筛选条件的心愿。" if narrowed else EMPTY_TABS.get(status, "暂时没有心愿。"),
            remind_days=days,
        )
        return ctx


class WishDetailView(ScopedMixin, TemplateView):
    model = Wish
    template_name = "wishes/wish_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        wish = self.get_scoped_object(self.scoped().select_related("community", "resident"))
        claim = services.live_claim(wish)
        manage = services.can_manage(user, wish)
        private = manage or (claim is not None and claim.claimer.user_id == user.pk)
        ctx.update(
            wish=wish,
            claim=claim,
            manage=manage,
            show_private=private,
            public_title=services.public_text(wish.title, wish.private_names()),
            public_description=services.public_text(wish.description, wish.private_names()),
            can_claim=wish.status == WishStatus.OPEN
            and user.has_role_perm("wish.claim")
            and Claimer.objects.filter(user=user, community_id=wish.community_id, is_active=True).exists(),
            is_mine=claim is not None and claim.claimer.user_id == user.pk,
            may_claim=user.has_role_perm("wish.claim"),
            remind_days=remind_days(),
        )
        if private:
            claims = attach_photo_lists(wish.claims.select_related("claimer").order_by("claimed_at", "id"))
            ctx["claims"] = claims
            ctx["photos"] = [p for c in claims for p in c.attached_photos]
            ctx["events"] = wish.events.select_related("actor", "claimer")
        if manage:
            ctx.update(
                claim_form=ClaimForm(wish=wish),
                reason_form=ReasonForm(),
                cancel_form=ReasonForm(auto_id="cancel_%s"),  # two reason forms on one page: distinct ids
                fulfil_form=FulfilForm(),
                thanks_form=ThanksForm(initial={"text": wish.thanks}),
            )
        return ctx


class WishEditView(ScopedMixin, View):
    """Record (no pk) or edit a wish: staff of the community (wish.manage)."""

    model = Wish
    action = "manage"
    template_name = "wishes/wish_form.html"

    def get_wish(self):
        return self.get_scoped_object() if "pk" in self.kwargs else None

    def form(self, wish, data=None):
        communities = services.manageable_communities(self.request.user)
        initial = WishForm.initial_for(wish) if wish else None
        return WishForm(data, communities=communities, editing=wish is not None, initial=initial)

    def render_form(self, form, wish):
        return render(self.request, self.template_name, {"form": form, "wish": wish})

    def get(self, request, pk=None):
        wish = self.get_wish()
        return self.render_form(self.form(wish), wish)

    def post(self, request, pk=None):
        wish = self.get_wish()
        form = self.form(wish, request.POST)
        if form.is_valid():
            actor = actor_of(request.user)
            try:
                if wish is None:
                    wish = services.create_wish(
                        actor=actor, community=form.cleaned_data["community"], **form.service_kwargs()
                    )
                else:
                    wish = services.update_wish(wish, actor=actor, **form.service_kwargs())
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "心愿已保存。")
                return redirect("wishes:wish_detail", wish.pk)
        return self.render_form(form, wish)


class _WishActionView(ScopedMixin, View):
    """POST a button on the wish page; the service decides, refusals come back as a message on the page."""

    model = Wish
    form_class = ReasonForm
    done = ""

    def run(self, wish, form, actor):  # pragma: no cover - each subclass says what it does
        raise NotImplementedError

    def form(self, wish):
        return self.form_class(self.request.POST, self.request.FILES)

    def post(self, request, pk):
        wish = self.get_scoped_object()
        form = self.form(wish)
        if not form.is_valid():
            for errors in form.errors.values():
                for e in errors:
                    messages.error(request, e)
            return redirect("wishes:wish_detail", wish.pk)
        try:
            self.run(wish, form, actor_of(request.user))
        except ValidationError as exc:
            for e in exc.messages:
                messages.error(request, e)
        else:
            messages.success(request, self.done)
        return redirect("wishes:wish_detail", wish.pk)


class WishClaimView(_WishActionView):
    """A volunteer claims as themself; staff may record a claim for a registered claimer (the service decides)."""

    form_class = ClaimForm
    done = "认领成功。送达需要的信息已在下面显示。"

    def form(self, wish):
        return ClaimForm(self.request.POST, wish=wish)

    def run(self, wish, form, actor):
        services.claim_wish(wish, actor=actor, claimer=form.cleaned_data["claimer"], note=form.cleaned_data["note"])


class WishReleaseView(_WishActionView):
    done = "已取消认领，心愿回到待认领列表。"

    def run(self, wish, form, actor):
        services.release_claim(wish, actor=actor, reason=form.cleaned_data["reason"])


class WishFulfilView(_WishActionView):
    action = "manage"
    form_class = FulfilForm
    done = "已确认心愿实现。"

    def run(self, wish, form, actor):
        services.confirm_fulfilment(
            wish, actor=actor, photos=form.cleaned_data["photos"], note=form.cleaned_data["note"]
        )


class WishThanksView(_WishActionView):
    action = "manage"
    form_class = ThanksForm
    done = "已记录心愿人的感谢。"

    def run(self, wish, form, actor):
        services.record_thanks(wish, actor=actor, text=form.cleaned_data["text"])


class WishCancelView(_WishActionView):
    action = "manage"
    done = "心愿已撤销。"

    def run(self, wish, form, actor):
        services.cancel_wish(wish, actor=actor, reason=form.cleaned_data["reason"])
