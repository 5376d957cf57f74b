"""The residents' Linli (居民端): one section on one screen, and 家人帮忙 (a family member helping an elder).

The home itself is the site's home page for a resident (linli.site.views.HomeView draws the self tiles). Every app
adds its own tile and section from its own shell.py (linli.core.shell.self_tile, self_block, family_block).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from linli.core.audit import actor_of
from linli.core.params import parse_id
from linli.core.querysets import require_perm
from linli.core.shell import registry as shell
from linli.residents import services_family
from linli.residents.choices import ContactRelation, FamilyLinkStatus
from linli.residents.models import FamilyLink, Resident


def error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class ResidentOnlyMixin(LoginRequiredMixin):
    """Pages of a signed-in resident (an account linked to a resident record)."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.has_role_perm("resident.view_self") and user.resident_id):
            raise PermissionDenied("只有居民账号可以打开这一页。")
        return super().dispatch(request, *args, **kwargs)


class MySectionView(ResidentOnlyMixin, View):
    """One self block alone on a screen (a home tile leads here): 我的诉求, 我楼的通知, 可参加的活动 …"""

    def get(self, request, name):
        block = shell.self_blocks.get(name)
        if block is None or not block.visible(request.user):
            raise Http404("没有这一项。")
        context = block.context(request.user)
        if context is not None:
            context = {**context, "alone": True}  # the page's h1 names it: the block leaves out its own heading
        tile = next((t for t in shell.self_tiles.values() if t.name == name), None)
        # nothing to show: say it as the button said it (现在没有要投票的事), not in general words
        empty = (tile.context(request.user) or {}).get("note") if tile and context is None else None
        return render(
            request,
            "residents/my_section.html",
            {"part": block, "part_context": context, "title": tile.label if tile else "我的", "empty": empty},
        )


class FamilyView(ResidentOnlyMixin, View):
    """家人帮忙: the links I am a side of; ask to help an elder; the elder agrees, declines or ends; so can the
    helper."""

    template_name = "residents/family.html"

    def render_page(self, request, form_errors=None, data=None, status=200):
        rid = request.user.resident_id
        links = list(FamilyLink.objects.restrict(request.user).select_related("helper", "elder", "witness"))
        return render(
            request,
            self.template_name,
            {
                "helping": [lk for lk in links if lk.helper_id == rid],
                "helped_by": [lk for lk in links if lk.elder_id == rid],
                "relations": ContactRelation.choices,
                "errors": form_errors or [],
                "data": data or {},
                "live": (FamilyLinkStatus.ASKED, FamilyLinkStatus.AGREED),
            },
            status=status,
        )

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        user = request.user
        actor = actor_of(user)
        action = request.POST.get("action")
        if action == "ask":
            data = {k: request.POST.get(k, "").strip() for k in ("name", "phone", "relation")}
            elder = services_family.find_resident(data["name"], data["phone"])
            if elder is None:
                return self.render_page(
                    request,
                    ["没有找到这位居民：请核对老人登记的姓名和手机号，或请社区工作人员当面帮您办理。"],
                    data,
                    status=400,
                )
            try:
                services_family.ask(user.resident, elder, relation=data["relation"], actor=actor)
            except ValidationError as exc:
                return self.render_page(request, [error_text(exc)], data, status=400)
            messages.success(request, "已发出申请。请老人登录自己的账号点“同意”，或和老人一起到社区办理。")
            return redirect("residents:family")
        link = get_object_or_404(FamilyLink.objects.restrict(user), pk=parse_id(request.POST.get("link")) or 0)
        service = {"agree": services_family.agree, "decline": services_family.decline, "end": services_family.end}
        if action not in service:
            return self.render_page(request, ["请选择要做的事。"], status=400)
        try:
            service[action](link, actor=actor)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
        else:
            messages.success(
                request, {"agree": "已同意。", "decline": "已拒绝。", "end": "已解除，对方不再能看到。"}[action]
            )
        return redirect("residents:family")


class FamilyHelpView(ResidentOnlyMixin, View):
    """What a helper sees of the elder they help: the elder's notices and appeals, read-only (family blocks).
    Nothing without an agreed link: services_family.elder_for_helper 404s otherwise."""

    def get(self, request, pk):
        elder = services_family.elder_for_helper(request.user, pk)
        return render(
            request,
            "residents/family_view.html",
            {"elder": elder, "blocks": shell.family_blocks_for(request.user, elder)},
        )


class FamilyRecordView(LoginRequiredMixin, View):
    """Staff record, on an elder's page, that the elder agreed in person to a family member's help (the staff member
    is the witness); or end a link. Scope: services_family re-checks resident.change on the elder."""

    def post(self, request, pk):
        require_perm(request.user, "resident.change")
        elder = get_object_or_404(Resident.objects.restrict(request.user, "change"), pk=pk)
        actor = actor_of(request.user)
        try:
            if request.POST.get("action") == "end":
                link = get_object_or_404(
                    FamilyLink.objects.filter(elder=elder), pk=parse_id(request.POST.get("link")) or 0
                )
                services_family.end(link, actor=actor)
                messages.success(request, "已解除家人帮忙。")
            else:
                helper = services_family.find_resident(request.POST.get("name", ""), request.POST.get("phone", ""))
                if helper is None:
                    raise ValidationError("没有找到这位家人：请核对其登记的姓名和手机号（家人须是登记的居民）。")
                services_family.record_in_person(
                    helper,
                    elder,
                    relation=request.POST.get("relation", ""),
                    actor=actor,
                    witness_present=request.POST.get("witness_present") == "on",
                )
                messages.success(request, f"已登记：{elder.name}当面同意{helper.name}帮忙查看通知和诉求，您是见证人。")
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        return redirect("residents:resident_detail", pk=elder.pk)
