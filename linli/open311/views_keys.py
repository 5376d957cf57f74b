"""Open311密钥: street admins and secretaries issue keys for outside systems (shown once) and revoke them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from linli.core.audit import actor_of
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin
from linli.open311 import services
from linli.open311.forms import ApiKeyForm
from linli.open311.models import ApiKey
from linli.open311.querysets import KEY_PERM

NEW_KEY_SESSION = "new_open311_key"


class ApiKeyListView(ScopedMixin, View):
    model = ApiKey
    permission = KEY_PERM
    template_name = "open311/apikey_list.html"

    def render_page(self, form, status=200):
        ctx = {
            "form": form,
            "keys": self.scoped().select_related("community", "street", "created_by"),
            "new_key": self.request.session.pop(NEW_KEY_SESSION, None),
            "endpoint": self.request.build_absolute_uri(reverse("open311:root")),
            "communities": services.key_communities(self.request.user),
        }
        return render(self.request, self.template_name, ctx, status=status)

    def get(self, request):
        return self.render_page(ApiKeyForm(user=request.user))

    def post(self, request):
        form = ApiKeyForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                key, raw = services.issue_key(
                    actor=actor_of(request.user),
                    name=form.cleaned_data["name"],
                    hotline=form.cleaned_data["hotline"],
                    **form.scope_kwargs(),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                request.session[NEW_KEY_SESSION] = {"name": key.name, "key": raw}
                messages.success(request, "密钥已生成，请立即复制交给对方系统，离开本页后将无法再次查看。")
                return redirect("open311:apikey_list")
        return self.render_page(form, status=400)


class ApiKeyRevokeView(ScopedMixin, View):
    model = ApiKey
    permission = KEY_PERM

    def post(self, request, pk):
        key = self.get_scoped_object()
        services.revoke_key(key, actor=actor_of(request.user))
        messages.success(request, f"密钥“{key.name}”已作废，对方系统将无法再提交诉求。")
        return redirect("open311:apikey_list")
