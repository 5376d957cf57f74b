from django.db import models


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    VALIDATED = "validated", "已检查"
    COMMITTING = "committing", "正在导入"
    DONE = "done", "已导入"
    FAILED = "failed", "失败"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/hotline/shell.py)."""

    HOTLINE_REPLIES = "hotline_replies", "12345办理结果 Excel"
