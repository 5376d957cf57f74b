from django.apps import AppConfig


class VotesConfig(AppConfig):
    name = "linli.votes"
    verbose_name = "居民表决"
