from django.apps import AppConfig


class HallConfig(AppConfig):
    name = "linli.hall"
    verbose_name = "便民服务"
