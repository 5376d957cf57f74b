from django.db import models


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    VALIDATING = "validating", "正在检查"
    VALIDATED = "validated", "已检查"
    COMMITTING = "committing", "正在导入"
    DONE = "done", "已导入"
    FAILED = "failed", "失败"
    CANCELLED = "cancelled", "已取消"
    EXPIRED = "expired", "文件已删除"


class ExportKind(models.TextChoices):
    """What the ledgers app exports (registered in linli/ledgers/shell.py for the export log)."""

    RESIDENTS_XLSX = "residents_xlsx", "居民台账 Excel"
    PRINT_LEDGER = "print_ledger", "打印台账"
    TEMPLATE = "template", "导入模板"
