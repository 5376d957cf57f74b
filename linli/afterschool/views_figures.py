"""统计 (counts, no names) and the exports of a term's roster and attendance (afterschool.export or the school's
staff; logged)."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.afterschool import services
from linli.afterschool.access import scoped
from linli.afterschool.choices import ExportKind
from linli.afterschool.excel import attendance_xlsx, roster_xlsx
from linli.afterschool.figures import figures_for
from linli.afterschool.filtersets import EnrolmentFilterSet
from linli.afterschool.models import Attendance, Enrolment, Term
from linli.core.excel.download import cleaned_filters, xlsx_download
from linli.core.excel.exports import record_export


class FiguresView(LoginRequiredMixin, TemplateView):
    template_name = "afterschool/figures.html"

    def get_context_data(self, **kwargs):
        if not services.may_see_figures(self.request.user):
            raise PermissionDenied("您的角色没有这项权限。")
        ctx = super().get_context_data(**kwargs)
        ctx.update(rows=figures_for(self.request.user), today=timezone.localdate())
        return ctx


class RosterExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        term = scoped(request, Term, pk, "export", related=("school",))
        filterset = EnrolmentFilterSet(
            request.GET.copy(), Enrolment.objects.restrict(request.user, "export").filter(term=term)
        )
        rows = list(filterset.qs.select_related("child").prefetch_related("guardians")
                    .order_by("status", "priority_rank", "applied_at", "id"))  # fmt: skip
        response = xlsx_download(lambda out: roster_xlsx(rows, out), f"{term.school.name}{term.name}花名册.xlsx",
                                 "afterschool-roster.xlsx")  # fmt: skip
        record_export(request.user, ExportKind.ROSTER, row_count=len(rows),
                      filters={"term": str(term), **cleaned_filters(filterset)})  # fmt: skip
        return response


class AttendanceExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        term = scoped(request, Term, pk, "export", related=("school",))
        rows = list(
            Attendance.objects.restrict(request.user, "export")
            .filter(session__term=term)
            .select_related("session", "enrolment__child", "collected_by", "override__approved_by")
            .order_by("session__date", "signed_in_at", "id")
        )
        response = xlsx_download(lambda out: attendance_xlsx(rows, out), f"{term.school.name}{term.name}签到记录.xlsx",
                                 "afterschool-attendance.xlsx")  # fmt: skip
        record_export(request.user, ExportKind.ATTENDANCE, row_count=len(rows), filters={"term": str(term)})
        return response
