from django.db import models


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/hotline/shell.py)."""

    HOTLINE_REPLIES = "hotline_replies", "12345办理结果 Excel"
