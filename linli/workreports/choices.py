"""Codes of 工作报告 (linli.workreports), each with the Chinese label people read."""

from django.db import models


class ReportLevel(models.TextChoices):
    """Whose report: a community's (sent to the street) or a street's (sent to the district)."""

    STREET = "street", "街道"
    COMMUNITY = "community", "社区"


class ReportPeriod(models.TextChoices):
    MONTH = "month", "月度"
    YEAR = "year", "年度"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    FINAL = "final", "定稿"


class CaseSource(models.TextChoices):
    """Where a notable case comes from (picked by its number)."""

    APPEAL = "appeal", "诉求"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/workreports/shell.py)."""

    PDF = "workreport_pdf", "工作报告 PDF"
    XLSX = "workreport_xlsx", "工作报告 Excel"
    DOCX = "workreport_docx", "工作报告 Word"
