"""Sending messages out of Linli: WeChat Work group robots (企业微信群机器人) and SMS, queued, rate-limited, never at
night, retried with backoff, each message's fate kept.

This app knows nothing of notices or campaigns: a sender (linli.notices) hands it a Dispatch — one batch over one
channel, naming its source as ("notices.notice", id) — with one Outbound row per group or phone, and reads the
statuses back. The worker (linli.channels.sender) sends what is due, honouring the community's quiet hours and each
channel's rate, and marks every row sent or failed.

A group's webhook URL carries the robot's key, which lets anyone post into the residents' group: it is stored
encrypted (linli.core.crypto, like ID numbers) and shown only as its last four characters.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from linli.areas.models import StreetOfCommunity
from linli.channels import querysets
from linli.channels.choices import ChannelKind, DispatchStatus, OutboundStatus


class ChannelSettings(models.Model):
    """A community's sending rules: the quiet hours (no message leaves between `quiet_from` and `quiet_until`;
    what is queued then waits for the morning) and each channel's rate."""

    community = models.OneToOneField(
        "areas.Community", on_delete=models.CASCADE, related_name="channel_settings", verbose_name="社区"
    )
    quiet_from = models.TimeField("免打扰开始", default=datetime.time(21, 0))
    quiet_until = models.TimeField("免打扰结束", default=datetime.time(8, 0))
    sms_per_minute = models.PositiveIntegerField("短信每分钟上限", default=300)
    wechat_per_minute = models.PositiveIntegerField(
        "企业微信群每分钟上限", default=20, help_text="企业微信规定每个群机器人每分钟最多发送20条。"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = querysets.ChannelSettingsQuerySet.as_manager()

    # The times go in as text (audit_extra): a change record holds JSON.
    audit_fields = ["sms_per_minute", "wechat_per_minute"]

    class Meta:
        verbose_name = verbose_name_plural = "发送设置"

    def __str__(self):
        return f"{self.community} 发送设置"

    def audit_extra(self) -> dict:
        return {"免打扰时段": f"{self.quiet_from:%H:%M}–{self.quiet_until:%H:%M}"}


class WechatGroup(StreetOfCommunity, models.Model):
    """A residents' WeChat Work group with a robot, bound to the community, one grid or one building."""

    community = models.ForeignKey(
        "areas.Community", on_delete=models.PROTECT, related_name="wechat_groups", verbose_name="社区"
    )
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    grid = models.ForeignKey(
        "areas.Grid", on_delete=models.PROTECT, null=True, blank=True, related_name="wechat_groups", verbose_name="网格"
    )
    building = models.ForeignKey(
        "areas.Building",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="wechat_groups",
        verbose_name="楼栋",
    )
    name = models.CharField("群名称", max_length=60, help_text="如“青和居3栋居民群”。")
    webhook_cipher = models.BinaryField("Webhook地址（加密）", editable=False)
    webhook_tail = models.CharField("Webhook末四位", max_length=4, editable=False)
    is_active = models.BooleanField("启用", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="登记人"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    last_ok_at = models.DateTimeField("最近发送成功", null=True, blank=True, editable=False)
    last_error = models.CharField("最近错误", max_length=200, blank=True, editable=False)

    objects = querysets.WechatGroupQuerySet.as_manager()

    # The webhook is never in a change record: only that it changed (webhook_tail).
    audit_fields = ["community", "grid", "building", "name", "webhook_tail", "is_active"]

    class Meta:
        verbose_name = verbose_name_plural = "企业微信群"
        ordering = ["community", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="wechat_group_name_unique"),
        ]

    def __str__(self):
        return self.name


class Dispatch(models.Model):
    """One batch: a source's messages over one channel (e.g. a notice's SMS to 812 residents)."""

    community = models.ForeignKey("areas.Community", on_delete=models.PROTECT, related_name="+", verbose_name="社区")
    street = models.ForeignKey("areas.Street", on_delete=models.PROTECT, related_name="+", editable=False)
    channel = models.CharField("渠道", max_length=12, choices=ChannelKind.choices)
    source = models.CharField("来源", max_length=40, help_text="如 notices.notice")
    source_id = models.PositiveBigIntegerField("来源编号")
    title = models.CharField("标题", max_length=100)
    status = models.CharField("状态", max_length=12, choices=DispatchStatus.choices, default=DispatchStatus.QUEUED)
    total = models.PositiveIntegerField("总数", default=0)
    sent = models.PositiveIntegerField("已发送", default=0)
    failed = models.PositiveIntegerField("失败", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="发起人"
    )
    created_at = models.DateTimeField("发起时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="取消人",
    )

    objects = querysets.DispatchQuerySet.as_manager()

    audit_fields = ["status", "total", "sent", "failed"]

    class Meta:
        verbose_name = verbose_name_plural = "发送批次"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["source", "source_id"], name="dispatch_source"),
            models.Index(fields=["status"], name="dispatch_status"),
        ]

    def __str__(self):
        return f"{self.title}（{self.get_channel_display()}）"

    def save(self, *args, **kwargs):
        self.street_id = self.community.street_id
        super().save(*args, **kwargs)


class Outbound(models.Model):
    """One message to one group (wechat) or one phone (sms), with its fate."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="messages", verbose_name="批次")
    group = models.ForeignKey(
        WechatGroup, on_delete=models.CASCADE, null=True, blank=True, related_name="messages", verbose_name="群"
    )
    phone = models.CharField("手机号", max_length=11, blank=True)
    resident = models.ForeignKey(
        "residents.Resident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="居民"
    )
    text = models.TextField("内容")
    #: For an SMS provider's template: the parameters in order (the text is what the resident reads).
    params = models.JSONField("模板参数", default=list, blank=True)
    status = models.CharField("状态", max_length=12, choices=OutboundStatus.choices, default=OutboundStatus.PENDING)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    next_try_at = models.DateTimeField("下次尝试", null=True, blank=True)
    last_error = models.CharField("错误", max_length=200, blank=True)
    provider_ref = models.CharField("服务商回执", max_length=80, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    #: The last attempt (sent or not): each channel's rate counts the attempts of the last minute.
    tried_at = models.DateTimeField("最近尝试", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "发送记录"
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["status", "next_try_at"],
                condition=models.Q(status__in=["pending", "retrying"]),
                name="outbound_due",
            ),
            models.Index(fields=["dispatch", "status"], name="outbound_dispatch_status"),
            models.Index(fields=["tried_at"], name="outbound_tried", condition=models.Q(tried_at__isnull=False)),
            models.Index(fields=["group", "tried_at"], name="outbound_group_tried"),
        ]

    def __str__(self):
        from linli.core.phone import mask_phone

        return f"{self.dispatch} → {self.group or mask_phone(self.phone)}"

    @property
    def masked_phone(self) -> str:
        from linli.core.phone import mask_phone

        return mask_phone(self.phone) if self.phone else ""
