from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.accounts import services, tokens
from linli.accounts.choices import TokenScope
from linli.accounts.forms import LoginForm, PasswordResetForm, UserForm
from linli.accounts.models import DEFAULT_TOKEN_DAYS, TOKEN_LIFETIMES, ApiToken, User
from linli.core.audit import actor_of, history_of
from linli.core.forms import attach_errors
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
        return get_object_or_404(tokens.manageable_users(self.request.user), pk=self.kwargs["pk"])

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
        account = get_object_or_404(tokens.manageable_users(request.user), pk=pk)
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
            .prefetch_related(
                "assignments__street", "assignments__community", "assignments__grid", "assignments__building"
            )
            .order_by("role", "username")
        )
        ctx["page"] = paginate(self.request, qs, 50)
        return ctx


class UserEditView(ScopedMixin, View):
    model = User
    action = "manage"

    def get_object(self):
        return self.get_scoped_object() if "pk" in self.kwargs else None

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
                if obj is None:
                    obj = services.create_user(
                        actor=actor,
                        username=d["username"],
                        password=d["password"],
                        role=d["role"],
                        full_name=d["full_name"],
                        phone=d["phone"],
                        nodes=form.nodes(),
                    )
                else:
                    services.update_user(
                        obj,
                        actor=actor,
                        role=d["role"],
                        full_name=d["full_name"],
                        phone=d["phone"],
                        is_active=d["is_active"],
                        nodes=form.nodes(),
                        resident=obj.resident,
                    )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"账号“{obj.username}”已保存。")
                return redirect("accounts:user_list")
        return self.render_form(form, obj)


class UserPasswordView(ScopedMixin, View):
    """An administrator sets a new password (and lifts a lockout) for an account in scope."""

    model = User
    action = "manage"

    def get(self, request, pk):
        return render(
            request, "accounts/user_password.html", {"form": PasswordResetForm(), "object": self.get_scoped_object()}
        )

    def post(self, request, pk):
        obj = self.get_scoped_object()
        form = PasswordResetForm(request.POST)
        if form.is_valid():
            try:
                services.reset_password(obj, form.cleaned_data["password"], actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已为“{obj.username}”设置新密码，账号锁定（如有）已解除。")
                return redirect("accounts:user_list")
        return render(request, "accounts/user_password.html", {"form": form, "object": obj})
