"""发送渠道 pages: the WeChat groups of the user's communities (register, edit, deactivate, test), a community's
sending rules, the recent batches and one batch's progress (refreshing itself with htmx while it sends), with cancel
and retry. Rows come from the querysets' restrict(); every change goes through linli.channels.services. A webhook is
never rendered: only its last four characters."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.areas.scope import communities_for
from linli.channels import services
from linli.channels.choices import ChannelKind, DispatchStatus, OutboundStatus
from linli.channels.filtersets import DispatchFilterSet, WechatGroupFilterSet
from linli.channels.forms import ChannelSettingsForm, WechatGroupForm
from linli.channels.models import ChannelSettings, Dispatch, Outbound, WechatGroup
from linli.channels.progress import progress
from linli.channels.sender import rules_for
from linli.core.audit import actor_of
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin, paginate


def managed_communities(user):
    return communities_for(user, "channel.manage").order_by("street_id", "code")


class WechatGroupListView(ScopedMixin, TemplateView):
    model = WechatGroup
    template_name = "channels/wechat_group_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        filterset = WechatGroupFilterSet(self.request.GET, self.scoped(), request=self.request)
        groups = filterset.qs.select_related("community", "grid", "building").order_by("community_id", "name", "id")
        managed = set(managed_communities(user).values_list("pk", flat=True))
        ctx.update(
            page=paginate(self.request, groups, 50),
            filter=filterset,
            filter_errors=error_list(filterset),
            managed=managed,
            settings_communities=Community.objects.filter(pk__in=managed).order_by("street_id", "code"),
        )
        return ctx


class _GroupFormView(LoginRequiredMixin, View):
    template_name = "channels/wechat_group_form.html"

    def communities(self, request):
        require_perm(request.user, "channel.manage")
        communities = managed_communities(request.user)
        if not communities.exists():
            raise Http404("没有您可以管理的社区。")
        return communities

    def render_form(self, request, form, group=None, status=200):
        return render(request, self.template_name, {"form": form, "group": group}, status=status)

    def save(self, request, form, group):
        data = form.cleaned_data
        try:
            saved = services.save_group(
                group,
                actor=actor_of(request.user),
                community=data["community"],
                name=data["name"],
                webhook_url=data.get("webhook_url") or "",
                grid=data.get("grid"),
                building=data.get("building"),
                is_active=group.is_active if group else True,
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "webhook_url" in exc.error_dict:
                form.data = form.data.copy()
                form.data["webhook_url"] = ""  # the secret is never echoed back
            attach_errors(form, exc)
            return None
        return saved


class WechatGroupAddView(_GroupFormView):
    def get(self, request):
        return self.render_form(request, WechatGroupForm(communities=self.communities(request)))

    def post(self, request):
        form = WechatGroupForm(request.POST, communities=self.communities(request))
        if form.is_valid() and self.save(request, form, None):
            messages.success(request, "群已登记。建议点“发送测试消息”确认机器人能收到。")
            return redirect("channels:wechat_group_list")
        return self.render_form(request, form, status=400)


class WechatGroupEditView(ScopedMixin, _GroupFormView):
    model = WechatGroup
    action = "manage"

    def initial(self, group):
        return {
            "community": group.community_id,
            "name": group.name,
            "grid": group.grid_id,
            "building": group.building_id,
        }

    def get(self, request, pk):
        group = self.get_scoped_object()
        form = WechatGroupForm(initial=self.initial(group), communities=self.communities(request), editing=True)
        return self.render_form(request, form, group)

    def post(self, request, pk):
        group = self.get_scoped_object()
        form = WechatGroupForm(request.POST, communities=self.communities(request), editing=True)
        if form.is_valid() and self.save(request, form, group):
            messages.success(request, "群的信息已保存。")
            return redirect("channels:wechat_group_list")
        return self.render_form(request, form, group, status=400)


class WechatGroupActiveView(ScopedMixin, View):
    """停用 / 启用 (POST active=0|1)."""

    model = WechatGroup
    action = "manage"

    def post(self, request, pk):
        group = self.get_scoped_object()
        active = request.POST.get("active") == "1"
        services.set_group_active(group, actor=actor_of(request.user), active=active)
        messages.success(request, f"“{group.name}”已{'启用' if active else '停用，不再收到新的通知'}。")
        return redirect("channels:wechat_group_list")


class WechatGroupTestView(ScopedMixin, View):
    """发送测试消息: straight to the robot, the result shown at once."""

    model = WechatGroup
    action = "manage"

    def post(self, request, pk):
        group = self.get_scoped_object()
        try:
            services.send_test(group, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"测试消息已发到“{group.name}”，请在群里查看。")
        return redirect("channels:wechat_group_list")


class ChannelSettingsEditView(LoginRequiredMixin, View):
    """A community's quiet hours and rates (channel.manage)."""

    template_name = "channels/channel_settings_form.html"

    def community(self, request, community_pk):
        require_perm(request.user, "channel.manage")
        return get_object_or_404(managed_communities(request.user), pk=community_pk)

    def get(self, request, community_pk):
        community = self.community(request, community_pk)
        form = ChannelSettingsForm(instance=rules_for(community.pk))
        return render(request, self.template_name, {"form": form, "community": community})

    def post(self, request, community_pk):
        community = self.community(request, community_pk)
        form = ChannelSettingsForm(request.POST, instance=ChannelSettings(community=community))
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.save_settings(community, actor=actor_of(request.user), **data)
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"{community.name}的发送设置已保存。")
                return redirect("channels:wechat_group_list")
        return render(request, self.template_name, {"form": form, "community": community}, status=400)


class DispatchListView(ScopedMixin, TemplateView):
    model = Dispatch
    template_name = "channels/dispatch_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        filterset = DispatchFilterSet(self.request.GET, self.scoped(), request=self.request)
        rows = filterset.qs.select_related("community", "created_by").order_by("-created_at", "-id")
        ctx.update(page=paginate(self.request, rows, 30), filter=filterset, filter_errors=error_list(filterset))
        return ctx


class DispatchDetailView(ScopedMixin, TemplateView):
    """A batch: its progress (the htmx part refreshes every 3 s while it sends) and each message's status, phones
    masked, groups by name and last four characters."""

    model = Dispatch
    template_name = "channels/dispatch_detail.html"

    def get_template_names(self):
        if self.request.headers.get("HX-Request") and self.request.GET.get("part") == "progress":
            return ["channels/_dispatch_progress.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        dispatch = self.get_scoped_object(self.scoped().select_related("community", "created_by", "cancelled_by"))
        status = self.request.GET.get("status", "")
        rows = Outbound.objects.filter(dispatch=dispatch).select_related("group", "resident").order_by("id")
        if status in OutboundStatus.values:
            rows = rows.filter(status=status)
        else:
            status = ""
        ctx.update(
            dispatch=dispatch,
            p=progress(dispatch),
            page=paginate(self.request, rows, 50),
            status=status,
            statuses=OutboundStatus.choices,
            is_wechat=dispatch.channel == ChannelKind.WECHAT,
            control=services.may_control(self.request.user, dispatch),
            source_url=source_url(dispatch),
        )
        return ctx


def source_url(dispatch: Dispatch) -> str:
    """The page of what was sent (a notice), where the app that owns it has one."""
    if dispatch.source == "notices.notice":
        try:
            return reverse("notices:notice_detail", args=[dispatch.source_id])
        except Exception:  # the notices pages come from another branch
            return ""
    return ""


class _DispatchAction(ScopedMixin, View):
    model = Dispatch

    def post(self, request, pk):
        dispatch = self.get_scoped_object()
        try:
            text = self.run(dispatch, actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, text)
        return redirect("channels:dispatch_detail", pk=dispatch.pk)


class DispatchCancelView(_DispatchAction):
    def run(self, dispatch, actor):
        dispatch = services.cancel_dispatch(dispatch, actor=actor)
        if dispatch.status != DispatchStatus.CANCELLED:
            raise ValidationError("这个批次已经发送完毕，无需取消。")
        return "已取消发送，尚未发出的消息不会再发。"


class DispatchRetryView(_DispatchAction):
    def run(self, dispatch, actor):
        count = services.retry_failed(dispatch, actor=actor)
        return f"{count} 条失败的消息将重新发送。"
