"""积分规则: a community's points per hour for each volunteer activity type, edited through set_earning_rule."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from linli.areas.models import Community
from linli.core.audit import actor_of
from linli.core.forms import attach_errors
from linli.core.models import ChangeRecord
from linli.core.params import parse_id
from linli.core.views import ScopedMixin
from linli.lovebank import services
from linli.lovebank.forms import EarningRuleForm
from linli.lovebank.models import EarningRule
from linli.volunteers.choices import ActivityKind

DEFAULT_LABEL = "默认（未单独设置的类型）"


class EarningRuleListView(ScopedMixin, View):
    """One row per activity type of the volunteers app plus the community's default (code ""): the rule in force
    and a field to change it. A street admin picks the community (?community=)."""

    model = EarningRule
    action = "manage"
    template_name = "lovebank/rule_list.html"

    def community(self, raw):
        mine = Community.objects.restrict(self.request.user).order_by("code")
        if not raw:
            return mine.first(), mine
        found = mine.filter(pk=pk).first() if (pk := parse_id(raw)) else None
        if found is None:
            raise Http404("这个社区不在您的管辖范围内。")
        return found, mine

    def rows(self, community, bad: EarningRuleForm | None = None):
        rules = {r.activity_type_code: r for r in self.scoped().filter(community=community)}
        default = rules.get("")
        fallback = default.points_per_hour if default else services.DEFAULT_POINTS_PER_HOUR
        kinds = [("", DEFAULT_LABEL), *ActivityKind.choices]
        kinds += [(code, rule.label or code) for code, rule in rules.items() if code not in dict(kinds)]
        rows = []
        for code, label in kinds:
            rule = rules.get(code)
            form = bad if bad is not None and bad.data.get("code", "") == code else None
            initial = {"community": community.pk, "code": code, "points_per_hour": rule.points_per_hour if rule else ""}
            rows.append(
                {
                    "code": code,
                    "label": label,
                    "rule": rule,
                    "rate": rate_text(rule.points_per_hour if rule else fallback),
                    "form": form or EarningRuleForm(initial=initial),
                }
            )
        return rows, list(rules.values())

    def render_page(self, community, mine, bad=None):
        ctx = {"community": community, "communities": mine if len(mine) > 1 else [], "rows": [], "history": []}
        if community is not None:
            ctx["rows"], rules = self.rows(community, bad)
            if bad is not None and not any(row["form"] is bad for row in ctx["rows"]):
                ctx["errors"] = [e for errors in bad.errors.values() for e in errors]
            ctx["history"] = (
                ChangeRecord.objects.filter(
                    content_type=ContentType.objects.get_for_model(EarningRule), object_id__in=[r.pk for r in rules]
                )
                .select_related("actor")
                .order_by("-at", "-id")[:30]
            )
        ctx["default_rate"] = services.DEFAULT_POINTS_PER_HOUR
        ctx["max_rate"] = services.MAX_POINTS_PER_HOUR
        return render(self.request, self.template_name, ctx)

    def get(self, request):
        community, mine = self.community(request.GET.get("community", ""))
        return self.render_page(community, mine)

    def post(self, request):
        form = EarningRuleForm(request.POST)
        community, mine = self.community(request.POST.get("community", "") or "x")
        if form.is_valid():
            code = form.cleaned_data["code"]
            existing = self.scoped().filter(community=community, activity_type_code=code).first()
            label = existing.label if existing else kind_label(code)
            if existing is None and code and code not in ActivityKind.values:
                form.add_error(None, "没有这个活动类型。")
            else:
                try:
                    rule = services.set_earning_rule(
                        community,
                        code,
                        form.cleaned_data["points_per_hour"],
                        label=None if existing else label,
                        actor=actor_of(request.user),
                    )
                except ValidationError as exc:
                    attach_errors(form, exc)
                else:
                    messages.success(
                        request,
                        f"已保存：{label or code}每小时{rate_text(rule.points_per_hour)}分。"
                        "今后确认的服务时长按新规则计分，已发放的积分不变。",
                    )
                    return redirect(reverse("lovebank:rule_list") + f"?community={community.pk}")
        return self.render_page(community, mine, bad=form)


def kind_label(code: str) -> str:
    if not code:
        return "默认"
    return ActivityKind(code).label if code in ActivityKind.values else code


def rate_text(rate) -> str:
    """1.50 -> "1.5", 2.00 -> "2" (normalize() alone would give 1E+1 for 10)."""
    return f"{rate.normalize():f}"
