"""Codes of the notices app, each with the Chinese label people read."""

from django.db import models


class NoticeCategory(models.TextChoices):
    POLICY = "policy", "政策"
    OUTAGE = "outage", "停水停电"
    ACTIVITY = "activity", "活动"
    SAFETY = "safety", "安全提醒"
    GUIDE = "guide", "办事指南"
    OTHER = "other", "其他"


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SENT = "sent", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"


class NoticeChannel(models.TextChoices):
    """How a notice reaches people; each is sent by its own backend (linli.channels), print is done by hand."""

    IN_APP = "in_app", "邻里站内"
    WECHAT = "wechat", "企业微信群"
    SMS = "sms", "短信"
    PRINT = "print", "张贴/入户"


class ConfirmVia(models.TextChoices):
    """How a household of a must-confirm notice was reached."""

    READ = "read", "线上已读"
    PHONE = "phone", "已电话告知"
    IN_PERSON = "in_person", "已当面告知"
    POSTED = "posted", "已张贴"


class ExportKind(models.TextChoices):
    AUDIENCE = "notice_audience_xlsx", "通知对象名单 Excel"
    CONFIRMATIONS = "notice_confirm_xlsx", "通知告知情况 Excel"
