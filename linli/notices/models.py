"""通知公告: a notice to an audience of the registry, over the channels chosen for it, and who actually got it.

A notice belongs to one community. Its audience (linli.notices.audience.Audience, stored as JSON) is resolved when
it is sent: the households reached are fixed then as NoticeHousehold rows (the hand-delivery checklist and, for a
must-confirm notice, who has been told). State changes go through linli.notices.services, each with an actor and
a change record.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse

from linli.areas.models import StreetOfCommunity
from linli.notices import querysets
from linli.notices.choices import ConfirmVia, NoticeCategory, NoticeStatus


def new_code() -> str:
    """The notice's public short code (/n/<code>/): unguessable, short enough to type from a poster."""
    return secrets.token_urlsafe(6)


class Notice(StreetOfCommunity, models.Model):
    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="notices", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    title = models.CharField("标题", max_length=100, help_text="如“3栋明天8:00至12:00停水”。")
    body = models.TextField("正文")
    category = models.CharField("类别", max_length=12, choices=NoticeCategory.choices, default=NoticeCategory.POLICY)
    audience = models.JSONField("通知对象", default=dict, help_text="linli.notices.audience.Audience 的取值")
    audience_label = models.CharField("通知对象", max_length=300, blank=True)
    channels = models.JSONField("发送渠道", default=list, help_text="NoticeChannel 的取值列表")
    is_public = models.BooleanField(
        "公开", default=True, help_text="在社区公开通知页展示（不含个人信息）；只发给特定人员的通知可以不公开。"
    )
    must_confirm = models.BooleanField(
        "须确认送达", default=False, help_text="每户都要确认知晓：线上已读，或由网格员电话、当面告知或张贴。"
    )
    confirm_by = models.DateField("确认截止日期", null=True, blank=True)
    status = models.CharField("状态", max_length=12, choices=NoticeStatus.choices, default=NoticeStatus.DRAFT)
    code = models.CharField("短链接编号", max_length=16, unique=True, default=new_code, editable=False)
    resident_count = models.PositiveIntegerField("通知人数", default=0, editable=False)
    household_count = models.PositiveIntegerField("通知户数", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="起草人"
    )
    created_at = models.DateTimeField("起草时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="发布人",
    )
    sent_at = models.DateTimeField("发布时间", null=True, blank=True)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=200, blank=True)

    objects = querysets.NoticeQuerySet.as_manager()

    audit_fields = [
        "community",
        "title",
        "body",
        "category",
        "audience_label",
        "channels",
        "is_public",
        "must_confirm",
        "confirm_by",
        "status",
        "withdrawn_reason",
    ]

    class Meta:
        verbose_name = verbose_name_plural = "通知公告"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["community", "status", "-sent_at"], name="notice_community_sent"),
            models.Index(fields=["status", "confirm_by"], name="notice_confirm_by"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notices:notice_detail", args=[self.pk])


class NoticeHousehold(models.Model):
    """A household a sent notice reaches, fixed when it is sent; for a must-confirm notice, whether and how it was
    told. `needs_door`: nobody there can use a smartphone (tag 不会用智能手机, or everyone aged 80 or more), so it
    goes straight onto the grid worker's 今日走访 list as 需上门告知."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="households", verbose_name="通知")
    household = models.ForeignKey(
        "areas.Household", on_delete=models.CASCADE, related_name="notice_rows", verbose_name="住户"
    )
    # Denormalised from the household when the notice is sent: progress per grid and building, and scope.
    building = models.ForeignKey("areas.Building", on_delete=models.PROTECT, related_name="+", verbose_name="楼栋")
    grid = models.ForeignKey("areas.Grid", on_delete=models.PROTECT, null=True, related_name="+", verbose_name="网格")
    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+")
    resident_count = models.PositiveSmallIntegerField("通知人数", default=0)
    needs_door = models.BooleanField("需上门告知", default=False)
    confirmed_via = models.CharField("告知方式", max_length=12, choices=ConfirmVia.choices, blank=True)
    confirmed_at = models.DateTimeField("告知时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="告知人",
    )
    note = models.CharField("备注", max_length=200, blank=True)

    objects = querysets.NoticeHouseholdQuerySet.as_manager()

    audit_fields = ["confirmed_via", "confirmed_at", "confirmed_by", "note"]

    class Meta:
        verbose_name = verbose_name_plural = "通知住户"
        ordering = ["building__number", "household__entrance", "household__floor", "household__room", "id"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "household"], name="notice_household_unique"),
        ]
        indexes = [
            models.Index(fields=["notice", "grid", "confirmed_via"], name="notice_household_progress"),
            models.Index(
                fields=["grid", "notice"],
                condition=models.Q(needs_door=True, confirmed_via=""),
                name="notice_household_door_open",
            ),
        ]

    def __str__(self):
        return f"{self.notice} · {self.household}"


class NoticeRead(models.Model):
    """A signed-in person opened the notice in Linli (a resident: their household counts as told)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads", verbose_name="通知")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="账号")
    read_at = models.DateTimeField("阅读时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知阅读"
        constraints = [models.UniqueConstraint(fields=["notice", "user"], name="notice_read_unique")]

    def __str__(self):
        return f"{self.notice} · {self.user}"


class SavedAudience(StreetOfCommunity, models.Model):
    """A saved list of residents (名单) staff send to again and again: 楼栋长, 秧歌队, a department's list."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="saved_audiences", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    name = models.CharField("名单名称", max_length=60)
    description = models.CharField("说明", max_length=200, blank=True)
    residents = models.ManyToManyField(
        "residents.Resident", related_name="saved_audiences", blank=True, verbose_name="居民"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="创建人"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = querysets.SavedAudienceQuerySet.as_manager()

    audit_fields = ["community", "name", "description"]

    class Meta:
        verbose_name = verbose_name_plural = "常用名单"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="saved_audience_name_unique"),
        ]

    def __str__(self):
        return self.name
