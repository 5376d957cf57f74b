"""大屏 for staff: set up the screens of their community or street, renew or stop a screen's link, keep the
好人好事墙 (hide an entry, record a person's consent to show their name)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from linli.bigscreen import services
from linli.bigscreen.choices import WallKind
from linli.bigscreen.forms import ScreenForm
from linli.bigscreen.models import Screen
from linli.bigscreen.wall import build_wall
from linli.core.audit import actor_of, history_of
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin

SESSION_KEY = "bigscreen.new_key"


def screen_link(request, key: str) -> str:
    return request.build_absolute_uri(reverse("bigscreen:screen_show", args=[key]))


def remember_key(request, screen: Screen, key: str) -> None:
    """The new link is shown once, on the next page of this session (only its hash is stored)."""
    request.session[SESSION_KEY] = {"pk": screen.pk, "key": key}


class ScreenListView(ScopedMixin, TemplateView):
    model = Screen
    template_name = "bigscreen/screen_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["screens"] = self.scoped().select_related("street", "community")
        ctx["can_manage"] = user.is_superuser or user.has_role_perm(services.PERM)
        return ctx


class ScreenFormMixin(ScopedMixin):
    model = Screen
    action = "manage"
    template_name = "bigscreen/screen_form.html"

    def render_form(self, form, screen=None):
        return self.render_to_response(self.get_context_data(form=form, screen=screen))


class ScreenCreateView(ScreenFormMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        return self.render_form(ScreenForm(user=request.user))

    def post(self, request, *args, **kwargs):
        form = ScreenForm(request.POST, user=request.user)
        if form.is_valid():
            street_id, community_id = form.node_ids()
            screen = Screen(
                street_id=street_id,
                community_id=community_id,
                name=form.cleaned_data["name"],
                panels=form.cleaned_data["panels"],
                rotate_seconds=form.cleaned_data["rotate_seconds"],
            )
            try:
                screen, key = services.create_screen(screen, actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                remember_key(request, screen, key)
                messages.success(request, "大屏已设置。请在大厅的显示设备上打开下面的显示链接。")
                return redirect(screen)
        return self.render_form(form)


class ScreenEditView(ScreenFormMixin, TemplateView):
    def get(self, request, *args, **kwargs):
        screen = self.get_scoped_object()
        initial = {"name": screen.name, "panels": screen.panel_list, "rotate_seconds": screen.rotate_seconds}
        return self.render_form(ScreenForm(user=request.user, editing=True, initial=initial), screen)

    def post(self, request, *args, **kwargs):
        screen = self.get_scoped_object()
        form = ScreenForm(request.POST, user=request.user, editing=True)
        if form.is_valid():
            screen.name = form.cleaned_data["name"]
            screen.panels = form.cleaned_data["panels"]
            screen.rotate_seconds = form.cleaned_data["rotate_seconds"]
            try:
                services.update_screen(screen, actor=actor_of(request.user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存。大屏在下一次刷新数据时换成新的设置。")
                return redirect(screen)
        return self.render_form(form, screen)


class ScreenDetailView(ScopedMixin, TemplateView):
    model = Screen
    template_name = "bigscreen/screen_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        screen = self.get_scoped_object(self.scoped().select_related("street", "community", "created_by"))
        fresh = self.request.session.get(SESSION_KEY)
        if fresh and fresh.get("pk") == screen.pk:
            del self.request.session[SESSION_KEY]
            ctx["new_link"] = screen_link(self.request, fresh["key"])
        ctx.update(
            screen=screen,
            can_manage=Screen.objects.restrict(user, "manage").filter(pk=screen.pk).exists(),
            history=history_of(screen)[:30] if user.has_role_perm("history.view") else None,
        )
        return ctx


class ManageButtonView(ScopedMixin, View):
    """A button (POST) of a screen.manage page; `operation` says which (urls.py)."""

    model = Screen
    action = "manage"
    http_method_names = ["post"]
    operation = ""


class ScreenActionView(ManageButtonView):
    """A button of the screen page: renew its link or stop it."""

    def post(self, request, *args, **kwargs):
        screen = self.get_scoped_object()
        actor = actor_of(request.user)
        if self.operation == "renew":
            screen, key = services.renew_key(screen, actor=actor)
            remember_key(request, screen, key)
            messages.success(request, "已生成新的显示链接，旧链接已失效。请在显示设备上打开新链接。")
        else:
            services.stop_screen(screen, actor=actor)
            messages.success(request, "大屏已停用，显示设备上将显示“已停用”。")
        return redirect(screen)


# --------------------------------------------------------------------------- 好人好事墙


def wall_nodes(user) -> list[tuple[str, str]]:
    """The nodes whose wall the user keeps: ("community:ID" or "street:ID", name)."""
    nodes = [(f"street:{s.pk}", f"{s.name}（整个街道）") for s in services.manageable_streets(user).order_by("name")]
    nodes += [(f"community:{c.pk}", c.name) for c in services.manageable_communities(user).order_by("code")]
    return nodes


class WallView(ScopedMixin, TemplateView):
    """What the screens' 好人好事墙 shows, as staff see it: each entry with the person's real name, whether they
    agreed to show it, and buttons to hide an entry or record consent."""

    model = Screen
    action = "manage"
    template_name = "bigscreen/wall.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        nodes = wall_nodes(user)
        chosen = self.request.GET.get("node") or (nodes[0][0] if nodes else "")
        if nodes and chosen not in dict(nodes):
            raise Http404("不在您的管辖范围内。")
        entries = []
        if chosen:
            level, _, pk = chosen.partition(":")
            entries = build_wall(level, int(pk), with_hidden=True)
        ctx.update(
            nodes=nodes,
            chosen=chosen,
            entries=entries,
            can_volunteer=user.is_superuser or user.has_role_perm("volunteer.manage"),
            can_account=user.is_superuser or user.has_role_perm("lovebank.manage"),
        )
        return ctx


class WallActionView(ManageButtonView):
    """Hide or show a wall entry, or record a person's consent; back to the wall page with a message."""

    def post(self, request, *args, **kwargs):
        data = request.POST
        actor = actor_of(request.user)
        back = reverse("bigscreen:wall") + (f"?node={data['node']}" if data.get("node", "").count(":") == 1 else "")
        try:
            if self.operation == "consent":
                self.consent(data, actor)
            else:
                kind = data.get("kind", "")
                object_id = parse_id(data.get("id"))
                if kind not in WallKind.values or object_id is None:
                    raise ValidationError("请选择要处理的内容。")
                if self.operation == "hide":
                    services.hide_entry(kind, object_id, actor=actor, reason=data.get("reason", ""))
                    messages.success(request, "已从好人好事墙隐藏，所有大屏在下一次刷新时不再显示。")
                else:
                    services.show_entry(kind, object_id, actor=actor)
                    messages.success(request, "已恢复到好人好事墙。")
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        return redirect(back)

    def consent(self, data, actor) -> None:
        from linli.lovebank.models import Account
        from linli.volunteers.models import Volunteer

        target, _, pk = data.get("target", "").partition(":")
        pk = parse_id(pk)
        consent = data.get("consent") == "1"
        user = self.request.user
        if target == "volunteer" and pk:
            require_perm(user, "volunteer.manage")
            person = get_object_or_404(Volunteer.objects.restrict(user, "manage"), pk=pk)
        elif target == "account" and pk:
            require_perm(user, "lovebank.manage")
            person = get_object_or_404(Account.objects.restrict(user, "manage"), pk=pk)
        else:
            raise ValidationError("请选择要记录同意的人。")
        services.set_wall_consent(person, consent, actor=actor)
        messages.success(
            self.request, "已记录：本人同意在好人好事墙展示姓名。" if consent else "已记录：不在好人好事墙展示姓名。"
        )
