from django.apps import AppConfig


class BigscreenConfig(AppConfig):
    name = "linli.bigscreen"
    verbose_name = "社区大屏"
