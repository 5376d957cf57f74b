from django.apps import AppConfig


class AfterschoolConfig(AppConfig):
    name = "linli.afterschool"
    verbose_name = "四点半学校"
