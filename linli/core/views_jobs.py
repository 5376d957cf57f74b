"""The pages of an import job (linli.core.jobs), shared by every importer: the job page's context and templates.

An importer's detail view mixes in ImportJobDetailMixin (after ScopedMixin) and names its importer (`fields`, the
reader in `read_file`, its errors in `file_errors`) and its run URL; its template extends base.html and includes
the partials in core/templates/core: _job_header.html (status, message), _job_progress.html (the progress bar of a
run in a worker), _job_notes.html (the rows with problems), _job_mapping.html (preview and column mapping).
"""

from __future__ import annotations

from django.urls import reverse

from linli.core import jobs
from linli.core.forms import MappingForm
from linli.core.jobs import JobStatus


def unreadable(exc: Exception) -> str:
    """What a job page says when the stored file cannot be read again (gone from the disk, or damaged)."""
    if isinstance(exc, OSError):
        return "服务器上已找不到上传的文件，请重新上传。"
    return str(exc)


class ImportJobDetailMixin:
    """Preview and mapping before a run, progress during one, the report after (a TemplateView with ScopedMixin)."""

    #: "<app>:import_run", where the page's forms post.
    run_url_name = ""
    #: The importer's fields ({key: field with .label and .required}) for the mapping form.
    fields: dict = {}
    #: What the reader raises for a file it cannot read (shown on the page, as OSError).
    file_errors: tuple = ()
    #: The report's lists of row notes shown on the page, each cut to SHOWN_NOTES.
    note_keys = ("errors",)
    SHOWN_NOTES = 500
    #: The part of the page a running job's progress bar reloads (htmx target "import-progress").
    progress_template = "core/_job_progress.html"

    #: The importer's reader, read_file(handle, name) -> table (staticmethod), for a job without a stored preview.
    read_file = None

    def job_preview(self, job) -> dict:
        return jobs.stored_preview(job, self.read_file)

    def shows_mapping(self, job) -> bool:
        """Whether the page offers the column mapping and the check."""
        return job.status in (JobStatus.UPLOADED, JobStatus.VALIDATED) and bool(job.file)

    def get_template_names(self):
        if self.request.htmx and self.request.htmx.target == "import-progress":
            return [self.progress_template]
        return super().get_template_names()

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if self.request.htmx and not context["running"]:
            response["HX-Refresh"] = "true"  # the run ended: reload the whole page with its report
        return response

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        job = self.get_scoped_object(self.scoped().select_related("community", "created_by"))
        ctx.update(self.job_context(job, kwargs.get("mapping_form")))
        return ctx

    def job_context(self, job, mapping_form=None) -> dict:
        interrupted = job.interrupted
        ctx = {
            "job": job,
            "interrupted": interrupted,
            "running": job.status in jobs.RUNNING and not interrupted,
            "run_url": reverse(self.run_url_name, args=[job.pk]),
        }
        ctx["done"], ctx["total"] = jobs.read_progress(job)
        ctx["percent"] = int(100 * ctx["done"] / ctx["total"]) if ctx["total"] else 0
        if self.shows_mapping(job) and not self.request.htmx:
            try:
                preview = self.job_preview(job)
            except (*self.file_errors, OSError) as exc:
                ctx["file_error"] = unreadable(exc)
            else:
                mapping = {int(k): v for k, v in job.mapping.items()}
                ctx["mapping_form"] = mapping_form or MappingForm(
                    headers=preview["headers"], fields=self.fields, initial_mapping=mapping
                )
                ctx["preview"] = preview["rows"]
                ctx["row_total"] = preview["row_total"]
        report = job.report or {}
        ctx["report"] = report
        for key in self.note_keys:
            ctx[key] = (report.get(key) or [])[: self.SHOWN_NOTES]
        ctx["more_errors"] = max(0, len(report.get("errors") or []) - self.SHOWN_NOTES)
        return ctx


def posted_mapping(request, job, *, headers, fields, detail_view):
    """The mapping form posted to a job's run URL: (mapping, None) when valid, else (None, the job page showing
    the form's errors)."""
    form = MappingForm(request.POST, headers=headers, fields=fields, initial_mapping={})
    if form.is_valid():
        return form.mapping(), None
    request.method = "GET"
    return None, detail_view.as_view()(request, pk=job.pk, mapping_form=form)
