"""民事民议: a matter (议题) the residents decide together, heard in three ways and then done (民事民办).

A matter belongs to one community and reaches a scope of households: one building, several buildings, one
grid or the whole community (households_in_scope). State changes go through linli.deliberation.services,
each with an actor and a change record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from linli.deliberation import querysets
from linli.deliberation.choices import MatterScope, MatterSource, MatterStatus, RaisedBy


class Matter(models.Model):
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

    def save(self, *args, **kwargs):
        self.street_id = self.community.street_id
        super().save(*args, **kwargs)

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


from linli.deliberation.models_hearings import *  # noqa: E402,F401,F403
