"""12345 hotline transfers (12345转办): work orders imported as appeals, and their replies exported back.

HotlineOrder ties one city hotline work order (工单编号) to the appeal it became. The order number
is unique in the whole system, not per community: the city's numbers are global, so an order
transferred to the wrong community and imported there cannot be imported a second time elsewhere.
HotlineImport is one uploaded sheet on its way in (preview, check, commit); HotlineExport records
each reply sheet sent back.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from linli.areas.scope import COMMUNITY_SCOPE  # grid workers register appeals but do not take hotline transfers
from linli.core.jobs import BaseImportJob
from linli.core.querysets import ScopedQuerySet


class HotlineImportQuerySet(ScopedQuerySet):
    """Imports into communities in the user's scope; `restrict(user, "add")` needs appeal.add."""

    perm_subject = "appeal"
    scope_paths = COMMUNITY_SCOPE


class HotlineOrderQuerySet(ScopedQuerySet):
    """Orders of communities in the user's scope (appeal.view to list, appeal.export to export)."""

    perm_subject = "appeal"
    scope_paths = COMMUNITY_SCOPE


class HotlineImport(BaseImportJob):
    """One uploaded hotline sheet: preview and column mapping, check (dry run), commit (linli.core.jobs).

    A check or a commit runs in the request: hotline sheets are a day's or a week's transfers (hundreds of rows).
    A commit whose request died (kill -9; its transaction rolled back) is 导入中断 once the lease ran out and may be
    committed again. The CLI records its commits too (no uploader, no file kept).
    `report` holds the latest check or commit report (linli.hotline.importer.HotlineReport.as_dict()); `preview`
    what the page shows of the file (linli.core.excel.read.preview_of), so that a view does not parse it again.
    """

    community = models.ForeignKey("areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区")

    upload_dir = "hotline"

    objects = HotlineImportQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "12345工单导入"
        ordering = ["-created_at", "-id"]

    def get_absolute_url(self):
        return reverse("hotline:import_detail", args=[self.pk])


class HotlineOrder(models.Model):
    """A 12345 work order and the appeal (channel 12345转办) it became.

    `due_at` is the hotline's own deadline (办理时限). It is also the appeal's `external_due`, to which
    linli.appeals.services caps the resolve deadline of every round (dispatch, reopen, an approved extension).
    """

    order_no = models.CharField("工单编号", max_length=64, unique=True)
    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.CASCADE, related_name="hotline_order", verbose_name="诉求"
    )
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    due_at = models.DateTimeField("12345办理时限")
    raw = models.JSONField("原始行", default=dict, help_text="{表头: 单元格}，按导入文件原样保存")
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)
    batch = models.ForeignKey(
        HotlineImport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name="导入批次",
    )
    exported_at = models.DateTimeField("最近导出回复时间", null=True, blank=True)

    objects = HotlineOrderQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "12345工单"
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["community", "imported_at"], name="hotlineorder_community_idx")]

    def __str__(self):
        return self.order_no

    @property
    def is_past_due(self) -> bool:
        return timezone.now() > self.due_at


class HotlineExport(models.Model):
    """Each reply sheet exported for the hotline: who (or the CLI), which community, since when, how many."""

    at = models.DateTimeField("时间", auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="导出人",
    )
    label = models.CharField("来源", max_length=64, blank=True, help_text="命令行导出时的说明")
    community = models.ForeignKey("areas.Community", on_delete=models.CASCADE, related_name="+", verbose_name="社区")
    since = models.DateField("办结时间起", null=True, blank=True)
    only_new = models.BooleanField("仅未导出过的", default=False)
    row_count = models.PositiveIntegerField("行数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "12345回复导出记录"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.community} {self.at:%Y-%m-%d %H:%M} {self.row_count}行"
