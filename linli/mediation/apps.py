from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "linli.mediation"
    verbose_name = "人民调解"
