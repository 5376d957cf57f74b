"""Ledger import pages: upload, preview and column mapping, dry run, commit, progress, result."""

from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views import View
from django.views.generic import TemplateView

from linli.core.views import ScopedMixin
from linli.ledgers.choices import ImportStatus
from linli.ledgers.forms import ImportUploadForm, MappingForm
from linli.ledgers.models import ImportJob
from linli.ledgers.tasks import read_progress, run_import_job
from linli.residents.idcard import mask_id_number

PREVIEW_ROWS = 10
_ID_LIKE = re.compile(r"^\s*\d{6}(?:\d{11}[\dxX]|\d{9})\s*$")  # 18 or 15 digits


def mask_cell(value: str) -> str:
    """The preview shows ID numbers masked, like every other page (the job page is shared)."""
    return mask_id_number(value.strip().upper()) if _ID_LIKE.match(value or "") else value


RUNNING = (ImportStatus.VALIDATING, ImportStatus.COMMITTING)


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
            },
        )

    def post(self, request):
        from linli.ledgers.importer import LedgerFileError, detect_mapping, read_table

        form = ImportUploadForm(request.POST, request.FILES, user=request.user)
        if not form.is_valid():
            return self.get(request, form)
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload, upload.name)
        except LedgerFileError as exc:
            form.add_error("file", str(exc))
            return self.get(request, form)
        upload.seek(0)
        job = ImportJob.objects.create(
            community=form.cleaned_data["community"],
            created_by=request.user,
            file=upload,
            original_name=upload.name[:200],
            header_row=table.header_row,
            mapping={str(k): v for k, v in detect_mapping(table.headers).items()},
            progress_total=len(table.rows),
        )
        return redirect(job)


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
        from linli.ledgers.importer import FIELDS, LedgerFileError, read_table

        ctx = super().get_context_data(**kwargs)
        job = self.get_scoped_object(self.scoped().select_related("community", "created_by"))
        ctx["job"] = job
        ctx["running"] = job.status in RUNNING
        ctx["done"], ctx["total"] = read_progress(job)
        ctx["percent"] = int(100 * ctx["done"] / ctx["total"]) if ctx["total"] else 0
        if job.status in (ImportStatus.UPLOADED, ImportStatus.VALIDATED) and not self.request.htmx:
            try:
                with job.file.open("rb") as handle:
                    table = read_table(handle, job.original_name)
            except (LedgerFileError, OSError) as exc:
                ctx["file_error"] = str(exc)
            else:
                mapping = {int(k): v for k, v in job.mapping.items()}
                ctx["mapping_form"] = kwargs.get("mapping_form") or MappingForm(
                    headers=table.headers, fields=FIELDS, initial_mapping=mapping
                )
                ctx["preview"] = [(n, [mask_cell(c) for c in cells]) for n, cells in table.rows[:PREVIEW_ROWS]]
                ctx["row_total"] = len(table.rows)
        report = job.report or {}
        ctx["report"] = report
        ctx["errors"] = (report.get("errors") or [])[:500]
        ctx["more_errors"] = max(0, len(report.get("errors") or []) - 500)
        return ctx


class ImportRunView(ImportJobMixin, View):
    """POST: save the mapping and dry-run, or commit a checked import."""

    def post(self, request, pk):
        from linli.ledgers.importer import FIELDS, read_table

        job = self.get_scoped_object()
        if job.status in RUNNING:
            messages.info(request, "导入正在进行中，请稍候。")
            return redirect(job)
        if request.POST.get("action") == "commit":
            if job.status != ImportStatus.VALIDATED:
                messages.error(request, "请先检查（试导入），确认结果后再导入。")
                return redirect(job)
            self._start(job, ImportStatus.COMMITTING, dry_run=False)
            return redirect(job)
        with job.file.open("rb") as handle:
            table = read_table(handle, job.original_name)
        form = MappingForm(request.POST, headers=table.headers, fields=FIELDS, initial_mapping={})
        if not form.is_valid():
            view = ImportDetailView.as_view()
            request.method = "GET"
            return view(request, pk=pk, mapping_form=form)
        job.mapping = {str(k): v for k, v in form.mapping().items()}
        job.report = None
        job.save(update_fields=["mapping", "report"])
        self._start(job, ImportStatus.VALIDATING, dry_run=True)
        return redirect(job)

    @staticmethod
    def _start(job, status, *, dry_run):
        # Claim the job with a conditional update so a double click starts one run, not two.
        claimed = (
            ImportJob.objects.filter(pk=job.pk)
            .exclude(status__in=RUNNING)
            .update(status=status, progress_done=0, message="")
        )
        if claimed:
            run_import_job.delay(job.pk, dry_run)
