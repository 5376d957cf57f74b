from django.apps import AppConfig


class SupportConfig(AppConfig):
    name = "linli.support"
    verbose_name = "帮扶与共建"
