from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "linli.dashboards"
    verbose_name = "数据看板"
