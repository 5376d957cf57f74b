"""12345 pages: the order list with upload and export, an import's preview / check / commit, the reply sheet.

An import runs in the request: hotline sheets are a day's or a week's transfers (hundreds of rows),
checked and committed in seconds. The job row keeps the file, the mapping and the latest report so
that the user can check, correct the mapping and commit in separate steps.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from linli.areas.models import Community
from linli.core.audit import Actor
from linli.core.models import Source
from linli.core.views import ScopedMixin, paginate
from linli.hotline import importer, services
from linli.hotline.choices import ImportStatus
from linli.hotline.exporter import write_replies_xlsx
from linli.hotline.forms import HotlineExportForm, HotlineUploadForm
from linli.hotline.models import HotlineExport, HotlineImport, HotlineOrder
from linli.ledgers.forms import MappingForm
from linli.ledgers.services import preview_of
from linli.ledgers.views_export import xlsx_download

SHOWN_NOTES = 500


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
        upload.seek(0)
        job = HotlineImport.objects.create(
            community=form.cleaned_data["community"],
            created_by=request.user,
            file=upload,
            original_name=upload.name[:200],
            header_row=table.header_row,
            mapping={str(k): v for k, v in importer.detect(table.headers).items()},
            preview=preview_of(table),
        )
        return redirect(job)

    @staticmethod
    def _invalid(request, form):
        view = OrderListView()
        view.request = request
        return view.get(request, form)


def unreadable(exc: Exception) -> str:
    """What the page says when the stored file cannot be read again (gone from the disk, or damaged)."""
    if isinstance(exc, OSError):
        return "服务器上已找不到上传的文件，请重新上传。"
    return str(exc)


def job_preview(job: HotlineImport) -> dict:
    """The stored preview (the file was parsed at upload); a job from before previews were stored is parsed once."""
    if job.preview is None:
        with job.file.open("rb") as handle:
            job.preview = preview_of(importer.read_orders(handle, job.original_name))
        HotlineImport.objects.filter(pk=job.pk).update(preview=job.preview)
    return job.preview


class ImportDetailView(HotlineImportMixin, TemplateView):
    """Preview and column mapping before a check; the report after a check or a commit."""

    template_name = "hotline/import_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        job = self.get_scoped_object(self.scoped().select_related("community", "created_by"))
        ctx["job"] = job
        mapping = {int(k): v for k, v in job.mapping.items()}
        if job.status in (ImportStatus.UPLOADED, ImportStatus.VALIDATED) and job.file:
            try:
                preview = job_preview(job)
            except (importer.HotlineFileError, OSError) as exc:
                ctx["file_error"] = unreadable(exc)
            else:
                ctx["mapping_form"] = kwargs.get("mapping_form") or MappingForm(
                    headers=preview["headers"], fields=importer.FIELDS, initial_mapping=mapping
                )
                ctx["preview"] = preview["rows"]
                ctx["row_total"] = preview["row_total"]
                ctx["missing"] = importer.missing_columns(mapping)
        report = job.report or {}
        ctx["report"] = report
        for key in ("errors", "warnings", "skipped_orders"):
            ctx[key] = (report.get(key) or [])[:SHOWN_NOTES]
        return ctx


class ImportRunView(HotlineImportMixin, View):
    """POST: save the mapping and check (nothing written), or commit a checked import."""

    def post(self, request, pk):
        job = self.get_scoped_object()
        if request.POST.get("action") == "commit":
            return self._commit(request, job)
        if job.status not in (ImportStatus.UPLOADED, ImportStatus.VALIDATED) or not job.file:
            messages.info(request, "这次导入已经结束。")
            return redirect(job)
        try:
            with job.file.open("rb") as handle:
                table = importer.read_orders(handle, job.original_name)
        except (importer.HotlineFileError, OSError) as exc:
            messages.error(request, unreadable(exc))
            return redirect(job)
        form = MappingForm(request.POST, headers=table.headers, fields=importer.FIELDS, initial_mapping={})
        if not form.is_valid():
            request.method = "GET"
            return ImportDetailView.as_view()(request, pk=pk, mapping_form=form)
        mapping = form.mapping()
        try:
            report, _ = importer.check(table, mapping, job.community, user=request.user)
        except importer.HotlineFileError as exc:
            messages.error(request, str(exc))
            return redirect(job)
        job.mapping = {str(k): v for k, v in mapping.items()}
        job.report = report.as_dict()
        job.status = ImportStatus.VALIDATED
        job.message = ""
        job.save(update_fields=["mapping", "report", "status", "message"])
        return redirect(job)

    def _commit(self, request, job):
        # Claim the job with a conditional update, so that a double click commits once. A commit claimed longer
        # ago than the lease died with its request (kill -9; its transaction rolled back) and may be claimed again.
        now = timezone.now()
        stale = now - datetime.timedelta(seconds=settings.LINLI_IMPORT_LEASE_SECONDS)
        claimable = Q(status=ImportStatus.VALIDATED) | Q(status=ImportStatus.COMMITTING, claimed_at__lt=stale)
        if not job.file or not HotlineImport.objects.filter(claimable, pk=job.pk).update(
            status=ImportStatus.COMMITTING, claimed_at=now
        ):
            messages.error(request, "请先检查，确认结果后再导入（或这次导入已经在进行或已完成）。")
            return redirect(job)
        actor = Actor(user=request.user, source=Source.IMPORT, label=f"导入 {job.original_name}"[:64])
        mapping = {int(k): v for k, v in job.mapping.items()}
        try:
            with job.file.open("rb") as handle:
                table = importer.read_orders(handle, job.original_name)
            report = services.commit_import(table, mapping, job.community, actor=actor, batch=job)
        except (importer.HotlineFileError, OSError, services.ImportConflict, PermissionDenied) as exc:
            HotlineImport.objects.filter(pk=job.pk).update(status=ImportStatus.VALIDATED, message=unreadable(exc)[:500])
            messages.error(request, unreadable(exc))
            return redirect(job)
        except Exception as exc:
            HotlineImport.objects.filter(pk=job.pk).update(
                status=ImportStatus.FAILED, message=f"导入没有完成，数据库没有任何改变。原因：{exc}"[:500]
            )
            raise
        job.file.delete(save=False)  # callers' names and phones: the copy is not kept once imported
        HotlineImport.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE, report=report.as_dict(), committed_at=timezone.now(), file="", message=""
        )
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
