"""Ledger import pages: upload, preview and column mapping, dry run, commit, progress, result."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.core import jobs
from linli.core.audit import actor_of
from linli.core.excel.limits import count_text
from linli.core.excel.read import SpreadsheetError
from linli.core.views import ScopedMixin
from linli.core.views_jobs import ImportJobDetailMixin, posted_mapping
from linli.ledgers import services
from linli.ledgers.forms import ImportUploadForm
from linli.ledgers.importer import FIELDS, detect_mapping, read_ledger
from linli.ledgers.models import ImportJob


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
        job = jobs.upload(
            ImportJob,
            file=upload,
            table=table,
            mapping=detect_mapping(table.headers),
            actor=actor_of(request.user),
            community=form.cleaned_data["community"],
        )
        return redirect(job)


class ImportDetailView(ImportJobMixin, ImportJobDetailMixin, TemplateView):
    """Where the user comes back to: preview and mapping before a run, progress during, report after."""

    template_name = "ledgers/import_detail.html"
    run_url_name = "ledgers:import_run"

    fields = FIELDS
    file_errors = (SpreadsheetError,)
    read_file = staticmethod(read_ledger)

    def job_context(self, job, mapping_form=None):
        ctx = super().job_context(job, mapping_form)
        ctx["may_manage"] = services.may_manage(self.request.user, job)
        ctx["file_hours"] = settings.LINLI_IMPORT_FILE_HOURS
        return ctx


class ImportRunView(ImportJobMixin, View):
    """POST: save the mapping and dry-run, commit a checked import, retry an interrupted run, or cancel."""

    def post(self, request, pk):
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
                if job.running:
                    raise jobs.JobRefused("导入正在进行中，请稍候。")
                try:
                    headers = jobs.stored_preview(job, read_ledger)["headers"] if job.file else []
                except (SpreadsheetError, OSError) as exc:
                    raise jobs.JobRefused(str(exc)) from exc
                mapping, page = posted_mapping(
                    request, job, headers=headers, fields=FIELDS, detail_view=ImportDetailView
                )
                if page is not None:
                    return page
                services.start_run(job, dry_run=True, actor=actor, mapping=mapping)
        except jobs.JobRefused as exc:
            messages.error(request, str(exc))
        return redirect(job)
