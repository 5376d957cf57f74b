"""诉求统计: the appeal figures of the user's scope for a period, as tables and charts (linli.appeals.stats)."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.views.generic import TemplateView

from linli.appeals.choices import OPEN, Status
from linli.appeals.models import Appeal
from linli.appeals.stats import DEFAULT_DAYS, GROUPINGS, Period, appeal_report, chart_data, list_url
from linli.core.figures import cached_report, scope_key
from linli.core.forms import LinliForm
from linli.core.views import ScopedMixin

#: The preset periods of the selector, in days.
PRESETS = (30, 90, 180, 365)
MAX_DAYS = 3 * 366


class AppealStatsPeriodForm(LinliForm):
    """The period: a preset (近90天 by default, as the page shows without a choice) or the dates typed in.

    The selector always names the period the page shows: the default preset when nothing is chosen, and
    “按起止日期” when dates decide (the page once said 近30天 while showing 90 days)."""

    days = forms.TypedChoiceField(
        label="统计期间",
        choices=[*[(d, f"近{d}天") for d in PRESETS], ("", "按起止日期")],
        coerce=int,
        required=False,
        empty_value=None,
        initial=DEFAULT_DAYS,
    )
    start = forms.DateField(label="从", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="到", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data=None, **kwargs):
        if data is not None:
            data = data.copy()
            if data.get("start") or data.get("end"):
                data["days"] = ""  # the dates decide: the selector says so
            elif not data.get("days"):
                data["days"] = str(DEFAULT_DAYS)  # nothing chosen: the default period, named as such
        super().__init__(data, **kwargs)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        today = timezone.localdate()
        if start or end:
            end = end or today
            start = start or end - datetime.timedelta(days=89)
            if start > end:
                raise forms.ValidationError("开始日期不能晚于结束日期。")
            if (end - start).days >= MAX_DAYS:
                raise forms.ValidationError("统计期间最长3年，请缩短。")
            data["period"] = Period(start, end)
            data["days"] = None
        else:
            data["period"] = Period.last_days(data.get("days") or DEFAULT_DAYS, today)
        return data


class AppealStatsView(ScopedMixin, TemplateView):
    model = Appeal
    permission = "appeal.stats"
    template_name = "appeals/stats.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = AppealStatsPeriodForm(self.request.GET or None)
        period = form.cleaned_data["period"] if form.is_bound and form.is_valid() else Period.last_days()
        user = self.request.user
        # reused for LINLI_FIGURES_CACHE_SECONDS per scope and period: a street's report is 0.3-1 s of SQL
        computed = cached_report(
            "appeals.stats",
            scope_key(Appeal.objects.restrict(user)),
            {"start": period.start, "end": period.end},
            lambda: appeal_report(user, period),
        )
        report = computed.value
        in_period = report.period_query()
        ctx.update(
            form=form,
            report=report,
            computed_at=computed.computed_at,
            period=period,
            in_period=in_period,
            tables=[
                {"name": name, "heading": GROUPINGS[name][2], "rows": _with_links(report.groups[name], in_period)}
                for name in ("community", "unit", "organisation", "category")
            ],
            total=_with_links([report.total], in_period)[0],
            charts=chart_data(report),
            status_links=[
                (Status(s).label, list_url(status=s, **in_period)) for s in (*OPEN, Status.CLOSED, Status.WITHDRAWN)
            ],
        )
        return ctx


def _with_links(rows, in_period: dict):
    """Drill-down links from a row's counts to the list page (AppealFilterSet parameters)."""
    for f in rows:
        q = f.query
        f.links = {
            "total": list_url(**q, **in_period),
            "open": list_url(**q, status=list(OPEN)),
            "overdue": list_url(**q, overdue=1),
            "awaiting_reply": list_url(**q, status=Status.RESOLVED, **in_period),
            "supervised": list_url(**q, supervised=1, status=list(OPEN)),
        }
    return rows
