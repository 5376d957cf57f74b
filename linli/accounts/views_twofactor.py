"""两步验证 pages: the code step after the password, setting up an authenticator, recovery codes, turning it off,
and a manager's reset of a colleague's (linli.accounts.twofactor)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.cache import never_cache

from linli.accounts import twofactor
from linli.accounts.forms_twofactor import CodeForm, RecoveryCodeForm
from linli.accounts.views import ManagedUserMixin
from linli.core.audit import actor_of
from linli.core.net import client_ip


def next_url(request, default: str = "core:home") -> str:
    """Where to go after the step: the `next` the page was opened with, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse(default)


class _OwnMixin(LoginRequiredMixin):
    """The signed-in user's own two-step pages: every account but a resident's."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not twofactor.may_use(request.user):
            raise PermissionDenied("居民账号不需要两步验证。")
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class TwoFactorVerifyView(LoginRequiredMixin, View):
    """The second login step: 6 digits from the authenticator, or a recovery code."""

    template_name = "accounts/twofactor_verify.html"

    def render_page(self, request, form, *, recovery: bool, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "recovery": recovery, "next": request.POST.get("next") or request.GET.get("next", "")},
            status=status,
        )

    def _done(self, request):
        """Nothing to verify: already verified, or no authenticator (any more)."""
        state = request.session[twofactor.SESSION_KEY] = twofactor.login_state(request.user)
        if state == twofactor.SETUP:
            return redirect("accounts:twofactor_setup")
        return redirect(next_url(request))

    def get(self, request):
        if request.user.is_verified() or not twofactor.has_device(request.user):
            return self._done(request)
        recovery = request.GET.get("recovery") == "1"
        return self.render_page(request, RecoveryCodeForm() if recovery else CodeForm(), recovery=recovery)

    def post(self, request):
        if request.user.is_verified() or not twofactor.has_device(request.user):
            return self._done(request)
        recovery = request.POST.get("recovery") == "1"
        form = RecoveryCodeForm(request.POST) if recovery else CodeForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form, recovery=recovery)
        try:
            checked = twofactor.check_code(request.user, form.cleaned_data["code"], ip=client_ip(request))
        except twofactor.Locked as exc:
            form.add_error("code", str(exc))
            return self.render_page(request, form, recovery=recovery, status=429)
        except twofactor.TwoFactorError as exc:
            form.add_error("code", str(exc))
            return self.render_page(request, form, recovery=recovery)
        twofactor.mark_verified(request, checked.device)
        if checked.recovery:
            level = messages.warning if checked.codes_left < 3 else messages.info
            level(
                request,
                f"已用掉一个恢复码，还剩{checked.codes_left}个。"
                + ("请尽快在“两步验证”页面重新生成恢复码。" if checked.codes_left < 3 else ""),
            )
        return redirect(next_url(request))


@method_decorator(never_cache, name="dispatch")
class TwoFactorSetupView(_OwnMixin, View):
    """Add an authenticator: scan the QR code (or type the secret), confirm with its first code."""

    template_name = "accounts/twofactor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Replacing an authenticator needs the old one first: a session that has not passed the step is sent there.
        user = request.user
        if user.is_authenticated and not user.is_verified() and twofactor.has_device(user):
            return redirect("accounts:twofactor_verify")
        return super().dispatch(request, *args, **kwargs)

    def render_page(self, request, form, status=200):
        key = request.session.get(twofactor.SETUP_KEY_SESSION)
        if not key:
            key = request.session[twofactor.SETUP_KEY_SESSION] = twofactor.new_setup_key()
        ctx = {
            "form": form,
            "replacing": twofactor.has_device(request.user),
            "required": twofactor.two_factor_required(request.user),
            "enforced": twofactor.enforced(),
            "next": request.POST.get("next") or request.GET.get("next", ""),
            **twofactor.provisioning(request.user, key),
        }
        return render(request, self.template_name, ctx, status=status)

    def get(self, request):
        return self.render_page(request, CodeForm())

    def post(self, request):
        form = CodeForm(request.POST)
        key = request.session.get(twofactor.SETUP_KEY_SESSION)
        if not form.is_valid():
            return self.render_page(request, form)
        if not key:
            form.add_error("code", "设置已过期，请重新扫描下面的二维码后再输入。")
            return self.render_page(request, form)
        try:
            device, codes = twofactor.confirm_setup(
                request.user, key, form.cleaned_data["code"], actor=actor_of(request.user)
            )
        except twofactor.TwoFactorError as exc:
            form.add_error("code", str(exc))
            return self.render_page(request, form)
        request.session.pop(twofactor.SETUP_KEY_SESSION, None)
        twofactor.mark_verified(request, device)
        request.session[twofactor.NEW_CODES_SESSION] = codes
        request.session["_linli_2fa_next"] = next_url(request)
        messages.success(request, "两步验证已开启。以后登录时，输入密码后还要输入验证器上的6位数字。")
        return redirect("accounts:twofactor_codes")


@method_decorator(never_cache, name="dispatch")
class TwoFactorCodesView(_OwnMixin, View):
    """New recovery codes, shown until the user says they have kept them (print, download)."""

    template_name = "accounts/twofactor_codes.html"

    def get(self, request):
        codes = request.session.get(twofactor.NEW_CODES_SESSION)
        if not codes:
            return redirect("accounts:twofactor")
        if request.GET.get("download") == "1":
            lines = [
                f"邻里 两步验证恢复码（账号：{request.user.username}）",
                "每个恢复码只能用一次；手机丢失或换机时，在输入验证码处改用恢复码登录。",
                "",
                *codes,
                "",
            ]
            response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="linli-recovery-codes.txt"'
            return response
        return render(request, self.template_name, {"codes": codes})

    def post(self, request):
        request.session.pop(twofactor.NEW_CODES_SESSION, None)
        target = request.session.pop("_linli_2fa_next", None) or reverse("accounts:twofactor")
        return redirect(target)


@method_decorator(never_cache, name="dispatch")
class TwoFactorView(_OwnMixin, View):
    """The user's own 两步验证 page: whether it is on, set up or change phones, new recovery codes, turn it off."""

    template_name = "accounts/twofactor.html"

    def get(self, request):
        from django_otp.plugins.otp_static.models import StaticToken

        user = request.user
        device = twofactor.totp_device(user)
        ctx = {
            "device": device,
            "required": twofactor.two_factor_required(user),
            "enforced": twofactor.enforced(),
            "codes_left": StaticToken.objects.filter(device__user=user).count() if device else 0,
            # two forms on one page: their own ids, the same field name
            "regenerate_form": CodeForm(auto_id="regen_%s"),
            "remove_form": CodeForm(auto_id="remove_%s"),
        }
        return render(request, self.template_name, ctx)


class TwoFactorRegenerateView(_OwnMixin, View):
    """New recovery codes, with a current code (POST)."""

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请先输入验证器上的6位数字，再生成新的恢复码。")
            return redirect("accounts:twofactor")
        try:
            codes = twofactor.regenerate_codes(
                request.user, form.cleaned_data["code"], actor=actor_of(request.user), ip=client_ip(request)
            )
        except twofactor.TwoFactorError as exc:
            messages.error(request, str(exc))
            return redirect("accounts:twofactor")
        request.session[twofactor.NEW_CODES_SESSION] = codes
        request.session["_linli_2fa_next"] = reverse("accounts:twofactor")
        messages.success(request, "已生成新的恢复码，原来的恢复码作废。")
        return redirect("accounts:twofactor_codes")


class TwoFactorRemoveView(_OwnMixin, View):
    """Turn two-step login off, with a current code (POST); only for accounts that need not have it."""

    def post(self, request):
        form = CodeForm(request.POST)
        if not form.is_valid():
            messages.error(request, "请先输入验证器上的6位数字，再关闭两步验证。")
            return redirect("accounts:twofactor")
        try:
            twofactor.remove_own(
                request.user, form.cleaned_data["code"], actor=actor_of(request.user), ip=client_ip(request)
            )
        except twofactor.TwoFactorError as exc:
            messages.error(request, str(exc))
            return redirect("accounts:twofactor")
        request.session[twofactor.SESSION_KEY] = twofactor.OK
        messages.success(request, "两步验证已关闭，登录时只需密码。")
        return redirect("accounts:twofactor")


class UserTwoFactorResetView(ManagedUserMixin, View):
    """重置两步验证 for an account the manager may manage (a lost phone; POST only): its authenticator and recovery
    codes are removed, the owner sets up a new one at the next login."""

    def post(self, request, pk):
        obj = self.get_managed_object()
        if twofactor.reset(obj, actor=actor_of(request.user)):
            messages.success(request, f"已重置“{obj.username}”的两步验证，对方下次登录时重新设置验证器。")
        else:
            messages.info(request, f"“{obj.username}”还没有设置两步验证，无需重置。")
        return redirect("accounts:user_list")
