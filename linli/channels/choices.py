"""Codes of the sending channels, each with the Chinese label people read."""

from django.db import models


class ChannelKind(models.TextChoices):
    WECHAT = "wechat", "企业微信群"
    SMS = "sms", "短信"


class DispatchStatus(models.TextChoices):
    """A batch of messages (one notice over one channel)."""

    QUEUED = "queued", "排队中"
    SENDING = "sending", "发送中"
    DONE = "done", "已完成"
    CANCELLED = "cancelled", "已取消"


class OutboundStatus(models.TextChoices):
    """One message to one group or one phone."""

    PENDING = "pending", "待发送"
    RETRYING = "retrying", "重试中"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"
    CANCELLED = "cancelled", "已取消"
