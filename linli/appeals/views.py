"""Appeal pages: the intake screen, the detail page with its timeline, and one POST URL per action.

Views parse forms and call linli.appeals.services; a refusal (ValidationError) comes back on the form
with what was typed, PermissionDenied is a 403 and Http404 a 404 (raised by the services or by scope).
"""

from __future__ import annotations

import math

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.appeals import forms as f
from linli.appeals import services
from linli.appeals.actions import available_actions, check_may_try, may_see_full_phone
from linli.appeals.choices import OPEN, Channel, ExtensionStatus, Status, Urgency
from linli.appeals.models import Appeal, HandlingUnit
from linli.attachments.services import attach_photo_lists, photos_of
from linli.core.audit import Actor, actor_of
from linli.core.forms import attach_errors
from linli.core.params import parse_id
from linli.core.querysets import require_perm
from linli.core.views import ScopedMixin
from linli.residents.models import Resident
from linli.residents.search import search_order
from linli.visits.models import Visit
from linli.workdays.calendar import workdays_between

DETAIL_RELATED = (
    "category",
    "unit",
    "assigned_org",
    "building",
    "household__building",
    "community",
    "grid",
    "reporter",
    "visit",
    "created_by",
)


# --- intake ----------------------------------------------------------------------------------------


class AppealCreateView(ScopedMixin, View):
    """诉求登记: one phone-sized screen for an appeal from any channel; ?resident= and ?visit= prefill it."""

    model = Appeal
    action = "add"
    template_name = "appeals/appeal_form.html"

    def prefill(self, request):
        """(initial data, the visit, the reporter) from ?visit=<id> or ?resident=<id>, within scope (404 outside)."""
        initial, visit, reporter = {}, None, None
        user = request.user
        visit_id, resident_id = parse_id(request.GET.get("visit")), parse_id(request.GET.get("resident"))
        if visit_id:
            visit = get_object_or_404(
                Visit.objects.restrict(user).select_related("resident__household__building"), pk=visit_id
            )
            reporter = visit.resident
            initial.update(text=visit.need, channel=Channel.VISIT, visit=visit.pk)
        elif resident_id:
            reporter = get_object_or_404(
                Resident.objects.restrict(user).select_related("household__building"), pk=resident_id
            )
        if reporter is not None:
            initial.update(reporter=reporter.pk)
            if reporter.household_id:
                h = reporter.household
                initial.update(building=h.building_id, room=f"{h.entrance}单元{h.room}")
        return initial, visit, reporter

    def render_form(self, form, dispatch_form, *, visit=None, reporter=None, status=200, photos_dropped=False):
        ctx = {
            "form": form,
            "dispatch_form": dispatch_form,
            "visit": visit,
            "reporter": reporter,
            "photos_dropped": photos_dropped,
        }
        return render(self.request, self.template_name, ctx, status=status)

    def can_dispatch(self) -> bool:
        return self.request.user.has_role_perm("appeal.dispatch")

    def get(self, request):
        initial, visit, reporter = self.prefill(request)
        form = f.AppealForm(user=request.user, initial=initial)
        dispatch_form = f.IntakeDispatchForm(prefix="d") if self.can_dispatch() else None
        return self.render_form(form, dispatch_form, visit=visit, reporter=reporter)

    def post(self, request):
        user = request.user
        form = f.AppealForm(request.POST, request.FILES, user=user)
        dispatch_form = f.IntakeDispatchForm(request.POST, prefix="d") if self.can_dispatch() else None
        and_dispatch = bool(request.POST.get("and_dispatch")) and dispatch_form is not None
        visit = None
        if visit_id := parse_id(request.POST.get("visit")):
            visit = get_object_or_404(Visit.objects.restrict(user), pk=visit_id)
        valid = form.is_valid() & (dispatch_form.is_valid() if and_dispatch else True)
        if valid:
            kwargs = form.service_kwargs(visit=visit)
            unit = None
            if and_dispatch:
                unit = dispatch_form.cleaned_data.get("dispatch_unit")
                if unit is None and kwargs["category"] is not None:
                    community = self._community_of(kwargs)
                    unit = services.default_unit(kwargs["category"], community.pk) if community else None
                if kwargs["category"] is None:
                    form.add_error("category", "派单前请选择问题类别，办理时限按类别计算。")
            if not form.errors:
                try:
                    appeal = services.register_appeal(
                        actor=actor_of(user),
                        photos=form.cleaned_data.get("photos") or (),
                        dispatch_unit=unit,
                        dispatch_note=dispatch_form.cleaned_data.get("dispatch_note", "") if and_dispatch else "",
                        merge_into=form.cleaned_data.get("merge_into"),
                        **kwargs,
                    )
                except ValidationError as exc:
                    if hasattr(exc, "error_dict") and "unit" in exc.error_dict and and_dispatch:
                        attach_errors(dispatch_form, ValidationError({"dispatch_unit": exc.error_dict.pop("unit")}))
                        if exc.error_dict:
                            attach_errors(form, exc)
                    else:
                        attach_errors(form, exc)
                else:
                    text = f"诉求已登记，编号 {appeal.number}"
                    if and_dispatch:
                        text += f"，已派单给{appeal.assigned_org}"
                    if appeal.merged_into_id:
                        text += f"，已并入 {appeal.merged_into.number}（附议）"
                    messages.success(request, text + "。")
                    return redirect("appeals:appeal_detail", pk=appeal.pk)
        reporter = form.cleaned_data.get("reporter") if hasattr(form, "cleaned_data") else None
        return self.render_form(
            form,
            dispatch_form,
            visit=visit,
            reporter=reporter,
            status=400,
            photos_dropped=bool(request.FILES),
        )

    @staticmethod
    def _community_of(kwargs):
        if kwargs.get("household") is not None:
            return kwargs["household"].building.community
        if kwargs.get("building") is not None:
            return kwargs["building"].community
        if kwargs.get("community") is not None:
            return kwargs["community"]
        reporter = kwargs.get("reporter")
        return reporter.household.building.community if reporter and reporter.household_id else None


class IntakeReporterSearchView(ScopedMixin, TemplateView):
    """Type-ahead for the intake screen: residents in scope, phones masked, each a radio to pick."""

    model = Appeal
    action = "add"
    template_name = "appeals/intake_reporters.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        text = self.request.GET.get("reporter_q", "").strip()
        qs = Resident.objects.restrict(self.request.user).active().search(text)
        qs = qs.select_related("household__building").order_by(*search_order(text))
        ctx["results"] = list(qs[:10]) if text else []
        ctx["q"] = text
        return ctx


# --- detail ----------------------------------------------------------------------------------------

ACTION_FORMS = {
    "edit": f.AppealEditForm,
    "dispatch": f.AppealDispatchForm,
    "sign": f.AppealSignForm,
    "return": f.AppealReturnForm,
    "assist": f.AppealAssistForm,
    "progress": f.AppealProgressForm,
    "extension": f.AppealExtensionForm,
    "extension_decide": f.AppealExtensionDecideForm,
    "resolve": f.AppealResolveForm,
    "reply": f.AppealReplyForm,
    "public": f.AppealPublicForm,
    "reopen": f.AppealReopenForm,
    "escalate": f.AppealEscalateForm,
    "withdraw": f.AppealWithdrawForm,
    "merge": f.AppealMergeForm,
    "unmerge": f.AppealUnmergeForm,
}


def overdue_label(appeal: Appeal, now) -> str:
    """ "超期 N 个工作日" (or hours for 紧急/急办 while being handled); "" when not overdue."""
    due = appeal.current_due
    if appeal.status not in OPEN or due is None or now <= due:
        return ""
    hourly = appeal.status == Status.IN_PROGRESS and appeal.urgency in (Urgency.URGENT, Urgency.EXPEDITED)
    if hourly:
        hours = math.ceil((now - due).total_seconds() / 3600)
        # Hours while they still mean something; "超期 857 小时" reads better as days.
        return f"超期 {hours} 小时" if hours <= 48 else f"超期 {(now - due).days} 天"
    days = workdays_between(timezone.localtime(due).date(), timezone.localtime(now).date())
    return f"超期 {days} 个工作日" if days > 0 else "已超期"


def _initial_forms(appeal: Appeal, actions: set[str], user) -> dict:
    forms = {}
    for name in actions:
        cls = ACTION_FORMS[name]
        prefix = name
        if name == "edit":
            forms[name] = cls.for_appeal(appeal, prefix=prefix)
        elif name == "reply":
            from linli.appeals.public import appeal_names, suggest_public_reply
            from linli.residents.names import CommunityNames

            names = appeal_names(appeal, CommunityNames())
            forms[name] = cls(prefix=prefix, initial={"public_reply": suggest_public_reply(appeal, names)})
        elif name == "public":
            initial = {"public_summary": appeal.public_summary, "public_reply": appeal.public_reply}
            forms[name] = cls(prefix=prefix, initial=initial)
        elif name == "dispatch":
            unit = services.default_unit(appeal.category, appeal.community_id)
            initial = {"unit": unit.pk if unit else None, "category": appeal.category_id}
            forms[name] = cls(prefix=prefix, initial=initial)
        else:
            forms[name] = cls(prefix=prefix)
    return forms


def _routing_hint(appeal: Appeal, form, default_unit) -> tuple[str, list[str]]:
    """What the routing model reads in the text ("啥事儿该找谁") and the phrases that decided it (highlighted in the
    text). For an appeal without a category it pre-selects the suggested unit and, within that unit, the suggested
    category, so one 派单 classifies and dispatches; below LINLI_ROUTING_MIN_CONFIDENCE it says 需人工判断 instead.
    An appeal with a category goes to the category's unit: an unsure suggestion is then not shown at all."""
    from linli.appeals.models import HandlingUnit
    from linli.appeals.routing.services import suggest, suggest_category

    suggestion = suggest(appeal.text, community=appeal.community_id)
    unit = HandlingUnit.objects.filter(code=suggestion.unit, is_active=True).first()
    if unit is None:
        return "", []
    if suggestion.needs_review:
        if default_unit is not None:
            # The category's unit decided the routing (pre-filled above); an unsure guess from the text has
            # nothing to add, and 需人工判断 would contradict it.
            return "", []
        # Below LINLI_ROUTING_MIN_CONFIDENCE nothing is pre-filled: the dispatcher reads the appeal and decides.
        names = _unit_names([suggestion.unit, *[code for code, _ in suggestion.alternatives]])
        return (
            f"需人工判断：系统把握不大（{round(suggestion.confidence * 100)}%），"
            f"可能是{'、'.join(names)}，请阅读诉求后选择承办单位。",
            [],
        )
    hint = f"系统根据内容建议：{unit.name}（把握{round(suggestion.confidence * 100)}%）。{suggestion.reason}"
    if default_unit is None:
        category, words = suggest_category(appeal.text, unit, community=appeal.community_id)
        if not form.is_bound:
            form.initial["unit"] = unit.pk
            form.initial["category"] = category.pk if category else None
        if category is not None:
            why = "、".join(f"“{w}”" for w in words)
            hint += f" 问题类别建议：{category.name}" + (f"（{why}）。" if why else "（没有明显的关键词，请核对）。")
    return hint, suggestion.keywords


def highlighted_text(text: str, phrases: list[str]):
    """The appeal's text as HTML, line breaks kept, the phrases that decided the routing suggestion in <mark>."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    from linli.appeals.routing.model import phrase_spans

    parts, at = [], 0
    for start, end in phrase_spans(text, phrases):
        parts.append(escape(text[at:start]))
        parts.append(f'<mark class="routing-key" title="分派建议依据">{escape(text[start:end])}</mark>')
        at = end
    parts.append(escape(text[at:]))
    # as the template's linebreaksbr: every line break a <br>
    html = "".join(parts).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    return mark_safe(html)


def _unit_names(codes: list[str]) -> list[str]:
    """The active units' names for the codes, in the codes' order (codes of retired units left out)."""
    from linli.appeals.models import HandlingUnit

    names = dict(HandlingUnit.objects.filter(code__in=codes, is_active=True).values_list("code", "name"))
    return [names[c] for c in codes if c in names]


def _unit_orgs(community_id: int) -> dict[int, str]:
    """unit id -> the organisation that handles it in this community (shown next to the unit select)."""
    from linli.appeals.models import UnitBinding

    bindings = UnitBinding.objects.filter(community_id=community_id, organisation__is_active=True)
    return dict(bindings.values_list("unit_id", "organisation__name"))


def _unit_choices_with_orgs(unit_orgs: dict[int, str]) -> list:
    """Unit options labelled with the organisation behind each in this community (or that none is set)."""
    choices = [("", "请选择承办单位")]
    for unit in HandlingUnit.objects.filter(is_active=True):
        org = unit_orgs.get(unit.pk)
        choices.append((unit.pk, f"{unit.name} → {org}" if org else f"{unit.name}（本社区未设置）"))
    return choices


def detail_context(request, appeal: Appeal, *, bound: dict | None = None, refused=None) -> dict:
    user = request.user
    now = timezone.now()
    actions = available_actions(appeal, user)
    forms = _initial_forms(appeal, actions, user)
    forms.update(bound or {})
    default_unit = services.default_unit(appeal.category, appeal.community_id)
    unit_orgs = _unit_orgs(appeal.community_id) if {"dispatch", "assist"} & set(forms) else {}
    for name in ("dispatch", "assist"):
        if name in forms:
            forms[name].fields["unit"].choices = _unit_choices_with_orgs(unit_orgs)
    if "progress" in forms and not user.has_role_perm("appeal.add"):
        # 仅社区内部 is the community staff's; an outside organisation's handler chooses 内部 or 向居民公开.
        field = forms["progress"].fields["visibility"]
        field.choices = [c for c in field.choices if c[0] != f.NOTE_STAFF]
    dispatch_hint = ""
    text_html = None  # the text with the routing suggestion's deciding phrases marked (dispatchers only)
    if "dispatch" in forms:
        if default_unit is None:
            dispatch_hint = "这件诉求还没有问题类别：已按内容预选类别和承办单位，核对后派单即可一并设定类别。"
        else:
            org = unit_orgs.get(default_unit.pk)
            dispatch_hint = f"按问题类别，默认派给{default_unit.name}" + (
                f"（{org}）。" if org else "，但本社区还没有设置其承办机构。"
            )
        routing_hint, routing_keys = _routing_hint(appeal, forms["dispatch"], default_unit)
        dispatch_hint = " ".join(filter(None, [dispatch_hint, routing_hint]))
        text_html = highlighted_text(appeal.text or "", routing_keys) if routing_keys else None
    pending_ext = None
    if appeal.status == Status.IN_PROGRESS:
        pending_ext = appeal.extensions.filter(status=ExtensionStatus.PENDING).select_related("requested_by").first()
    from linli.appeals.duplicates import detail_panel

    return detail_panel(appeal, user, actions) | {
        "appeal": appeal,
        "events": attach_photo_lists(appeal.events.select_related("org")),
        "assists": appeal.assists.select_related("org"),
        "extensions": appeal.extensions.select_related("requested_by", "decided_by"),
        "pending_ext": pending_ext,
        "photos": list(photos_of(appeal)),
        "forms": forms,
        "actions": actions,
        # A refusal whose form is no longer offered (签收 twice, a state that moved on) is shown at the top.
        "refused": refused if refused and not (set(bound or {}) & actions) else None,
        "overdue": overdue_label(appeal, now),
        "full_phone": may_see_full_phone(appeal, user),
        "default_unit": default_unit,
        "dispatch_hint": dispatch_hint,
        "text_html": text_html,
        "now": now,
    }


class AppealDetailView(ScopedMixin, TemplateView):
    """诉求详情: what, who, where, deadlines, the timeline, and the forms this user may act with now."""

    model = Appeal
    template_name = "appeals/appeal_detail.html"

    def get_permission(self):
        # Handlers see their organisations' appeals whatever their role's area rights; scope decides (404).
        return None

    def dispatch(self, request, *args, **kwargs):
        return super(ScopedMixin, self).dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        appeal = self.get_scoped_object(Appeal.objects.restrict(self.request.user).select_related(*DETAIL_RELATED))
        ctx.update(detail_context(self.request, appeal))
        return ctx


class AppealActionView(LoginRequiredMixin, View):
    """POST one action form; success redirects to the detail page with a message, a refusal re-renders it."""

    name = ""
    success = ""

    def run(self, appeal: Appeal, data: dict, actor: Actor):
        raise NotImplementedError

    def message(self, appeal: Appeal, result) -> str:
        return self.success

    def success_url(self, appeal: Appeal, result) -> str:
        return reverse("appeals:appeal_detail", args=[appeal.pk]) + "#top"

    def post(self, request, pk):
        user = request.user
        appeal = get_object_or_404(Appeal.objects.restrict(user).select_related(*DETAIL_RELATED), pk=pk)
        check_may_try(self.name, appeal, user)
        form = ACTION_FORMS[self.name](request.POST, request.FILES, prefix=self.name)
        if form.is_valid():
            try:
                result = self.run(appeal, form.cleaned_data, actor_of(user))
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, self.message(appeal, result))
                return redirect(self.success_url(appeal, result))
        appeal.refresh_from_db()
        refused = form.non_field_errors() or None
        ctx = detail_context(request, appeal, bound={self.name: form}, refused=refused)
        ctx["open_action"] = self.name
        return render(request, "appeals/appeal_detail.html", ctx, status=400)


class AppealEditView(AppealActionView):
    name, success = "edit", "诉求已修改。"

    def run(self, appeal, data, actor):
        return services.update_appeal(
            appeal,
            actor=actor,
            text=data["text"],
            category=data["category"],
            urgency=data["urgency"],
            address=data["address"],
        )


class AppealDispatchView(AppealActionView):
    name = "dispatch"

    def run(self, appeal, data, actor):
        # services.dispatch keeps a unit other than the suggested one as a routing correction
        return services.dispatch(appeal, data["unit"], actor=actor, note=data["note"], category=data.get("category"))

    def message(self, appeal, result):
        return f"已派单给{result.assigned_org}，等待签收。"


class AppealSignView(AppealActionView):
    name, success = "sign", "已签收，请按时办结。"

    def run(self, appeal, data, actor):
        return services.sign(appeal, actor=actor)


class AppealReturnView(AppealActionView):
    name, success = "return", "已退回，等待重新派单。"

    def run(self, appeal, data, actor):
        return services.return_appeal(appeal, actor=actor, reason=data["reason"])


class AppealAssistView(AppealActionView):
    name = "assist"

    def run(self, appeal, data, actor):
        return services.request_assist(appeal, data["unit"], actor=actor, note=data["note"])

    def message(self, appeal, result):
        return f"已请“{result.org}”协办。"


class AppealProgressView(AppealActionView):
    name, success = "progress", "已添加办理进展。"

    def run(self, appeal, data, actor):
        visibility = data["visibility"]
        internal = visibility == f.NOTE_STAFF and actor.user.has_role_perm("appeal.add")
        public = visibility == f.NOTE_PUBLIC
        return services.add_progress(appeal, actor=actor, note=data["note"], internal=internal, public=public)


class AppealExtensionView(AppealActionView):
    name, success = "extension", "延期申请已提交，等待书记审批。"

    def run(self, appeal, data, actor):
        return services.request_extension(appeal, actor=actor, workdays=data["workdays"], reason=data["reason"])


class AppealExtensionDecideView(AppealActionView):
    name = "extension_decide"

    def run(self, appeal, data, actor):
        ext = appeal.extensions.filter(status=ExtensionStatus.PENDING).first()
        if ext is None:
            require_perm(actor.user, "appeal.supervise")
            raise ValidationError("没有待审批的延期申请。")
        return services.decide_extension(ext, actor=actor, approve=data["decision"] == "approve", note=data["note"])

    def message(self, appeal, result):
        return "已同意延期。" if result.status == ExtensionStatus.APPROVED else "已不同意延期。"


class AppealResolveView(AppealActionView):
    name, success = "resolve", "已办结，等待社区回访。"

    def run(self, appeal, data, actor):
        return services.resolve(
            appeal,
            actor=actor,
            outcome=data["outcome"],
            resolution=data["resolution"],
            explanation=data["explanation"],
            public_summary=data["public_summary"],
            public_reply=data["public_reply"],
            resolution_public=data["resolution_visibility"] != f.NOTE_INTERNAL,
            photos=data.get("photos") or (),
            photos_public=data["photos_public"],
        )


class AppealReplyView(AppealActionView):
    name, success = "reply", "已回访，诉求结案。"

    def run(self, appeal, data, actor):
        return services.reply(
            appeal,
            actor=actor,
            text=data["text"],
            method=data["method"],
            rating=data["rating"],
            rating_note=data["rating_note"],
            public_reply=data["public_reply"],
        )


class AppealPublicView(AppealActionView):
    name, success = "public", "公开内容已保存。"

    def run(self, appeal, data, actor):
        return services.set_public_texts(
            appeal, actor=actor, public_summary=data["public_summary"], public_reply=data["public_reply"]
        )


class AppealReopenView(AppealActionView):
    name, success = "reopen", "已重办，等待承办机构重新签收。"

    def run(self, appeal, data, actor):
        return services.reopen(appeal, actor=actor, note=data["note"])


class AppealEscalateView(AppealActionView):
    name, success = "escalate", "已督办，承办机构和街道已收到提醒。"

    def run(self, appeal, data, actor):
        return services.escalate(appeal, actor=actor, note=data["note"])


class AppealWithdrawView(AppealActionView):
    name, success = "withdraw", "诉求已撤销。"

    def run(self, appeal, data, actor):
        return services.withdraw(appeal, actor=actor, reason=data["reason"])
