"""Paper for appeals: the 派单单 (dispatch sheet) and 回访单 (callback sheet) of one appeal, and a 问题清单
as a print page and an .xlsx.

Scoped like the pages they come from: a sheet for whoever may open the appeal (Appeal.objects.restrict, as the
detail page: area staff and the owning organisation's handlers), a problem list for problem.view in scope.
The reporter's phone is printed in full only for those who see it in full on the detail page
(actions.may_see_full_phone); an anonymous reporter stays 匿名. Every print and download is in the export log.
"""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from linli.appeals import services_problems as problems
from linli.appeals.actions import may_see_full_phone
from linli.appeals.choices import ExportKind, Rating, ReplyMethod
from linli.appeals.models import Appeal
from linli.appeals.views import DETAIL_RELATED
from linli.appeals.views_problems import _Perm
from linli.core.excel.exports import record_export
from linli.core.excel.tables import Ledger, Section, print_response, xlsx_response

SHEETS = {"dispatch": "派单单", "callback": "回访单"}


class AppealSheetView(LoginRequiredMixin, View):
    """GET the printable 派单单 or 回访单 of one appeal (404 outside the user's appeals)."""

    sheet = "dispatch"

    def get(self, request, pk):
        appeal = get_object_or_404(Appeal.objects.restrict(request.user).select_related(*DETAIL_RELATED), pk=pk)
        full_phone = may_see_full_phone(appeal, request.user)
        phone = ""
        if appeal.reporter_phone and not appeal.anonymous:
            phone = appeal.reporter_phone if full_phone else appeal.reporter_phone_masked
        record_export(
            request.user,
            ExportKind.APPEAL_SHEET,
            row_count=1,
            filters={"appeal": appeal.number or f"#{appeal.pk}", "sheet": SHEETS[self.sheet]},
        )
        ctx = {
            "appeal": appeal,
            "sheet_name": SHEETS[self.sheet],
            "reporter_phone": phone,
            "printed_on": timezone.localdate(),
            "ratings": [(value, label) for value, label in Rating.choices if value != Rating.NONE],
            "methods": [(value, label) for value, label in ReplyMethod.choices if value != ReplyMethod.PUBLIC],
        }
        return render(request, f"appeals/sheet_{self.sheet}.html", ctx)


class ProblemListLedgerView(_Perm):
    """A problem list's items (unit, deadline, progress, overdue, linked appeals) to print or download."""

    xlsx = False

    def get(self, request, pk):
        problem_list = self.get_list(pk)
        today = timezone.localdate()
        items = problem_list.items.select_related("unit").prefetch_related("appeals").order_by("number")
        rows = [
            [
                item.number,
                item.title,
                item.unit.name if item.unit else "",
                item.due_on,
                item.get_status_display(),
                "超期" if item.is_overdue(today) else "",
                item.note,
                "、".join(a.number or f"#{a.pk}" for a in item.appeals.all()),
            ]
            for item in items
        ]
        progress = problems.progress(problem_list)
        meta = f"{progress['total']}项，已解决{progress['solved']}项" + (
            f"，超期{progress['overdue']}项" if progress["overdue"] else ""
        )
        ledger = Ledger(
            title=f"{problem_list.name}（{problem_list.year}）",
            sections=[
                Section(
                    title=f"{problem_list.community.name} {problem_list.name}（{problem_list.year}年）",
                    headers=["序号", "事项", "责任单位", "完成时限", "进展", "超期", "进展说明", "关联诉求"],
                    rows=rows,
                    meta=meta,
                    empty="清单里还没有事项。",
                )
            ],
            widths={"序号": 6, "事项": 36, "责任单位": 14, "完成时限": 11, "进展说明": 36, "关联诉求": 20},
            print_kind=ExportKind.PROBLEMS_PRINT,
            xlsx_kind=ExportKind.PROBLEMS_XLSX,
            filters={"problem_list": problem_list},
            filename=f"问题清单_{problem_list.year}",
            ascii_name=f"problem_list_{problem_list.pk}",
            footer="问题清单由邻里生成。",
            back_url=reverse("appeals:problem_list_detail", args=[problem_list.pk]),
        )
        if self.xlsx:
            return xlsx_response(request, ledger)
        return print_response(request, ledger, xlsx_url=reverse("appeals:problem_list_xlsx", args=[problem_list.pk]))
