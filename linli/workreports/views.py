"""工作报告 pages: the list (filter by node, period, status), writing a new one, the preview (the same template
as the PDF), the draft's text and notable cases, finalising, and the PDF and .xlsx downloads. Rows come from
restrict(); every change from linli.workreports.services. A finalised report offers no edit, and its edit URLs
answer with the reason and change nothing."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of
from linli.core.excel.download import attachment, xlsx_download
from linli.core.excel.exports import record_export
from linli.core.filtersets import error_list
from linli.core.forms import attach_errors
from linli.core.views import ScopedMixin, paginate
from linli.workreports import pdf, services
from linli.workreports.choices import ExportKind
from linli.workreports.filtersets import WorkReportFilterSet
from linli.workreports.forms import WorkReportCaseForm, WorkReportForm, WorkReportTextForm
from linli.workreports.models import WorkReport, WorkReportCase
from linli.workreports.render import report_view


def _can(user, report, action: str) -> bool:
    return (
        not report.is_final
        and user.has_role_perm(f"workreport.{action}")
        and WorkReport.objects.restrict(user, action).filter(pk=report.pk).exists()
    )


class WorkReportListView(ScopedMixin, TemplateView):
    """工作报告: the reports the user reads, newest period first."""

    model = WorkReport
    template_name = "workreports/workreport_list.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        rows = self.scoped()
        filterset = WorkReportFilterSet(self.request.GET or None, rows, user=self.request.user)
        found = filterset.qs if filterset.is_bound and filterset.is_valid() else rows
        found = found.select_related("street", "community").order_by("-year", "-month", "level", "node_key", "-id")
        ctx.update(
            filterset=filterset,
            errors=error_list(filterset) if filterset.is_bound else [],
            page=paginate(self.request, found, 50),
            can_write=bool(services.writable_nodes(self.request.user)),
        )
        return ctx


class WorkReportAddView(ScopedMixin, View):
    """写报告: choose the street or community and the month or year; the draft opens for editing."""

    model = WorkReport
    action = "write"
    template_name = "workreports/workreport_add.html"

    def get(self, request):
        return render(request, self.template_name, {"form": WorkReportForm(user=request.user)})

    def post(self, request):
        form = WorkReportForm(request.POST, user=request.user)
        if form.is_valid():
            level, node = form.nodes[form.cleaned_data["node"]]
            data = form.cleaned_data
            try:
                report = services.create_report(
                    actor=actor_of(request.user),
                    level=level,
                    node_id=node.pk,
                    period=data["period"],
                    year=data["year"],
                    month=data.get("month"),
                )
            except ValidationError as exc:
                attach_errors(form, exc)
            else:
                messages.success(request, f"已创建{report}（草稿）。")
                return redirect("workreports:workreport_edit", report.pk)
        return render(request, self.template_name, {"form": form}, status=400)


class WorkReportDetailView(ScopedMixin, TemplateView):
    """The report as it will print (预览), with its downloads; edit and finalise while it is a draft."""

    model = WorkReport
    template_name = "workreports/workreport_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        report = self.get_scoped_object(self.scoped().select_related("street", "community", "created_by"))
        ctx.update(
            v=report_view(report, user=user),
            report=report,
            can_write=_can(user, report, "write"),
            can_finalise=_can(user, report, "finalise") and report.end < timezone.localdate(),
            may_finalise_later=_can(user, report, "finalise") and report.end >= timezone.localdate(),
        )
        return ctx


class DraftPage(ScopedMixin, View):
    """The draft's edit page, drawn by the text form and the case form alike."""

    model = WorkReport
    action = "write"
    template_name = "workreports/workreport_edit.html"

    def report(self):
        return self.get_scoped_object(self.scoped().select_related("street", "community", "created_by"))

    def render_page(self, report, form, case_form=None, status=200):
        ctx = {
            "report": report,
            "form": form,
            "case_form": case_form or WorkReportCaseForm(),
            "cases": list(report.cases.order_by("order", "id")),
            "candidates": services.case_candidates(report, self.request.user),
            "max_cases": services.MAX_CASES,
        }
        return render(self.request, self.template_name, ctx, status=status)


class WorkReportEditView(DraftPage):
    """The draft's own text (综述, a paragraph per section, 下一步工作) and its notable cases."""

    def get(self, request, pk):
        report = self.report()
        if report.is_final:
            messages.info(request, services.FINAL)
            return redirect("workreports:workreport_detail", report.pk)
        sections = services.section_names(report, request.user)
        paragraphs = dict(report.paragraphs.values_list("section", "text"))
        initial = {"foreword": report.foreword, "closing": report.closing}
        initial |= {f"section_{name}": paragraphs.get(name, "") for name in sections}
        return self.render_page(report, WorkReportTextForm(initial=initial, sections=sections))

    def post(self, request, pk):
        report = self.report()
        form = WorkReportTextForm(request.POST, sections=services.section_names(report, request.user))
        if form.is_valid():
            try:
                services.save_text(
                    report,
                    actor=actor_of(request.user),
                    foreword=form.cleaned_data["foreword"],
                    closing=form.cleaned_data["closing"],
                    paragraphs=form.paragraphs(),
                )
            except ValidationError as exc:
                if report.is_final:
                    messages.error(request, "；".join(exc.messages))
                    return redirect("workreports:workreport_detail", report.pk)
                attach_errors(form, exc)
            else:
                messages.success(request, "已保存。")
                return redirect("workreports:workreport_edit", report.pk)
        return self.render_page(report, form, status=400)


class WorkReportCaseAddView(DraftPage):
    """典型案例: an appeal by its number (POST)."""

    def post(self, request, pk):
        report = self.report()
        form = WorkReportCaseForm(request.POST)
        if form.is_valid():
            try:
                case = services.add_case(report, actor=actor_of(request.user), **form.cleaned_data)
            except ValidationError as exc:
                if report.is_final:
                    messages.error(request, "；".join(exc.messages))
                    return redirect("workreports:workreport_detail", report.pk)
                attach_errors(form, exc)
            else:
                messages.success(request, f"已加入典型案例：{case.number}。")
                return redirect("workreports:workreport_edit", report.pk)
        sections = services.section_names(report, request.user)
        text = WorkReportTextForm(
            initial={"foreword": report.foreword, "closing": report.closing}
            | {f"section_{p.section}": p.text for p in report.paragraphs.all()},
            sections=sections,
        )
        return self.render_page(report, text, form, status=400)


class WorkReportCaseDeleteView(ScopedMixin, View):
    """Take a case off the draft's list (POST)."""

    model = WorkReport
    action = "write"

    def post(self, request, pk):
        rows = WorkReportCase.objects.filter(report__in=self.scoped()).select_related("report")
        case = get_object_or_404(rows, pk=pk)
        try:
            services.remove_case(case, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
            return redirect("workreports:workreport_detail", case.report_id)
        messages.success(request, f"已移出典型案例：{case.number}。")
        return redirect("workreports:workreport_edit", case.report_id)


class WorkReportFinaliseView(ScopedMixin, View):
    """定稿 (POST, after the page's confirmation)."""

    model = WorkReport
    action = "finalise"

    def post(self, request, pk):
        report = self.get_scoped_object()
        try:
            report = services.finalise(report, actor=actor_of(request.user))
        except ValidationError as exc:
            messages.error(request, "未能定稿：" + "；".join(exc.messages))
        else:
            messages.success(request, f"已定稿，编号 {report.number}。定稿后报告不能再修改。")
        return redirect("workreports:workreport_detail", report.pk)


def _file_name(report, suffix: str) -> tuple[str, str]:
    name = f"{report.number or report}{'' if report.is_final else '（草稿）'}.{suffix}"
    return name, f"workreport-{report.pk}.{suffix}"


class WorkReportPdfView(ScopedMixin, View):
    """The PDF (a finalised report's from its snapshot: the same bytes every time). An export: logged."""

    model = WorkReport

    def get(self, request, pk):
        report = self.get_scoped_object(self.scoped().select_related("street", "community", "created_by"))
        try:
            content = pdf.pdf_of(report, user=request.user)
        except pdf.PdfUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("workreports:workreport_detail", report.pk)
        record_export(request.user, ExportKind.PDF, filters={"sheet": str(report)}, row_count=1, masked=True)
        response = HttpResponse(content, content_type="application/pdf")
        return attachment(response, *_file_name(report, "pdf"))


class WorkReportXlsxView(ScopedMixin, View):
    """The .xlsx the street edits. An export: logged."""

    model = WorkReport

    def get(self, request, pk):
        from linli.workreports.excel import write_report_xlsx

        report = self.get_scoped_object(self.scoped().select_related("street", "community", "created_by"))
        return xlsx_download(
            lambda out: write_report_xlsx(report, user=request.user, out=out), *_file_name(report, "xlsx")
        )


class WorkReportDocxView(ScopedMixin, View):
    """The .docx (Word) the street edits: the same content as the PDF. An export: logged."""

    model = WorkReport

    def get(self, request, pk):
        from linli.workreports.docx import CONTENT_TYPE, docx_of

        report = self.get_scoped_object(self.scoped().select_related("street", "community", "created_by"))
        response = HttpResponse(docx_of(report, user=request.user), content_type=CONTENT_TYPE)
        return attachment(response, *_file_name(report, "docx"))
