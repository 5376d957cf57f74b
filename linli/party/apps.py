from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "linli.party"
    verbose_name = "党建"
