from django.apps import AppConfig


class ChannelsConfig(AppConfig):
    name = "linli.channels"
    verbose_name = "发送渠道"
