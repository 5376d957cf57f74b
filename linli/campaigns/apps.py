from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "linli.campaigns"
    verbose_name = "专项工作"
