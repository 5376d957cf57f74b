from django.apps import AppConfig
from django.core import checks


class ChannelsConfig(AppConfig):
    name = "linli.channels"
    verbose_name = "发送渠道"

    def ready(self):
        checks.register(check_wechat_backend, checks.Tags.security, deploy=True)


def check_wechat_backend(app_configs=None, **kwargs):
    """In production the log backend would write notices to the log instead of posting them to residents' groups."""
    from django.conf import settings

    from linli.channels import wechat

    try:
        backend = wechat.get_backend()
    except Exception as exc:  # a typo in LINLI_WECHAT_BACKEND must not wait for the first notice
        return [checks.Error(f"LINLI_WECHAT_BACKEND cannot be loaded: {exc}", id="linli.channels.E001")]
    if getattr(settings, "PRODUCTION", False) and isinstance(backend, (wechat.LogBackend, wechat.LocMemBackend)):
        return [
            checks.Warning(
                f"LINLI_WECHAT_BACKEND is {type(backend).__name__}: notices are not posted to any WeChat group.",
                hint="Set LINLI_WECHAT_BACKEND=linli.channels.wechat.WebhookBackend.",
                id="linli.channels.W001",
            )
        ]
    return []
