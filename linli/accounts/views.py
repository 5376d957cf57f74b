from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import TemplateView

from linli.accounts.forms import LoginForm
from linli.accounts.models import ApiToken


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class ApiTokenListView(LoginRequiredMixin, TemplateView):
    """A user's own API tokens: create one (the key is shown once), revoke one."""

    template_name = "accounts/token_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["tokens"] = self.request.user.api_tokens.filter(revoked=False).order_by("-created_at")
        ctx["new_key"] = self.request.session.pop("new_api_key", None)
        return ctx

    def post(self, request):
        name = (request.POST.get("name") or "").strip()[:64]
        if not name:
            messages.error(request, "请填写令牌名称，例如“数据看板”。")
            return redirect("accounts:token_list")
        _, key = ApiToken.issue(request.user, name)
        request.session["new_api_key"] = key
        messages.success(request, "令牌已生成，请立即复制保存，离开本页后将无法再次查看。")
        return redirect("accounts:token_list")


class ApiTokenRevokeView(LoginRequiredMixin, View):
    def post(self, request, pk):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        token.revoked = True
        token.save(update_fields=["revoked"])
        messages.success(request, f"令牌“{token.name}”已作废。")
        return redirect("accounts:token_list")
