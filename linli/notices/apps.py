from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "linli.notices"
    verbose_name = "通知公告"
