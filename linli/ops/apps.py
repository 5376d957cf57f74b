from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "linli.ops"
    label = "ops"
    verbose_name = "运行维护"

    def ready(self):
        from linli.ops import checks  # noqa: F401  (registers the system checks)
