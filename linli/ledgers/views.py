"""Ledger import pages: upload, preview and column mapping, dry run, commit, progress, result."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.core.audit import actor_of
from linli.core.excel.limits import count_text
from linli.core.excel.read import SpreadsheetError, preview_of
from linli.core.views import ScopedMixin
from linli.ledgers import services
from linli.ledgers.choices import ImportStatus
from linli.ledgers.forms import ImportUploadForm, MappingForm
from linli.ledgers.models import ImportJob
from linli.ledgers.services import RUNNING
from linli.ledgers.tasks import read_progress


class ImportJobMixin(ScopedMixin):
    model = ImportJob
    action = "import"


class ImportListView(ImportJobMixin, View):
    """Recent imports in scope, and the upload form."""

    def get(self, request, form=None):
        jobs = self.scoped().select_related("community", "created_by")[:30]
        return render(
            request,
            "ledgers/import_list.html",
            {
                "jobs": jobs,
                "form": form or ImportUploadForm(user=request.user),
                "max_rows": count_text(settings.LINLI_IMPORT_MAX_ROWS),
                "file_hours": settings.LINLI_IMPORT_FILE_HOURS,
            },
        )

    def post(self, request):
        from linli.ledgers.importer import detect_mapping, read_ledger

        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.get(request, form)
        upload = form.cleaned_data["file"]
        try:
            # Parsed once here (after the size checks); the job keeps the preview, the page never parses again.
            table = read_ledger(upload, upload.name)
        except SpreadsheetError as exc:
            form.add_error("file", str(exc))
            return self.get(request, form)
        job = services.create_import_job(
            community=form.cleaned_data["community"],
            upload=upload,
            table=table,
            mapping=detect_mapping(table.headers),
            actor=actor_of(request.user),
        )
        return redirect(job)


def job_preview(job: ImportJob) -> dict:
    """The job's stored preview; a job uploaded before previews were stored is parsed once and keeps it."""
    from linli.ledgers.importer import read_ledger

    if job.preview is None:
        with job.file.open("rb") as handle:
            job.preview = preview_of(read_ledger(handle, job.original_name))
        ImportJob.objects.filter(pk=job.pk).update(preview=job.preview)
    return job.preview


class ImportDetailView(ImportJobMixin, TemplateView):
    """Where the user comes back to: preview and mapping before a run, progress during, report after."""

    template_name = "ledgers/import_detail.html"

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "import-progress":
            return ["ledgers/_import_progress.html"]
        return [self.template_name]

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.htmx and not context["running"]:
            response["HX-Refresh"] = "true"  # the run ended: reload the whole page with its report
        return response

    def get_context_data(self, **kwargs):
        from linli.ledgers.importer import FIELDS

        ctx = super().get_context_data(**kwargs)
        job = self.get_scoped_object(self.scoped().select_related("community", "created_by"))
        ctx["job"] = job
        ctx["interrupted"] = job.interrupted
        ctx["running"] = job.status in RUNNING and not ctx["interrupted"]
        ctx["may_manage"] = services.may_manage(self.request.user, job)
        ctx["file_hours"] = settings.LINLI_IMPORT_FILE_HOURS
        ctx["done"], ctx["total"] = read_progress(job)
        ctx["percent"] = int(100 * ctx["done"] / ctx["total"]) if ctx["total"] else 0
        if job.status in (ImportStatus.UPLOADED, ImportStatus.VALIDATED) and job.file and not self.request.htmx:
            try:
                preview = job_preview(job)
            except (SpreadsheetError, OSError) as exc:
                ctx["file_error"] = str(exc)
            else:
                mapping = {int(k): v for k, v in job.mapping.items()}
                ctx["mapping_form"] = kwargs.get("mapping_form") or MappingForm(
                    headers=preview["headers"], fields=FIELDS, initial_mapping=mapping
                )
                ctx["preview"] = preview["rows"]
                ctx["row_total"] = preview["row_total"]
        report = job.report or {}
        ctx["report"] = report
        ctx["errors"] = (report.get("errors") or [])[:500]
        ctx["more_errors"] = max(0, len(report.get("errors") or []) - 500)
        return ctx


class ImportRunView(ImportJobMixin, View):
    """POST: save the mapping and dry-run, commit a checked import, retry an interrupted run, or cancel."""

    def post(self, request, pk):
        from linli.ledgers.importer import FIELDS

        job = self.get_scoped_object()
        actor = actor_of(request.user)
        action = request.POST.get("action")
        try:
            if action == "commit":
                services.start_run(job, dry_run=False, actor=actor)
            elif action == "retry":
                services.retry_import(job, actor=actor)
            elif action == "cancel":
                services.cancel_import(job, actor=actor)
                messages.success(request, "已取消这次导入，上传的文件已删除。")
            else:
                if job.status in RUNNING and not job.interrupted:
                    raise services.ImportRefused("导入正在进行中，请稍候。")
                try:
                    headers = job_preview(job)["headers"] if job.file else []
                except (SpreadsheetError, OSError) as exc:
                    raise services.ImportRefused(str(exc)) from exc
                form = MappingForm(request.POST, headers=headers, fields=FIELDS, initial_mapping={})
                if not form.is_valid():
                    view = ImportDetailView.as_view()
                    request.method = "GET"
                    return view(request, pk=pk, mapping_form=form)
                services.start_run(job, dry_run=True, actor=actor, mapping=form.mapping())
        except services.ImportRefused as exc:
            messages.error(request, str(exc))
        return redirect(job)
