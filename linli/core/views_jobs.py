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


class ImportRunMixin:
    """The POST of an import job's page, for a View with ScopedMixin: save the column mapping and check (a dry run,
    nothing written), or (action=commit) commit a checked job. One flow for every importer that checks and commits
    in the request; the importer says what differs:

    - `detail_url_name` ("<app>:import_detail"), `detail_view` (the job page, shown again with a bad mapping),
      `fields` (the importer's fields), `file_errors` (what its reader raises), `related` (select_related);
    - `read_file(handle, name)` -> table, `check(job, table, mapping, user)` -> report (nothing written) and
      `commit(job, table, mapping, actor)` -> report (all in one transaction: raises on failure);
    - `commit_refusal(job)`: a message when a checked job may not be committed (None: it may);
    - `committed(job, report)`: (failure message or None, success message) after a commit;
    - `nothing_changed`: how the failure message ends (名单没有任何改变).
    """

    detail_url_name = ""
    detail_view = None
    fields: dict = {}
    file_errors: tuple = ()
    related: tuple = ()
    nothing_changed = "没有任何改变"

    def read_file(self, handle, name):  # pragma: no cover - each importer names its reader
        raise NotImplementedError

    def check(self, job, table, mapping, user):  # pragma: no cover
        raise NotImplementedError

    def commit(self, job, table, mapping, actor):  # pragma: no cover
        raise NotImplementedError

    def commit_refusal(self, job) -> str | None:
        return None

    def committed(self, job, report) -> tuple[str | None, str]:
        return None, f"已导入{report.created}条。"

    def back(self, job):
        from django.shortcuts import redirect

        return redirect(self.detail_url_name, job.pk)

    def _table(self, job):
        with job.file.open("rb") as handle:
            return self.read_file(handle, job.original_name)

    def post(self, request, pk):
        from django.contrib import messages

        from linli.core.audit import actor_of

        job = self.get_scoped_object(self.scoped().select_related(*self.related))
        if request.POST.get("action") == "commit":
            return self._commit(request, job)
        if not (job.file and job.status in (JobStatus.UPLOADED, JobStatus.VALIDATED)):
            messages.info(request, "这次导入已经结束。")
            return self.back(job)
        try:
            table = self._table(job)
        except (*self.file_errors, OSError) as exc:
            messages.error(request, unreadable(exc))
            return self.back(job)
        mapping, page = posted_mapping(
            request, job, headers=table.headers, fields=self.fields, detail_view=self.detail_view
        )
        if page is not None:
            return page
        actor = actor_of(request.user)
        try:
            job = jobs.start(job, dry_run=True, actor=actor, mapping=mapping)
        except jobs.JobRefused as exc:
            messages.error(request, str(exc))
            return self.back(job)
        try:
            report = self.check(job, table, mapping, request.user)
        except self.file_errors as exc:
            jobs.fail(job, str(exc), actor=actor, attempt=job.attempt, back_to=JobStatus.UPLOADED)
            return self.back(job)
        except Exception as exc:
            jobs.fail(job, f"检查没有完成。原因：{exc}", actor=actor, attempt=job.attempt, back_to=JobStatus.UPLOADED)
            raise
        jobs.finish(job, report.as_dict(), dry_run=True, actor=actor, attempt=job.attempt)
        return self.back(job)

    def _commit(self, request, job):
        from django.contrib import messages
        from django.core.exceptions import ValidationError

        from linli.core.audit import Actor
        from linli.core.models import Source

        actor = Actor(user=request.user, source=Source.IMPORT, label=f"导入 {job.original_name}"[:64])
        refusal = self.commit_refusal(job)
        if refusal:
            messages.error(request, refusal)
            return self.back(job)
        try:
            job = jobs.start(job, dry_run=False, actor=actor)
        except jobs.JobRefused:
            messages.error(request, "请先检查，确认结果后再导入（或这次导入已经在进行或已完成）。")
            return self.back(job)
        mapping = {int(k): v for k, v in job.mapping.items()}
        try:
            report = self.commit(job, self._table(job), mapping, actor)
        except (*self.file_errors, OSError, ValidationError) as exc:
            text = "；".join(exc.messages) if isinstance(exc, ValidationError) else unreadable(exc)
            jobs.fail(job, text, actor=actor, attempt=job.attempt, back_to=JobStatus.VALIDATED)
            messages.error(request, text)
            return self.back(job)
        except Exception as exc:
            jobs.fail(job, f"导入没有完成，{self.nothing_changed}。原因：{exc}", actor=actor, attempt=job.attempt)
            raise
        failure, success = self.committed(job, report)
        if failure:
            jobs.fail(job, failure, actor=actor, attempt=job.attempt, back_to=JobStatus.UPLOADED)
            messages.error(request, failure)
            return self.back(job)
        jobs.finish(job, report.as_dict(), dry_run=False, actor=actor, attempt=job.attempt)
        messages.success(request, success)
        return self.back(job)
