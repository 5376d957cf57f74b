"""心愿统计 page and its Excel download (recorded as an export: the year and the number of claimer rows)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import TemplateView

from linli.core.excel.download import xlsx_download
from linli.core.excel.exports import record_export
from linli.core.params import parse_int
from linli.core.views import ScopedMixin
from linli.wishes.choices import ExportKind
from linli.wishes.models import Wish
from linli.wishes.report import build_report, report_xlsx


class WishReportView(ScopedMixin, TemplateView):
    model = Wish
    action = "manage"
    template_name = "wishes/wish_report.html"

    def year(self) -> int | None:
        """The ?year= asked for (this year when absent), None when it is not a year the report covers."""
        this_year = timezone.localdate().year
        raw = self.request.GET.get("year", "")
        if not raw:
            return this_year
        return parse_int(raw, minimum=2000, maximum=this_year + 1)

    def get(self, request, *args, **kwargs):
        year = self.year()
        export = request.GET.get("export") == "xlsx"
        if year is None:
            if export:  # a download of the wrong year is refused, not silently swapped for this year's
                messages.error(request, "年份不对，请从列表中选择要导出的年份。")
                return redirect("wishes:wish_report")
            year = timezone.localdate().year  # the page shows this year's figures rather than nothing
        report = build_report(request.user, year)
        if export:
            response = xlsx_download(lambda out: report_xlsx(report, out), f"wishes-{report.year}.xlsx")
            record_export(
                request.user, ExportKind.WISHES_REPORT, filters={"year": report.year}, row_count=len(report.claimers)
            )
            return response
        this_year = timezone.localdate().year
        ctx = self.get_context_data(report=report, years=range(this_year, this_year - 5, -1))
        return self.render_to_response(ctx)
