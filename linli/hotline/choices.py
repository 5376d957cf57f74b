from django.db import models


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", "已上传"
    VALIDATED = "validated", "已检查"
    COMMITTING = "committing", "正在导入"
    DONE = "done", "已导入"
    FAILED = "failed", "失败"
