from django.apps import AppConfig


class WorkreportsConfig(AppConfig):
    name = "linli.workreports"
    verbose_name = "工作报告"
