from django.apps import AppConfig
from django.core import checks


class OpsConfig(AppConfig):
    name = "linli.ops"
    label = "ops"
    verbose_name = "运行维护"

    def ready(self):
        from linli.ops.production import deploy_check

        # `linli check --deploy` under LINLI_PRODUCTION=1: missing or development keys, SQLite, no Redis, dev hosts.
        checks.register(deploy_check, checks.Tags.security, deploy=True)
        import linli.ops.checks  # noqa: F401  (registers the retention check)
