"""Importing a department's list into a campaign (linli.core.jobs: upload, preview and mapping, check, commit).

The check lists who could not be matched (row and reason) before anything is added; the commit adds the matched
rows in one transaction. Both run in the request: a department's list is a few thousand rows at most.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from linli.campaigns import importer, services
from linli.campaigns.forms import CampaignUploadForm
from linli.campaigns.models import Campaign, CampaignImportJob
from linli.core import jobs
from linli.core.audit import Actor, actor_of
from linli.core.jobs import JobStatus
from linli.core.models import Source
from linli.core.views import ScopedMixin
from linli.core.views_jobs import ImportJobDetailMixin, posted_mapping, unreadable


class ImportUploadView(ScopedMixin, View):
    model = Campaign
    action = "manage"

    def post(self, request, pk):
        campaign = self.get_scoped_object()
        form = CampaignUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
            return redirect(campaign)
        upload = form.cleaned_data["file"]
        try:
            table = importer.read_people(upload, upload.name)
        except importer.CampaignFileError as exc:
            messages.error(request, str(exc))
            return redirect(campaign)
        job = jobs.upload(
            CampaignImportJob,
            file=upload,
            table=table,
            mapping=importer.detect(table.headers),
            actor=actor_of(request.user),
            campaign=campaign,
        )
        return redirect("campaigns:import_detail", job.pk)


class ImportMixin(ScopedMixin):
    model = CampaignImportJob
    action = "manage"


class ImportDetailView(ImportMixin, ImportJobDetailMixin, TemplateView):
    template_name = "campaigns/import_detail.html"
    run_url_name = "campaigns:import_run"
    fields = importer.FIELDS
    file_errors = (importer.CampaignFileError,)
    read_file = staticmethod(importer.read_people)
    note_keys = ("errors", "skipped_rows")

    def get_context_data(self, **kwargs):
        # The shared mixin selects the job's community; a campaign's job reaches it through the campaign.
        ctx = super(ImportJobDetailMixin, self).get_context_data(**kwargs)
        job = self.get_scoped_object(self.scoped().select_related("campaign__community", "created_by"))
        ctx.update(self.job_context(job, kwargs.get("mapping_form")))
        ctx["campaign"] = job.campaign
        if "mapping_form" in ctx:
            ctx["missing"] = importer.missing_columns({int(k): v for k, v in job.mapping.items()})
        return ctx


class ImportRunView(ImportMixin, View):
    """POST: save the mapping and check (nothing written), or commit a checked import."""

    def post(self, request, pk):
        job = self.get_scoped_object(self.scoped().select_related("campaign"))
        if request.POST.get("action") == "commit":
            return self._commit(request, job)
        if not (job.file and job.status in (JobStatus.UPLOADED, JobStatus.VALIDATED)):
            messages.info(request, "这次导入已经结束。")
            return redirect("campaigns:import_detail", job.pk)
        try:
            with job.file.open("rb") as handle:
                table = importer.read_people(handle, job.original_name)
        except (importer.CampaignFileError, OSError) as exc:
            messages.error(request, unreadable(exc))
            return redirect("campaigns:import_detail", job.pk)
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
            return redirect("campaigns:import_detail", job.pk)
        try:
            report, _ = importer.check(table, mapping, job.campaign, user=request.user)
        except importer.CampaignFileError as exc:
            jobs.fail(job, str(exc), actor=actor, attempt=job.attempt, back_to=JobStatus.UPLOADED)
            return redirect("campaigns:import_detail", job.pk)
        except Exception as exc:
            jobs.fail(job, f"检查没有完成。原因：{exc}", actor=actor, attempt=job.attempt, back_to=JobStatus.UPLOADED)
            raise
        jobs.finish(job, report.as_dict(), dry_run=True, actor=actor, attempt=job.attempt)
        return redirect("campaigns:import_detail", job.pk)

    def _commit(self, request, job):
        actor = Actor(user=request.user, source=Source.IMPORT, label=f"导入 {job.original_name}"[:64])
        try:
            job = jobs.start(job, dry_run=False, actor=actor)
        except jobs.JobRefused:
            messages.error(request, "请先检查，确认结果后再导入（或这次导入已经在进行或已完成）。")
            return redirect("campaigns:import_detail", job.pk)
        mapping = {int(k): v for k, v in job.mapping.items()}
        try:
            with job.file.open("rb") as handle:
                table = importer.read_people(handle, job.original_name)
            report = services.commit_import(table, mapping, job.campaign, actor=actor)
        except (importer.CampaignFileError, OSError, ValidationError) as exc:
            text = "；".join(exc.messages) if isinstance(exc, ValidationError) else unreadable(exc)
            jobs.fail(job, text, actor=actor, attempt=job.attempt, back_to=JobStatus.VALIDATED)
            messages.error(request, text)
            return redirect("campaigns:import_detail", job.pk)
        except Exception as exc:
            jobs.fail(job, f"导入没有完成，名单没有任何改变。原因：{exc}", actor=actor, attempt=job.attempt)
            raise
        jobs.finish(job, report.as_dict(), dry_run=False, actor=actor, attempt=job.attempt)
        messages.success(request, f"已加入名单{report.created}人；未匹配的{report.rejected}行没有加入。")
        return redirect("campaigns:import_detail", job.pk)
