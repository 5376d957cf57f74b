"""工作报告: the monthly and yearly work report of a community (sent to the street) or of a street (sent to the
district), generated from the dashboards' figures (linli.dashboards: the daily rollup), with the staff's own
paragraphs and a few notable cases they chose.

A report is a draft (草稿) while it is written: its figures are read from the rollup each time it is shown. Finalising
(定稿) stores the figures as a snapshot on the report and gives it a number; from then on nothing changes it (every
service refuses, see linli.workreports.services), and its PDF and .xlsx are rendered from the snapshot, so a later
rollup never changes a finalised report.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from linli.workreports import querysets
from linli.workreports.choices import CaseSource, ReportLevel, ReportPeriod, ReportStatus


class WorkReport(models.Model):
    """One node's report for one month or year (one per node and period)."""

    level = models.CharField("层级", max_length=10, choices=ReportLevel.choices)
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", verbose_name="街道")
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="社区"
    )
    period = models.CharField("报告类型", max_length=8, choices=ReportPeriod.choices)
    year = models.PositiveSmallIntegerField("年度")
    month = models.PositiveSmallIntegerField("月份", null=True, blank=True)
    #: "community:12" / "street:3" and "2026-11" / "2026": what makes a report one of a kind, and numbers run per node.
    node_key = models.CharField(max_length=24, editable=False)
    period_key = models.CharField(max_length=8, editable=False)
    status = models.CharField("状态", max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    foreword = models.TextField("综述", blank=True)
    closing = models.TextField("下一步工作", blank=True)
    #: The figures as they were when the report was finalised (linli.workreports.figures.report_figures).
    snapshot = models.JSONField("定稿数据", null=True, blank=True, editable=False)
    number = models.CharField("编号", max_length=60, blank=True, editable=False)
    number_year = models.PositiveSmallIntegerField("编号年度", null=True, blank=True, editable=False)
    seq = models.PositiveIntegerField("序号", null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="撰写人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="定稿人",
    )
    finalised_by_label = models.CharField("定稿人", max_length=64, blank=True, editable=False)
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True, editable=False)

    objects = querysets.WorkReportQuerySet.as_manager()

    audit_fields = [
        "level",
        "street",
        "community",
        "period",
        "year",
        "month",
        "status",
        "foreword",
        "closing",
        "number",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "工作报告"
        ordering = ["-year", "-month", "level", "node_key", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["node_key", "period_key"], name="workreport_one_per_period"),
            models.UniqueConstraint(
                fields=["node_key", "number_year", "seq"],
                condition=Q(seq__isnull=False),
                name="workreport_one_number",
            ),
            models.CheckConstraint(
                condition=Q(level=ReportLevel.STREET, community__isnull=True)
                | Q(level=ReportLevel.COMMUNITY, community__isnull=False),
                name="workreport_level_node",
            ),
        ]
        indexes = [models.Index(fields=["street", "year", "month"], name="workreport_street_period")]

    def __str__(self):
        return f"{self.node_name}{self.period_label}工作报告"

    def get_absolute_url(self):
        return reverse("workreports:workreport_detail", args=[self.pk])

    def save(self, *args, **kwargs):
        node = self.community_id if self.level == ReportLevel.COMMUNITY else self.street_id
        self.node_key = f"{self.level}:{node}"
        self.period_key = f"{self.year}-{self.month:02d}" if self.period == ReportPeriod.MONTH else f"{self.year}"
        super().save(*args, **kwargs)

    @property
    def node(self):
        return self.community if self.level == ReportLevel.COMMUNITY else self.street

    @property
    def node_name(self) -> str:
        return self.node.name

    @property
    def period_label(self) -> str:
        return f"{self.year}年{self.month}月" if self.period == ReportPeriod.MONTH else f"{self.year}年度"

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> datetime.date:
        if self.period == ReportPeriod.YEAR:
            return datetime.date(self.year, 12, 31)
        following = datetime.date(self.year + self.month // 12, self.month % 12 + 1, 1)
        return following - datetime.timedelta(days=1)


class WorkReportParagraph(models.Model):
    """The staff's own text under one section (a figure family, by its registered name)."""

    report = models.ForeignKey(WorkReport, on_delete=models.CASCADE, related_name="paragraphs", verbose_name="报告")
    section = models.CharField("栏目", max_length=48)
    text = models.TextField("内容")

    audit_fields = ["section", "text"]

    class Meta:
        verbose_name = verbose_name_plural = "工作报告段落"
        constraints = [models.UniqueConstraint(fields=["report", "section"], name="workreport_paragraph_unique")]

    def __str__(self):
        return f"{self.report} · {self.section}"


class WorkReportCase(models.Model):
    """A notable case chosen by staff, by its number: what the report prints is copied here when it is chosen
    (number, title, outcome; never a name, an ID number or a phone number)."""

    report = models.ForeignKey(WorkReport, on_delete=models.CASCADE, related_name="cases", verbose_name="报告")
    source = models.CharField("类型", max_length=12, choices=CaseSource.choices, default=CaseSource.APPEAL)
    record_id = models.BigIntegerField("记录编号", null=True, blank=True, editable=False)
    number = models.CharField("编号", max_length=60)
    title = models.CharField("事项", max_length=120)
    outcome = models.CharField("办理结果", max_length=300, blank=True)
    note = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    audit_fields = ["source", "number", "title", "outcome", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "工作报告典型案例"
        ordering = ["report", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "source", "number"], name="workreport_case_unique"),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"
