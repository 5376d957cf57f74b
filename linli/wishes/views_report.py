"""心愿统计 page and its Excel download."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from linli.core.views import ScopedMixin
from linli.wishes.models import Wish
from linli.wishes.report import build_report, report_xlsx


class WishReportView(ScopedMixin, TemplateView):
    model = Wish
    action = "manage"
    template_name = "wishes/wish_report.html"

    def year(self) -> int:
        this_year = timezone.localdate().year
        try:
            year = int(self.request.GET.get("year", this_year))
        except ValueError:
            return this_year
        return year if 2000 <= year <= this_year + 1 else this_year

    def get(self, request, *args, **kwargs):
        report = build_report(request.user, self.year())
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(
                report_xlsx(report),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            response["Content-Disposition"] = f'attachment; filename="wishes-{report.year}.xlsx"'
            return response
        this_year = timezone.localdate().year
        ctx = self.get_context_data(report=report, years=range(this_year, this_year - 5, -1))
        return self.render_to_response(ctx)
