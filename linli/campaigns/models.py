"""专项工作: a campaign the community must carry to every resident on a list — pension qualification checks
(养老保险资格认证), medical-insurance payment, vaccination, census, flood safety — with an outcome per resident.

The target list is built from the registry with the notices' audience picker (linli.notices.audience.Audience) or
imported from a department's sheet (CampaignImportJob, the shared staged import). Each campaign defines its own
outcomes (CampaignOutcome: 已线上自助完成 / 上门协助完成 / 外出不在本地 / 已去世 / 不需要 …); grid workers record
one per target from their phone. An outcome marked `in_person` done for a care-group resident counts as a visit
(linli.visits), so nobody enters it twice. State changes go through linli.campaigns.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from linli.areas.models import StreetOfCommunity
from linli.campaigns import querysets
from linli.campaigns.choices import CampaignStatus, TargetSource
from linli.core.jobs import BaseImportJob


class Campaign(StreetOfCommunity, models.Model):
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="campaigns", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("名称", max_length=100, help_text="如“2026年养老保险待遇资格认证”。")
    description = models.TextField("工作要求", blank=True)
    department = models.CharField("牵头部门", max_length=60, blank=True, help_text="如“区人社局”。")
    status = models.CharField("状态", max_length=12, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT)
    source = models.CharField("名单来源", max_length=12, choices=TargetSource.choices, default=TargetSource.REGISTRY)
    audience = models.JSONField("筛选条件", default=dict, blank=True, help_text="从居民库筛选时的条件")
    audience_label = models.CharField("名单说明", max_length=300, blank=True)
    starts_on = models.DateField("开始日期", null=True, blank=True)
    deadline = models.DateField("截止日期")
    #: The department's sheet layout for the export: [{"header": "姓名", "field": "name"}, ...]
    #: (fields: linli.campaigns.exporter.FIELDS, or "row:<原表列名>" for a column kept from the imported sheet).
    export_columns = models.JSONField("导出列", default=list, blank=True)
    notice = models.ForeignKey(
        "notices.Notice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="campaigns",
        verbose_name="工作通知",
    )
    target_count = models.PositiveIntegerField("对象人数", default=0, editable=False)
    done_count = models.PositiveIntegerField("已完成人数", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)

    objects = querysets.CampaignQuerySet.as_manager()

    audit_fields = [
        "community",
        "name",
        "description",
        "department",
        "status",
        "source",
        "audience_label",
        "starts_on",
        "deadline",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "专项工作"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="campaign_community_status")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("campaigns:campaign_detail", args=[self.pk])


class CampaignOutcome(models.Model):
    """One of a campaign's outcomes. `is_done`: the target needs nothing more (completed, or 已去世/不需要);
    `in_person`: recorded at the door, so it counts as a visit for a care-group resident."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="outcomes", verbose_name="专项工作")
    code = models.SlugField("代码", max_length=30)
    label = models.CharField("结果", max_length=30)
    is_done = models.BooleanField("算作完成", default=True)
    in_person = models.BooleanField("上门完成", default=False, help_text="上门办结的结果同时记为一次走访。")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "专项工作结果"
        ordering = ["campaign", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="campaign_outcome_code_unique"),
            models.UniqueConstraint(fields=["campaign", "label"], name="campaign_outcome_label_unique"),
        ]

    def __str__(self):
        return self.label


class CampaignTarget(models.Model):
    """A resident on a campaign's list and, once recorded, their outcome."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="targets", verbose_name="专项工作")
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.CASCADE, related_name="campaign_targets", verbose_name="居民"
    )
    # Denormalised from the resident when the target is added: walking order, progress and scope.
    household = models.ForeignKey("areas.Household", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="+", verbose_name="楼栋")
    grid = models.ForeignKey("areas.Grid", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="网格")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+")
    outcome = models.ForeignKey(
        CampaignOutcome, on_delete=models.PROTECT, null=True, blank=True, related_name="targets", verbose_name="结果"
    )
    done = models.BooleanField("已完成", default=False, help_text="结果“算作完成”时为是（进度统计用）。")
    recorded_at = models.DateTimeField("登记时间", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="登记人",
    )
    note = models.CharField("备注", max_length=200, blank=True)
    #: The imported sheet's own columns for this person (exported again in the department's layout).
    source_row = models.JSONField("原表数据", default=dict, blank=True)
    visit = models.ForeignKey(
        "visits.Visit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="走访记录"
    )

    objects = querysets.CampaignTargetQuerySet.as_manager()

    audit_fields = ["outcome", "done", "recorded_at", "recorded_by", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "专项工作对象"
        ordering = ["building__number", "household__entrance", "household__floor", "household__room", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "resident"], name="campaign_target_unique"),
        ]
        indexes = [
            models.Index(fields=["campaign", "grid", "done"], name="campaign_target_progress"),
            models.Index(fields=["grid", "done"], name="campaign_target_grid_open"),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.resident}"


class CampaignImportJob(BaseImportJob):
    """A department's sheet of targets, staged (linli.core.jobs): residents matched by ID number, or by name and
    address; who could not be matched is reported before anything is added."""

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="import_jobs", verbose_name="专项工作"
    )

    upload_dir = "imports"

    objects = querysets.CampaignImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "专项工作名单导入"
