"""民事民议: a matter (议题) the residents decide together, heard in three ways and then done (民事民办).

A matter belongs to one community and reaches a scope of households: one building, several buildings, one
grid or the whole community (households_in_scope). State changes go through linli.deliberation.services,
each with an actor and a change record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from linli.areas.models import StreetOfCommunity
from linli.deliberation import querysets
from linli.deliberation.choices import MatterScope, MatterSource, MatterStatus, RaisedBy, TaskStatus


class Matter(StreetOfCommunity, models.Model):
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="matters", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    title = models.CharField("议题", max_length=100, help_text="如“3栋加装电梯”。")
    description = models.TextField("说明", blank=True)
    scope = models.CharField("范围", max_length=12, choices=MatterScope.choices, default=MatterScope.COMMUNITY)
    grid = models.ForeignKey(
        "areas.Grid",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
        verbose_name="网格",
        help_text="范围是“一个网格”时填写。",
    )
    buildings = models.ManyToManyField(
        "areas.Building",
        blank=True,
        related_name="matters",
        verbose_name="楼栋",
        help_text="范围是“一栋楼”或“几栋楼”时选择。",
    )
    raised_by = models.CharField("提出方", max_length=16, choices=RaisedBy.choices, default=RaisedBy.STAFF)
    raised_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="提出人账号",
    )
    raised_by_resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_matters",
        verbose_name="提出居民",
    )
    raised_by_name = models.CharField(
        "提出人/组织", max_length=100, blank=True, help_text="居民组织的名称，或不在居民库里的提出人。"
    )
    source = models.CharField("来源", max_length=12, choices=MatterSource.choices, default=MatterSource.DIRECT)
    source_id = models.PositiveBigIntegerField("来源编号", null=True, blank=True, editable=False)
    status = models.CharField("状态", max_length=12, choices=MatterStatus.choices, default=MatterStatus.PROPOSED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    objects = querysets.MatterQuerySet.as_manager()

    audit_fields = [
        "community",
        "title",
        "description",
        "scope",
        "grid",
        "raised_by",
        "raised_by_resident",
        "raised_by_name",
        "source",
        "status",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "议题"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "status"], name="matter_community_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"],
                condition=models.Q(source_id__isnull=False),
                name="matter_one_per_source",
                violation_error_message="这条记录已经转成议题了。",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("deliberation:matter_detail", args=[self.pk])

    def households_in_scope(self):
        """The households this matter reaches today (a vote fixes its own list when it opens)."""
        from linli.areas.models import Household

        households = Household.objects.filter(building__community_id=self.community_id)
        if self.scope == MatterScope.GRID:
            households = households.filter(building__grid_id=self.grid_id)
        elif self.scope in (MatterScope.BUILDING, MatterScope.BUILDINGS):
            households = households.filter(building__in=self.buildings.all())
        return households


def _in_a_week():
    import datetime

    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=PUBLICITY_DAYS)


#: How long a publication stays on the board unless the publisher says otherwise (e.g. 7 days).
PUBLICITY_DAYS = 7


class Publication(models.Model):
    """公示: a decision or a vote's result on the community's public board for a period.

    Title and body are written for the public (no names, phones or rooms: services.publish refuses them and
    the public pages run the anonymiser once more); `snapshot` holds counts tables the votes app hands in
    ({"tables": [{"title", "columns", "rows"}]}), never who voted how.
    """

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="publications", verbose_name="议题")
    title = models.CharField("公示标题", max_length=100)
    body = models.TextField("公示内容")
    starts_on = models.DateField("公示开始")
    ends_on = models.DateField("公示截止", default=_in_a_week)
    snapshot = models.JSONField("统计表", default=dict, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="发布人"
    )
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    withdrawn = models.BooleanField("已撤回", default=False)
    withdrawn_reason = models.CharField("撤回原因", max_length=200, blank=True)

    objects = querysets.PublicationQuerySet.as_manager()

    audit_fields = ["title", "body", "starts_on", "ends_on", "withdrawn", "withdrawn_reason"]

    class Meta:
        verbose_name = verbose_name_plural = "公示"
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["matter", "ends_on"], name="publication_matter_ends")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="publication_ends_after_start",
                violation_error_message="公示截止日期不能早于开始日期。",
            )
        ]

    def __str__(self):
        return self.title

    def is_current(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return not self.withdrawn and self.starts_on <= today <= self.ends_on

    def get_absolute_url(self):
        return reverse("deliberation:publication_detail", args=[self.pk])


class Objection(models.Model):
    """An objection (异议) received during a publication: from a registered resident or a named (or unnamed)
    person, recorded by staff, with the community's response."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="objections", verbose_name="公示"
    )
    resident = models.ForeignKey(
        "residents.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="居民档案",
    )
    name = models.CharField("提出人", max_length=64, blank=True, help_text="可以不填（匿名）。")
    phone = models.CharField("联系电话", max_length=32, blank=True)
    text = models.TextField("异议内容")
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    response = models.TextField("答复", blank=True)
    responded_at = models.DateTimeField("答复时间", null=True, blank=True)

    objects = querysets.ObjectionQuerySet.as_manager()

    audit_fields = ["resident", "name", "text", "response"]

    class Meta:
        verbose_name = verbose_name_plural = "公示异议"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"异议{self.pk}"

    def audit_extra(self) -> dict:
        from linli.core.phone import mask_phone

        return {"联系电话": mask_phone(self.phone) if self.phone else ""}

    @property
    def who(self) -> str:
        if self.resident_id:
            return self.resident.name
        return self.name or "匿名"


class FollowUpTask(models.Model):
    """民事民办: what must be done after a decision, by whom and by when. The matter shows it until done."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="tasks", verbose_name="议题")
    title = models.CharField("任务", max_length=100)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="matter_tasks", verbose_name="负责人"
    )
    deadline = models.DateField("完成期限")
    status = models.CharField("状态", max_length=8, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_at = models.DateTimeField("完成时间", null=True, blank=True)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="布置人"
    )
    created_at = models.DateTimeField("布置时间", auto_now_add=True)

    objects = querysets.FollowUpTaskQuerySet.as_manager()

    audit_fields = ["title", "owner", "deadline", "status", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "落实任务"
        ordering = ["status", "deadline", "id"]
        indexes = [models.Index(fields=["owner", "status", "deadline"], name="task_owner_status_deadline")]

    def __str__(self):
        return self.title

    def is_overdue(self, today=None) -> bool:
        from django.utils import timezone

        today = today or timezone.localdate()
        return self.status == TaskStatus.OPEN and self.deadline < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()


from linli.deliberation.models_hearings import *  # noqa: E402,F401,F403
