from django.db import models


class Role(models.TextChoices):
    STREET_ADMIN = "street_admin", "街道管理员"
    SECRETARY = "secretary", "社区书记"
    STAFF = "staff", "社区工作人员"
    GRID_WORKER = "grid_worker", "网格员"
    DEPT_HANDLER = "dept_handler", "部门承办人"
    VOLUNTEER = "volunteer", "志愿者/党员"
    RESIDENT = "resident", "居民"


class TokenScope(models.TextChoices):
    """What an API token may do on top of its user's role: read only (GET) or also write."""

    READ = "read", "只读"
    WRITE = "write", "读写"
