"""Codes of the campaigns app (专项工作), each with the Chinese label people read."""

from django.db import models


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", "准备中"
    ACTIVE = "active", "进行中"
    CLOSED = "closed", "已结束"


class TargetSource(models.TextChoices):
    """Where a campaign's target list came from."""

    REGISTRY = "registry", "从居民库筛选"
    IMPORT = "import", "导入部门名单"


class ExportKind(models.TextChoices):
    TARGETS = "campaign_xlsx", "专项工作名单 Excel"
