"""Choices of 社区证明 (Chinese labels: everything a user reads)."""

from django.db import models


class CertificateKind(models.TextChoices):
    """What a template certifies. The wording of each kind keeps to what the community can know from its registry."""

    RESIDENCE = "residence", "居住证明"
    FAMILY = "family", "家庭成员关系证明（仅限登记信息）"
    HARDSHIP = "hardship", "困难情况证明（附核实说明）"
    OTHER = "other", "其他"


class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    VOID = "void", "作废"


class ExportKind(models.TextChoices):
    """What this app exports, as the export log names it (registered in linli/certificates/shell.py)."""

    REGISTER = "cert_register", "证明登记簿 Excel"
