"""Importing a department's list into a campaign (linli.core.jobs: upload, preview and mapping, check, commit).

The check lists who could not be matched (row and reason) before anything is added; the commit adds the matched
rows in one transaction. Both run in the request: a department's list is a few thousand rows at most.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from linli.campaigns import importer, services
from linli.campaigns.forms import CampaignUploadForm
from linli.campaigns.models import Campaign, CampaignImportJob
from linli.core import jobs
from linli.core.audit import actor_of
from linli.core.views import ScopedMixin
from linli.core.views_jobs import ImportJobDetailMixin, ImportRunMixin


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


class ImportRunView(ImportMixin, ImportRunMixin, View):
    """POST: save the mapping and check (nothing written), or commit a checked import (linli.core.views_jobs)."""

    detail_url_name = "campaigns:import_detail"
    detail_view = ImportDetailView
    fields = importer.FIELDS
    file_errors = (importer.CampaignFileError,)
    related = ("campaign",)
    nothing_changed = "名单没有任何改变"

    def read_file(self, handle, name):
        return importer.read_people(handle, name)

    def check(self, job, table, mapping, user):
        return importer.check(table, mapping, job.campaign, user=user)[0]

    def commit(self, job, table, mapping, actor):
        return services.commit_import(table, mapping, job.campaign, actor=actor)

    def committed(self, job, report):
        return None, f"已加入名单{report.created}人；未匹配的{report.rejected}行没有加入。"
