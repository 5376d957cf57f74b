from django.db import models


class ExportKind(models.TextChoices):
    """What the ledgers app exports (registered in linli/ledgers/shell.py for the export log)."""

    RESIDENTS_XLSX = "residents_xlsx", "居民台账 Excel"
    PRINT_LEDGER = "print_ledger", "打印台账"
    TEMPLATE = "template", "导入模板"
