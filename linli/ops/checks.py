"""System checks of the ops settings (run by every `linli` command and `linli check --deploy`)."""

from django.conf import settings
from django.core.checks import Error, register


@register()
def audit_retention(app_configs=None, **kwargs):
    from linli.ops.retention import MIN_RETENTION_DAYS, retention_problem

    problem = retention_problem(getattr(settings, "LINLI_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))
    if problem:
        return [Error(problem, hint=f"删除该设置即按 {MIN_RETENTION_DAYS} 天保留。", id="ops.E001")]
    return []
