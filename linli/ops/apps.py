from django.apps import AppConfig
from django.core import checks


class OpsConfig(AppConfig):
    name = "linli.ops"
    label = "ops"
    verbose_name = "运行维护"

    def ready(self):
        from linli.ops.checks import audit_retention
        from linli.ops.production import deploy_check

        # `linli check --deploy` under LINLI_PRODUCTION=1: missing or development keys, SQLite, no Redis, dev hosts
        # (linli.ops.E001).
        checks.register(deploy_check, checks.Tags.security, deploy=True)
        # Every command: an audit retention below the legal minimum (linli.ops.E002).
        checks.register(audit_retention, checks.Tags.security)
