from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from linli.accounts import lockout, services, tokens, twofactor
from linli.accounts.choices import TokenScope
from linli.accounts.forms import (
    LoginForm,
    OwnPasswordChangeForm,
    PasswordResetForm,
    UnlockCodeForm,
    UnlockRequestForm,
    UserForm,
)
from linli.accounts.models import DEFAULT_TOKEN_DAYS, TOKEN_LIFETIMES, ApiToken, User
from linli.core.audit import actor_of, history_of
from linli.core.forms import attach_errors
from linli.core.net import client_ip
from linli.core.params import parse_int
from linli.core.views import ScopedMixin, paginate


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class ApiTokenListView(LoginRequiredMixin, TemplateView):
    """A user's own API tokens: create one (name, lifetime, 只读/读写, full phones or not; the key is shown
    once), revoke one."""

    template_name = "accounts/token_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tokens"] = self.request.user.api_tokens.filter(revoked=False).order_by("-created_at")
        ctx["new_key"] = self.request.session.pop("new_api_key", None)
        ctx["lifetimes"] = TOKEN_LIFETIMES
        ctx["scopes"] = TokenScope.choices
        ctx["can_see_personal_data"] = self.request.user.has_role_perm(
            "resident.reveal_phone"
        ) or self.request.user.has_role_perm("resident.view_sensitive")
        return ctx

    def post(self, request):
        try:
            _, key = tokens.issue_token(
                request.user,
                actor=actor_of(request.user),
                name=request.POST.get("name") or "",
                days=parse_int(request.POST.get("days") or DEFAULT_TOKEN_DAYS) or -1,  # -1: refused by the service
                scope=request.POST.get("scope") or TokenScope.READ,
                personal_data=request.POST.get("personal_data") == "1",
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("accounts:token_list")
        request.session["new_api_key"] = key
        messages.success(request, "令牌已生成，请立即复制保存，离开本页后将无法再次查看。")
        return redirect("accounts:token_list")


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        tokens.revoke_token(token, actor=actor_of(request.user), reason=tokens.REASON_OWNER)
        messages.success(request, f"令牌“{token.name}”已作废。")
        return redirect("accounts:token_list")


class UserTokenListView(ScopedMixin, TemplateView):
    """Every token of one account (live, expired, revoked), for a manager allowed to manage that account,
    with a revoke button on the live ones."""

    model = User
    action = "manage"
    template_name = "accounts/user_tokens.html"

    def get_account(self) -> User:
        return get_object_or_404(User.objects.manageable_by(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        account = self.get_account()
        ctx["object"] = account
        ctx["tokens"] = account.api_tokens.select_related("revoked_by").order_by("revoked", "-created_at")
        return ctx


class UserTokenRevokeView(ScopedMixin, View):
    model = User
    action = "manage"

    def post(self, request, pk, token_pk):
        account = get_object_or_404(User.objects.manageable_by(request.user), pk=pk)
        token = get_object_or_404(ApiToken, pk=token_pk, user=account)
        try:
            tokens.revoke_token(token, actor=actor_of(request.user), reason=tokens.REASON_MANAGER)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"已作废“{account.username}”的令牌“{token.name}”。")
        return redirect("accounts:user_tokens", pk=account.pk)


class UserListView(ScopedMixin, TemplateView):
    """Accounts within the manager's scope."""

    model = User
    template_name = "accounts/user_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        qs = (
            self.scoped()
            .select_related("owner_street", "owner_community")
            .prefetch_related(
                "assignments__street", "assignments__community", "assignments__grid", "assignments__building"
            )
            .order_by("role", "username")
        )
        ctx["page"] = page = paginate(self.request, qs, 50)
        # Accounts in scope that the manager may not manage (a wider assignment or a higher role) are listed
        # read-only: one query decides it for the whole page.
        manageable = set(
            User.objects.manageable_by(self.request.user)
            .filter(pk__in=[u.pk for u in page])
            .values_list("pk", flat=True)
        )
        with_device = twofactor.users_with_device(u.pk for u in page)  # 两步验证: one query for the page
        for u in page:
            u.manageable = u.pk in manageable
            u.has_twofactor = u.pk in with_device
            u.twofactor = twofactor.status_label(u, u.has_twofactor)
        return ctx


class ManagedUserMixin(ScopedMixin):
    """An account the manager may act on: 404 outside their scope, 403 when in scope but read-only for them."""

    model = User
    action = "manage"

    def get_managed_object(self):
        obj = self.get_scoped_object()
        services.check_manageable(self.request.user, obj)
        return obj


class UserEditView(ManagedUserMixin, View):
    def get_object(self):
        return self.get_managed_object() if "pk" in self.kwargs else None

    def render_form(self, form, obj):
        history = history_of(obj)[:30] if obj else []
        return render(self.request, "accounts/user_form.html", {"form": form, "object": obj, "history": history})

    def get(self, request, pk=None):
        obj = self.get_object()
        return self.render_form(UserForm(manager=request.user, instance=obj), obj)

    def post(self, request, pk=None):
        obj = self.get_object()
        form = UserForm(request.POST, manager=request.user, instance=obj)
        if form.is_valid():
            d, actor = form.cleaned_data, actor_of(request.user)
            try:
                with transaction.atomic():
                    if obj is None:
                        saved = services.create_user(
                            actor=actor,
                            username=d["username"],
                            password=d["password"],
                            role=d["role"],
                            full_name=d["full_name"],
                            phone=d["phone"],
                            nodes=form.nodes(),
                        )
                    else:
                        saved = services.update_user(
                            obj,
                            actor=actor,
                            role=d["role"],
                            full_name=d["full_name"],
                            phone=d["phone"],
                            is_active=d["is_active"],
                            nodes=form.nodes(),
                            resident=obj.resident,
                        )
                    form.save_extensions(saved, actor)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"账号“{saved.username}”已保存。")
                return redirect("accounts:user_list")
        return self.render_form(form, obj)


class UserPasswordView(ManagedUserMixin, View):
    """An administrator sets a new password (and lifts a lockout) for an account they may manage."""

    def get(self, request, pk):
        return render(
            request, "accounts/user_password.html", {"form": PasswordResetForm(), "object": self.get_managed_object()}
        )

    def post(self, request, pk):
        obj = self.get_managed_object()
        form = PasswordResetForm(request.POST)
        if form.is_valid():
            try:
                services.reset_password(obj, form.cleaned_data["password"], actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(
                    request, f"已为“{obj.username}”设置新密码，账号锁定（如有）已解除；对方下次登录须先修改密码。"
                )
                return redirect("accounts:user_list")
        return render(request, "accounts/user_password.html", {"form": form, "object": obj})


class UserDeactivateView(ManagedUserMixin, View):
    """停用 an account the manager may manage (POST only)."""

    def post(self, request, pk):
        obj = self.get_managed_object()
        try:
            services.deactivate_user(obj, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"账号“{obj.username}”已停用。")
        return redirect("accounts:user_list")


class UserUnlockView(ManagedUserMixin, View):
    """解除锁定 for an account the manager may manage (POST only); the password is not changed."""

    def post(self, request, pk):
        obj = self.get_managed_object()
        services.unlock_user(obj, actor=actor_of(request.user))
        messages.success(request, f"账号“{obj.username}”的登录锁定已解除。")
        return redirect("accounts:user_list")


class PasswordChangeView(LoginRequiredMixin, View):
    """Every user changes their own password; required after an administrator set it (see the middleware)."""

    template_name = "accounts/password_change.html"

    def get(self, request):
        return render(request, self.template_name, {"form": OwnPasswordChangeForm()})

    def post(self, request):
        form = OwnPasswordChangeForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            try:
                user = services.change_own_password(
                    request.user,
                    old_password=d["old_password"],
                    new_password=d["new_password1"],
                    actor=actor_of(request.user),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                update_session_auth_hash(request, user)  # this session stays logged in; others end
                messages.success(request, "密码已修改。")
                return redirect("core:home")
        return render(request, self.template_name, {"form": form})


UNLOCK_PENDING = "accounts_unlock_username"


@method_decorator(never_cache, name="dispatch")
class UnlockView(View):
    """自助解锁: a locked-out user gets a code texted to the phone on their account, enters it, and the lockout of
    their username is lifted (linli.accounts.lockout). Open to anyone; limited per phone and per client."""

    template_name = "accounts/unlock.html"

    def render_page(self, request, *, username_form=None, code_form=None, status=200):
        pending = request.session.get(UNLOCK_PENDING)
        if username_form is not None and username_form.errors:
            pending = None  # the username (or its limit) is what needs fixing: show that form
        return render(
            request,
            self.template_name,
            {
                "pending": pending,
                "username_form": username_form or UnlockRequestForm(initial={"username": request.GET.get("username")}),
                "code_form": code_form or UnlockCodeForm(),
            },
            status=status,
        )

    def get(self, request):
        if request.GET.get("restart"):
            request.session.pop(UNLOCK_PENDING, None)
        return self.render_page(request)

    def post(self, request):
        if request.POST.get("action") == "verify":
            return self.verify(request)
        form = UnlockRequestForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, username_form=form)
        username = form.cleaned_data["username"]
        try:
            lockout.send_unlock_code(username, ip=client_ip(request))
        except lockout.UnlockError as exc:
            form.add_error("username", str(exc))
            return self.render_page(request, username_form=form, status=429)
        request.session[UNLOCK_PENDING] = username
        messages.success(request, "如果该账号登记了手机号，验证码已用短信发到这个手机，10分钟内有效。")
        return redirect("accounts:unlock")

    def verify(self, request):
        form = UnlockCodeForm(request.POST)
        username = request.session.get(UNLOCK_PENDING)
        if not username:
            form.is_valid()
            form.add_error(None, "请先填写用户名并获取验证码。")
            return self.render_page(request, code_form=form)
        if not form.is_valid():
            return self.render_page(request, code_form=form)
        try:
            lockout.unlock_with_code(username, form.cleaned_data["code"], ip=client_ip(request))
        except lockout.UnlockError as exc:
            form.add_error("code", str(exc))
            return self.render_page(request, code_form=form)
        request.session.pop(UNLOCK_PENDING, None)
        messages.success(request, "账号已解锁，请重新登录。如果忘记了密码，请联系社区书记或街道管理员重置。")
        return redirect("accounts:login")
