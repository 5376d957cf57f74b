from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "linli.ops"
    label = "ops"
    verbose_name = "运行维护"
