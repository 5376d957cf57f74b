"""Love bank figures: the honour board (光荣榜) by points or by service hours, monthly totals, Excel exports.

A period is this month / quarter / year or a range of dates (PeriodForm); a street admin may narrow any of them
to one community of their street (?community=<id>, 404 outside their scope).
"""

from __future__ import annotations

import datetime

from django.http import Http404
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core.excel.download import xlsx_download
from linli.core.excel.exports import record_export
from linli.core.params import parse_id
from linli.core.views import ScopedMixin
from linli.lovebank import excel, stats
from linli.lovebank.choices import ExportKind
from linli.lovebank.forms import BOARD_KINDS, PERIODS, PeriodForm
from linli.lovebank.models import Account


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _this(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """This month, quarter or year as [start, end)."""
    if period == "year":
        return today.replace(month=1, day=1), today.replace(year=today.year + 1, month=1, day=1)
    if period == "quarter":
        q = (today.month - 1) // 3 * 3 + 1
        start = today.replace(month=q, day=1)
        return start, start.replace(year=start.year + 1, month=1) if q == 10 else start.replace(month=q + 3)
    start = today.replace(day=1)
    return start, start.replace(year=start.year + 1, month=1) if start.month == 12 else start.replace(
        month=start.month + 1
    )


def scope_communities(request):
    """(communities the figures cover, the chosen one or None, all the user's communities). ?community= must be
    one of the user's: another community's id is a 404, as for any row outside the scope."""
    mine = Community.objects.restrict(request.user).order_by("code")
    raw = request.GET.get("community", "")
    if not raw:
        return mine, None, mine
    chosen = mine.filter(pk=pk).first() if (pk := parse_id(raw)) else None
    if chosen is None:
        raise Http404("这个社区不在您的管辖范围内。")
    return mine.filter(pk=chosen.pk), chosen, mine


def _query(request, **changes) -> str:
    query = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


class HonourBoardView(ScopedMixin, TemplateView):
    """光荣榜: who earned the most points (attendance and good deeds, net of reversals), or who served the most
    confirmed volunteer hours, in a period. Staff only, like the rest of the bank: names are shown in full."""

    model = Account
    template_name = "lovebank/honour_board.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        request = self.request
        communities, chosen, mine = scope_communities(request)
        form = PeriodForm(request.GET)
        data = form.cleaned_data if form.is_valid() else {}
        # Shown on the page; with a bad period the board shows this month rather than nothing.
        errors = [*form.non_field_errors(), *(e for field in form for e in field.errors)]
        by = data.get("by") or "points"
        period = data.get("period") or "month"
        if period == "custom":
            start, end = data["start"], data["end"] + datetime.timedelta(days=1)
        else:
            start, end = _this(period, timezone.localdate())
        if by == "hours":
            rows = stats.hours_board(communities, _aware(start), _aware(end))
        else:
            rows = stats.honour_board(communities, _aware(start), _aware(end))
        ctx.update(
            rows=rows,
            errors=errors,
            form=form,
            by=by,
            period=period,
            start=start,
            last=end - datetime.timedelta(days=1),
            chosen=chosen,
            communities=mine if len(mine) > 1 else [],
            by_links=[(v, label, _query(request, by=v)) for v, label in BOARD_KINDS],
            period_links=[(v, label, _query(request, period=v, start="", end="")) for v, label in PERIODS[:3]],
        )
        return ctx


def _totals_window(communities):
    today = timezone.localdate()
    start = today.replace(year=today.year - 1, day=1)
    end = today + datetime.timedelta(days=1)
    return stats.monthly_totals(communities, _aware(start), _aware(end))


class MonthlyTotalsView(ScopedMixin, TemplateView):
    """Per month over the last year: points earned, redeemed and donated, redemptions and cancellations."""

    model = Account
    template_name = "lovebank/monthly_totals.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        communities, chosen, mine = scope_communities(self.request)
        ctx.update(
            months=_totals_window(communities),
            chosen=chosen,
            communities=mine if len(mine) > 1 else [],
            export_query=_query(self.request),
        )
        return ctx


class MonthlyTotalsExportView(ScopedMixin, View):
    """月度汇总 as .xlsx: the same months and communities as the page; recorded as an export."""

    model = Account

    def get(self, request):
        communities, chosen, _ = scope_communities(request)
        months = _totals_window(communities)
        where = chosen.name if chosen else "管辖范围内各社区"
        stamp = timezone.localdate().strftime("%Y%m%d")

        def write(out):
            rows = excel.write_totals_xlsx(months, out, title=f"爱心银行月度汇总（{where}）")
            record_export(request.user, ExportKind.LOVEBANK_TOTALS, filters={"community": chosen}, row_count=rows)

        return xlsx_download(
            write,
            f"爱心银行月度汇总_{stamp}.xlsx",
            f"lovebank_totals_{stamp}.xlsx",
        )


class AccountStatementExportView(ScopedMixin, View):
    """One person's statement as .xlsx: date, reason, amount, running balance (oldest first); recorded."""

    model = Account

    def get(self, request, pk):
        account = self.get_scoped_object(self.scoped().holders().select_related("resident", "community"))
        stamp = timezone.localdate().strftime("%Y%m%d")

        def write(out):
            rows = excel.write_statement_xlsx(account, out)
            record_export(request.user, ExportKind.LOVEBANK_STATEMENT, filters={"account": account}, row_count=rows)

        return xlsx_download(
            write,
            f"积分明细_{account.name}_{stamp}.xlsx",
            f"lovebank_statement_{account.pk}_{stamp}.xlsx",
        )
