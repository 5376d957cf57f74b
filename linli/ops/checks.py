"""System checks of the ops settings, registered in OpsConfig.ready like the other apps' checks.

Ids, one family (linli.ops.*): E001 the production settings (`linli check --deploy`, linli.ops.production),
E002 the audit retention (every `linli` command and `linli check --deploy`)."""

from django.conf import settings
from django.core.checks import Error


def audit_retention(app_configs=None, **kwargs):
    from linli.ops.retention import MIN_RETENTION_DAYS, retention_problem

    problem = retention_problem(getattr(settings, "LINLI_AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))
    if problem:
        return [Error(problem, hint=f"删除该设置即按 {MIN_RETENTION_DAYS} 天保留。", id="linli.ops.E002")]
    return []
