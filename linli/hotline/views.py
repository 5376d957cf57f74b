"""12345 pages: the order list with upload and export, an import's preview / check / commit, the reply sheet.

An import runs in the request: hotline sheets are a day's or a week's transfers (hundreds of rows),
checked and committed in seconds. The job (linli.core.jobs) keeps the file, the mapping and the latest report
so that the user can check, correct the mapping and commit in separate steps.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core import jobs
from linli.core.audit import Actor, actor_of
from linli.core.excel.download import xlsx_download
from linli.core.jobs import JobStatus
from linli.core.models import Source
from linli.core.views import ScopedMixin, paginate
from linli.core.views_jobs import ImportJobDetailMixin, posted_mapping, unreadable
from linli.hotline import importer, services
from linli.hotline.exporter import write_replies_xlsx
from linli.hotline.forms import HotlineExportForm, HotlineUploadForm
from linli.hotline.models import HotlineExport, HotlineImport, HotlineOrder


class HotlineImportMixin(ScopedMixin):
    model = HotlineImport
    action = "add"  # appeal.add, in a community of the user's scope


class OrderListView(HotlineImportMixin, View):
    """Imported orders in scope (newest first), the upload form, recent imports and the reply export."""

    def get(self, request, form=None):
        user = request.user
        export_form = HotlineExportForm(user=user) if user.has_role_perm("appeal.export") else None
        orders = (
            HotlineOrder.objects.restrict(user).select_related("appeal", "community").order_by("-imported_at", "-id")
        )
        return render(
            request,
            "hotline/order_list.html",
            {
                "orders": paginate(request, orders, 50),
                "imports": self.scoped().select_related("community", "created_by")[:10],
                "form": form or HotlineUploadForm(user=user),
                "export_form": export_form,
                "exports": HotlineExport.objects.filter(community__in=Community.objects.restrict(user)).select_related(
                    "community", "user"
                )[:5]
                if export_form
                else (),
                "now": timezone.now(),
            },
        )


class ImportUploadView(HotlineImportMixin, View):
    def get(self, request):
        return redirect("hotline:order_list")

    def post(self, request):
        form = HotlineUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self._invalid(request, form)
        upload = form.cleaned_data["file"]
        try:
            table = importer.read_orders(upload, upload.name)
        except importer.HotlineFileError as exc:
            form.add_error("file", str(exc))
            return self._invalid(request, form)
        job = jobs.upload(
            HotlineImport,
            file=upload,
            table=table,
            mapping=importer.detect(table.headers),
            actor=actor_of(request.user),
            community=form.cleaned_data["community"],
        )
        return redirect(job)

    @staticmethod
    def _invalid(request, form):
        view = OrderListView()
        view.request = request
        return view.get(request, form)


class ImportDetailView(HotlineImportMixin, ImportJobDetailMixin, TemplateView):
    """Preview and column mapping before a check; the report after a check or a commit."""

    template_name = "hotline/import_detail.html"
    run_url_name = "hotline:import_run"
    fields = importer.FIELDS
    file_errors = (importer.HotlineFileError,)
    read_file = staticmethod(importer.read_orders)
    note_keys = ("errors", "warnings", "skipped_orders")

    @staticmethod
    def shows_mapping(job) -> bool:
        """Checked, or to be checked; a check whose request died (导入中断) may be run again."""
        waiting = job.status in (JobStatus.UPLOADED, JobStatus.VALIDATED)
        return bool(job.file) and (waiting or (job.status == JobStatus.VALIDATING and job.interrupted))

    def job_context(self, job, mapping_form=None):
        ctx = super().job_context(job, mapping_form)
        if "mapping_form" in ctx:
            ctx["missing"] = importer.missing_columns({int(k): v for k, v in job.mapping.items()})
        return ctx


class ImportRunView(HotlineImportMixin, View):
    """POST: save the mapping and check (nothing written), or commit a checked import. Both run in the request."""

    def post(self, request, pk):
        job = self.get_scoped_object()
        if request.POST.get("action") == "commit":
            return self._commit(request, job)
        if not ImportDetailView.shows_mapping(job):
            messages.info(request, "导入正在进行中，请稍候。" if job.running else "这次导入已经结束。")
            return redirect(job)
        try:
            with job.file.open("rb") as handle:
                table = importer.read_orders(handle, job.original_name)
        except (importer.HotlineFileError, OSError) as exc:
            messages.error(request, unreadable(exc))
            return redirect(job)
        mapping, page = posted_mapping(
            request, job, headers=table.headers, fields=importer.FIELDS, detail_view=ImportDetailView
        )
        if page is not None:
            return page
        actor = actor_of(request.user)
        try:
            job = jobs.start(job, dry_run=True, actor=actor, mapping=mapping)
        except jobs.JobRefused as exc:
            messages.error(request, str(exc))
            return redirect(job)
        try:
            report, _ = importer.check(table, mapping, job.community, user=request.user)
        except importer.HotlineFileError as exc:
            jobs.fail(job, str(exc), actor=actor, attempt=job.attempt, back_to=JobStatus.UPLOADED)
            return redirect(job)
        except Exception as exc:
            jobs.fail(job, f"检查没有完成。原因：{exc}", actor=actor, attempt=job.attempt, back_to=JobStatus.UPLOADED)
            raise
        jobs.finish(job, report.as_dict(), dry_run=True, actor=actor, attempt=job.attempt)
        return redirect(job)

    def _commit(self, request, job):
        # The claim (linli.core.jobs.start) locks the job, so that a double click commits once. A commit claimed
        # longer ago than the lease died with its request (kill -9; its transaction rolled back): it is 导入中断
        # and may be committed again.
        actor = Actor(user=request.user, source=Source.IMPORT, label=f"导入 {job.original_name}"[:64])
        try:
            job = jobs.start(job, dry_run=False, actor=actor)
        except jobs.JobRefused:
            messages.error(request, "请先检查，确认结果后再导入（或这次导入已经在进行或已完成）。")
            return redirect(job)
        mapping = {int(k): v for k, v in job.mapping.items()}
        try:
            with job.file.open("rb") as handle:
                table = importer.read_orders(handle, job.original_name)
            report = services.commit_import(table, mapping, job.community, actor=actor, batch=job)
        except (importer.HotlineFileError, OSError, services.ImportConflict, PermissionDenied) as exc:
            jobs.fail(job, unreadable(exc), actor=actor, attempt=job.attempt, back_to=JobStatus.VALIDATED)
            messages.error(request, unreadable(exc))
            return redirect(job)
        except Exception as exc:
            jobs.fail(job, f"导入没有完成，数据库没有任何改变。原因：{exc}", actor=actor, attempt=job.attempt)
            raise
        jobs.finish(job, report.as_dict(), dry_run=False, actor=actor, attempt=job.attempt)
        messages.success(request, f"已导入{report.created}条工单，跳过已导入的{report.skipped}条。")
        return redirect(job)


class ExportView(ScopedMixin, View):
    """The reply sheet (工单编号, 办理结果, 办结时间, 回访情况) of a community, as .xlsx."""

    model = HotlineOrder
    action = "export"

    def get(self, request):
        form = HotlineExportForm(request.GET, user=request.user)
        if not form.is_valid():
            problems = ["请选择要导出的社区。"] if "community" in form.errors else []
            if "since" in form.errors:
                problems.append("办结时间起的日期无法识别，请写成 2025-03-01。")
            messages.error(request, "".join(problems))
            return redirect("hotline:order_list")
        community, since, only_new = (form.cleaned_data[k] for k in ("community", "since", "only_new"))
        stamp = timezone.localdate().strftime("%Y%m%d")
        return xlsx_download(
            lambda out: write_replies_xlsx(community, out, user=request.user, since=since, only_new=only_new),
            f"12345办理结果_{community.name}_{stamp}.xlsx",
            f"hotline_replies_{community.code}_{stamp}.xlsx",
        )
